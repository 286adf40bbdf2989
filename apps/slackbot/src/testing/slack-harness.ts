import { createAuditSink } from "@switchboard/core";
import { loadSchemaInfo, migrate } from "@switchboard/db";
import { createTestDatabase, type TestDatabase } from "@switchboard/db/testing";
import { createSwitchPool } from "@switchboard/esl";
import { type FakeSwitch, startFakeSwitch } from "@switchboard/esl/testing";
import { loadConfig } from "../config.ts";
import { type Bot, createBot } from "../create-bot.ts";
import { assembleRuntime, silentLogger } from "@switchboard/runtime";
import { type CaptureServer, nextSequence, startCaptureServer } from "./capture-server.ts";
import { startFakeSocketMode } from "./fake-socket-mode.ts";
import { createFakeWebApi } from "./fake-web-api.ts";
import { signedHeaders } from "./signing.ts";

export const SIGNING_SECRET = "8f742231b10e8888abcd99yyyzzz85a5";
export const TEAM = "T0TEAM";
export const USER = "U0USER";
export const ADMIN = "U0ADMIN";
export const DOMAIN_NAME = "pbx.example.com";
export const OTHER_DOMAIN_NAME = "other.example.com";
/** A second workspace, which the operator binds to the other domain. */
export const OTHER_TEAM = "T0ELSE";

export interface SlackRequestOptions {
  user?: string;
  team?: string;
  triggerId?: string;
  retryNum?: number;
  /** Seconds since the epoch put in the timestamp header (default now). */
  timestamp?: number;
  signature?: "valid" | "none" | "bad";
}

export interface SlackAck {
  status: number;
  /** The HTTP response body, parsed when it is JSON. */
  body: Record<string, unknown> | null;
  text: string;
  /** Where this request's response_url posts land in `responses`. */
  responsePath: string;
  triggerId: string;
  /** When the ack arrived, in the capture servers' ordering. */
  seq: number;
}

let triggers = 0;

/** A message's `text` as Slack shows it: the bot escapes `&`, `<` and `>` on the wire (so nothing pings). */
export function shownText(text: unknown): string {
  return String(text ?? "")
    .replaceAll("&lt;", "<")
    .replaceAll("&gt;", ">")
    .replaceAll("&amp;", "&");
}

/** The message with its `text` as Slack shows it; the raw wire form stays in `responses`/`webApi`. */
function asShown<T>(message: T): T {
  if (!message || typeof message !== "object" || typeof (message as { text?: unknown }).text !== "string")
    return message;
  return { ...message, text: shownText((message as unknown as { text: string }).text) };
}

/**
 * The whole bot as Slack sees it: the HTTP receiver on a loopback port over a fresh PostgreSQL database
 * (FusionPBX 5.6 dump + switchboard_ tables) and the fake switch, with a fake response_url server and a
 * fake Web API capturing everything it sends.
 */
