import type { webApi } from "@slack/bolt";
import { fitMessage } from "../blocks/message.ts";
import type { Reply } from "../blocks/reply.ts";
import type { Logger } from "./logger.ts";

/** A message the bot posted and can change in place. */
export interface LiveCard {
  channel: string;
  ts: string;
  update(reply: Reply): Promise<void>;
}

/**
 * Posts the call card where it can be updated in place: a slash command's ephemeral reply cannot be
 * replaced through its response_url (Slack ignores `replace_original` there and posts a new message), so
 * the card goes to the user's direct messages with the bot (conversations.open, chat.postMessage) and
 * changes with chat.update (channel + ts). Null when Slack's Web API refuses or cannot be reached (the
 * caller then answers through the response_url alone).
 */
export async function postLiveCard(
  client: webApi.WebClient,
  userId: string,
  reply: Reply,
  logger: Logger,
): Promise<LiveCard | null> {
  try {
    const opened = await client.conversations.open({ users: userId });
    const channel = opened.channel?.id;
    if (!channel) return null;
    const posted = await client.chat.postMessage({ channel, ...fitMessage(reply) });
    const ts = posted.ts;
    if (!ts) return null;
    return {
      channel,
      ts,
      async update(next) {
        try {
          await client.chat.update({ channel, ts, ...fitMessage(next) });
        } catch (error) {
          logger.warn({ error: String(error) }, "chat.update of the call card failed");
        }
      },
    };
  } catch (error) {
    logger.warn({ error: String(error) }, "the call card could not be posted; answering through response_url only");
    return null;
  }
}
