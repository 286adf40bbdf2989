import type { webApi } from "@slack/bolt";
import { ConfigError } from "../config.ts";
import type { Logger } from "./logger.ts";

/** What Slack answers auth.test with when the token itself is wrong (as opposed to Slack being unreachable). */
const TOKEN_REFUSED = new Set([
  "invalid_auth",
  "not_authed",
  "account_inactive",
  "token_revoked",
  "token_expired",
  "not_allowed_token_type",
]);

/** Who the bot is on Slack, when auth.test could tell. */
export interface BotIdentity {
  botId?: string;
  botUserId?: string;
}

type Answer = BotIdentity | { unreachable: string };

/** How long start-up waits for auth.test before it goes on without the answer. */
const WAIT_MS = 5_000;

/**
 * Checks SLACK_BOT_TOKEN once at start-up: a token Slack refuses stops start-up with one line (a ConfigError).
 * Slack unreachable, or silent for 5 s, is one warning and start-up goes on, because commands never wait for
 * the Web API; should Slack refuse the token later, that is one error line.
 */
export async function checkBotToken(client: webApi.WebClient, token: string, logger: Logger): Promise<BotIdentity> {
  const answer = client.auth.test({ token }).then(
    (result): Answer => ({ botId: result.bot_id, botUserId: result.user_id }),
    (error: unknown): Answer => {
      const code = (error as { data?: { error?: string } }).data?.error;
      if (code && TOKEN_REFUSED.has(code))
        throw new ConfigError(
          `SLACK_BOT_TOKEN was refused by Slack (${code}); copy the Bot User OAuth Token (xoxb-…) from the app's OAuth & Permissions page`,
        );
      return { unreachable: code ?? String((error as Error).message ?? error).split("\n")[0] ?? "" };
    },
  );
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<"late">((resolve) => {
    timer = setTimeout(() => resolve("late"), WAIT_MS);
  });
  const first = await Promise.race([answer, late]).finally(() => clearTimeout(timer));
  if (first === "late") {
    logger.warn("Slack's Web API did not answer auth.test within 5 s; commands are still answered");
    answer.catch((error: unknown) => logger.error(String((error as Error).message ?? error)));
    return {};
  }
  if ("unreachable" in first) {
    logger.warn(
      { error: first.unreachable },
      "Slack's Web API did not answer auth.test; commands are still answered, the bot token is not checked yet",
    );
    return {};
  }
  return first;
}