export async function startSlackHarness(env: Record<string, string> = {}) {
  const db: TestDatabase = await createTestDatabase({ dump: "fusionpbx-5.6-master", prefix: "sb_slack" });
  await migrate(db.sql);
  const domainUuid = crypto.randomUUID();
  const otherDomainUuid = crypto.randomUUID();
  await db.sql`insert into v_domains (domain_uuid, domain_name, domain_enabled) values
    (${domainUuid}, ${DOMAIN_NAME}, true), (${otherDomainUuid}, ${OTHER_DOMAIN_NAME}, true)`;

  const fakeSwitch: FakeSwitch = await startFakeSwitch();
  const switches = createSwitchPool({
    switches: [{ host: fakeSwitch.host, port: fakeSwitch.port, password: fakeSwitch.password }],
  });
  const responses: CaptureServer = startCaptureServer();
  const socketMode = env.SLACK_APP_TOKEN ? startFakeSocketMode() : null;
  const slack = createFakeWebApi(TEAM, (path) =>
    path === "/api/apps.connections.open" && socketMode ? { ok: true, url: socketMode.url } : undefined,
  );
  const webApi: CaptureServer = startCaptureServer(slack.reply);
  const audit = createAuditSink(db.sql, { intervalMs: 20 });
  const config = loadConfig({
    SLACK_BOT_TOKEN: "xoxb-test-token",
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_API_URL: `${webApi.url}/api/`,
    SLACK_ADMIN_USERS: ADMIN,
    // The operator's binding: this workspace on one domain, another workspace on the other.
    SLACK_TEAM_DOMAINS: `${TEAM}:${DOMAIN_NAME},${OTHER_TEAM}:${OTHER_DOMAIN_NAME}`,
    PORT: "0",
    HOST: "127.0.0.1",
    // No event ingest runs here unless a test starts one, so /call's card follows by its fallback poll,
    // made quick; call-events.test.ts sets it high to prove the events alone drive the card.
    SLACK_CALL_POLL_MS: "1000",
    ...env,
  });
  const runtime = assembleRuntime({
    sql: db.sql,
    schema: await loadSchemaInfo(db.sql),
    switches,
    audit,
    logger: silentLogger,
  });
  const bot: Bot = createBot(config, runtime);
  const eventsUrl = await bot.start();

  async function post(
    body: string,
    options: SlackRequestOptions,
    responsePath: string,
    triggerId: string,
  ): Promise<SlackAck> {
    const headers: Record<string, string> = signedHeaders(SIGNING_SECRET, body, options.timestamp);
    if (options.signature === "none") {
      delete headers["x-slack-signature"];
      delete headers["x-slack-request-timestamp"];
    }
    if (options.signature === "bad")
      headers["x-slack-signature"] = signedHeaders("not-the-secret", body, options.timestamp)["x-slack-signature"]!;
    if (options.retryNum !== undefined) {
      headers["x-slack-retry-num"] = String(options.retryNum);
      headers["x-slack-retry-reason"] = "http_timeout";
    }
    const response = await fetch(eventsUrl, { method: "POST", headers, body });
    const text = await response.text();
    const seq = nextSequence();
    let parsed: Record<string, unknown> | null = null;
    try {
      parsed = text ? (JSON.parse(text) as Record<string, unknown>) : null;
    } catch {}
    return { status: response.status, body: asShown(parsed), text, responsePath, triggerId, seq };
  }

  return {
    db,
    sql: db.sql,
    domainUuid,
    otherDomainUuid,
    fakeSwitch,
    switches,
    responses,
    webApi,
    /** The messages the bot posted with chat.postMessage, by `channel:ts`, as chat.update left them. */
    posted: slack.messages,
    /** The workspace's members that users.list answers with. */
    members: slack.members,
    eventsUrl,
    audit,

    socketMode,

    /** POSTs a slash command exactly as Slack does (form body, v0 signature); in Socket Mode, sends it as an envelope. */
    async command(command: string, text: string, options: SlackRequestOptions = {}): Promise<SlackAck> {
      const triggerId = options.triggerId ?? `${Date.now()}.${++triggers}.trigger`;
      const responsePath = `/commands/${triggerId}`;
      const fields = {
        token: "legacy-verification-token",
        team_id: options.team ?? TEAM,
        team_domain: "example",
        channel_id: "C0CHANNEL",
        channel_name: "general",
        user_id: options.user ?? USER,
        user_name: "someone",
        command,
        text,
        api_app_id: "A0APP",
        is_enterprise_install: "false",
        response_url: `${responses.url}${responsePath}`,
        trigger_id: triggerId,
      };
      if (socketMode) {
        const ack = await socketMode.sendSlashCommand(fields);
        return {
          status: 200,
          body: asShown(ack),
          text: JSON.stringify(ack),
          responsePath,
          triggerId,
          seq: nextSequence(),
        };
      }
      return post(new URLSearchParams(fields).toString(), options, responsePath, triggerId);
    },

    /** POSTs a block_actions payload for a button, as Slack does when a user presses it. */
    click(actionId: string, value: string, options: SlackRequestOptions = {}): Promise<SlackAck> {
      const triggerId = options.triggerId ?? `${Date.now()}.${++triggers}.click`;
      const responsePath = `/actions/${triggerId}`;
      const team = options.team ?? TEAM;
      const payload = {
        type: "block_actions",
        team: { id: team, domain: "example" },
        user: { id: options.user ?? USER, username: "someone", team_id: team },
        api_app_id: "A0APP",
        token: "legacy-verification-token",
        container: { type: "message", message_ts: "1700000000.000100", channel_id: "C0CHANNEL", is_ephemeral: true },
        trigger_id: triggerId,
        channel: { id: "C0CHANNEL", name: "general" },
        response_url: `${responses.url}${responsePath}`,
        actions: [
          {
            type: "button",
            action_id: actionId,
            block_id: "b1",
            value,
            text: { type: "plain_text", text: "x" },
            action_ts: `${Date.now() / 1000}`,
          },
        ],
      };
      const body = new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
      return post(body, options, responsePath, triggerId);
    },

    /** The response_url posts of one request, once `count` have arrived. */
    replies(ack: SlackAck, count = 1, timeoutMs?: number) {
      return responses
        .waitFor(ack.responsePath, count, timeoutMs)
        .then((all) => all.map((c) => asShown(c.body as unknown as SlackMessage)));
    },

    /** The first response_url post of a request whose fallback text contains `text`. */
    async replyContaining(ack: SlackAck, text: string, timeoutMs?: number) {
      const captured = await responses.waitForMatch(
        ack.responsePath,
        (body) => shownText(body.text).includes(text),
        timeoutMs,
      );
      return { message: asShown(captured.body as unknown as SlackMessage), seq: captured.seq };
    },

    async auditRows() {
      await audit.flush();
      return db.sql<
        {
          action: string;
          outcome: string;
          error_code: string | null;
          slack_user_id: string;
          slack_team_id: string;
          face: string;
          domain_uuid: string | null;
          request_id: string;
        }[]
      >`
        select action, outcome, error_code, slack_user_id, slack_team_id, face, domain_uuid::text as domain_uuid, request_id
        from switchboard_audit order by occurred_at, audit_uuid`;
    },

    async setUser(user: string, scopes: string[], extension: string | null = null, team = TEAM) {
      await db.sql`insert into switchboard_slack_users (team_id, user_id, scopes, extension) values (${team}, ${user}, ${scopes}::text[], ${extension})
        on conflict (team_id, user_id) do update set scopes = excluded.scopes, extension = excluded.extension`;
    },

    async stop() {
      await bot.stop().catch(() => {});
      await runtime.close();
      await switches.close().catch(() => {});
      await fakeSwitch.stop().catch(() => {});
      responses.stop();
      webApi.stop();
      socketMode?.stop();
      await db.drop();
    },
  };
}

/** What the bot posts to a response_url. */
export interface SlackMessage {
  text: string;
  blocks?: Array<Record<string, unknown>>;
  response_type?: string;
  replace_original?: boolean;
}

/** Every piece of text in a message (fallback and blocks), for assertions that do not depend on layout. */
export function allText(message: unknown): string {
  return JSON.stringify(message ?? {});
}

export type SlackHarness = Awaited<ReturnType<typeof startSlackHarness>>;
