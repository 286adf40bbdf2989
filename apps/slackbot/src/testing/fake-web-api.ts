import { webApi } from "@slack/bolt";

/** One message as Slack keeps it: what chat.postMessage posted, as chat.update last changed it. */
export interface PostedMessage {
  channel: string;
  ts: string;
  text: string;
  blocks: Array<Record<string, unknown>>;
  /** Every version, first to last. */
  versions: Array<{ text: string; blocks: Array<Record<string, unknown>> }>;
}

/** The bot's Web API client pointed at a fake Slack (`origin` like http://127.0.0.1:1234): no retries, so a 429 shows. */
export function testWebClient(origin: string): webApi.WebClient {
  return new webApi.WebClient("xoxb-test-token", {
    slackApiUrl: `${origin}/api/`,
    rejectRateLimitedCalls: true,
    retryConfig: { retries: 0 },
  });
}

/**
 * Slack's Web API as the bot uses it, for a capture server: auth.test, users.list, conversations.open (the user's DM),
 * chat.postMessage (a new message with its ts) and chat.update (changes the message at channel + ts, or
 * `message_not_found`). A message over Slack's limits is refused before this runs (capture-server.ts).
 */
export function createFakeWebApi(team: string, extra: (path: string) => unknown = () => undefined) {
  const messages = new Map<string, PostedMessage>();
  /** The workspace's members as users.list gives them (one page); tests add their own. */
  const members: Array<{ id: string; name: string; profile: { display_name: string; real_name: string } }> = [];
  let clock = 1_700_000_000;
  const blocksOf = (raw: unknown) =>
    (typeof raw === "string" ? JSON.parse(raw) : (raw ?? [])) as Array<Record<string, unknown>>;
  function reply(path: string, body: Record<string, unknown>): unknown {
    switch (path) {
      case "/api/auth.test":
        return {
          ok: true,
          url: "https://example.slack.com/",
          team: "Example",
          user: "switchboard",
          team_id: team,
          user_id: "U0BOT",
          bot_id: "B0BOT",
        };
      case "/api/users.list":
        return { ok: true, members, response_metadata: { next_cursor: "" } };
      case "/api/conversations.open":
        return { ok: true, channel: { id: `D${String(body.users)}` } };
      case "/api/chat.postMessage": {
        const ts = `${++clock}.000100`;
        const channel = String(body.channel);
        const version = { text: String(body.text ?? ""), blocks: blocksOf(body.blocks) };
        messages.set(`${channel}:${ts}`, { channel, ts, ...version, versions: [version] });
        return { ok: true, channel, ts };
      }
      case "/api/chat.update": {
        const message = messages.get(`${String(body.channel)}:${String(body.ts)}`);
        if (!message) return { ok: false, error: "message_not_found" };
        const version = { text: String(body.text ?? ""), blocks: blocksOf(body.blocks) };
        Object.assign(message, version);
        message.versions.push(version);
        return { ok: true, channel: message.channel, ts: message.ts };
      }
      default:
        return extra(path) ?? { ok: true };
    }
  }
  return { reply, messages, members };
}
