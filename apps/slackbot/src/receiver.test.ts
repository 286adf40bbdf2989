import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { allText, SIGNING_SECRET, type SlackHarness, startSlackHarness, USER } from "./testing/slack-harness.ts";
import { signedHeaders } from "./testing/signing.ts";

describe("the Slack receiver", () => {
  let h: SlackHarness;
  beforeAll(async () => {
    h = await startSlackHarness({ SLACK_DOMAIN: "pbx.example.com" });
  }, 60_000);
  afterAll(async () => {
    await h?.stop();
  }, 30_000);

  test("checks the bot token against the Web API at SLACK_API_URL", async () => {
    await h.command("/pbx", "help");
    const calls = await h.webApi.waitFor("/api/auth.test");
    expect(calls[0]!.headers.authorization).toBe("Bearer xoxb-test-token");
  });

  test("a correctly signed command is answered in the HTTP response, ephemerally", async () => {
    const ack = await h.command("/pbx", "help");
    expect(ack.status).toBe(200);
    expect(ack.body?.response_type).toBe("ephemeral");
    expect(String(ack.body?.text)).toContain("/pbx regs");
  });

  for (const [what, options] of [
    ["an unsigned", { signature: "none" }],
    ["a badly signed", { signature: "bad" }],
    ["a stale (over five minutes old)", { timestamp: Math.floor(Date.now() / 1000) - 301 }],
  ] as const) {
    test(`${what} request is refused with 401 and does nothing`, async () => {
      const refused = await h.command("/pbx", "admin scopes <@U0OTHER|other> read,write", {
        ...options,
        user: "U0ADMIN",
      });
      expect(refused.status).toBe(401);
      expect(refused.body).toBeNull();
      // A request sent after it is fully handled; by then the refused one would have acted if it could.
      const later = await h.command("/pbx", "admin show", { user: "U0ADMIN" });
      await h.replies(later);
      expect(h.responses.at(refused.responsePath)).toHaveLength(0);
      expect(await h.sql`select * from switchboard_slack_users where user_id = 'U0OTHER'`).toHaveLength(0);
      const audit = await h.auditRows();
      expect(audit.some((r) => r.request_id === `slack-${refused.triggerId}`)).toBe(false);
    });
  }

  test("a timestamp from the future beyond five minutes is refused too", async () => {
    const ack = await h.command("/pbx", "help", { timestamp: Math.floor(Date.now() / 1000) + 600 });
    expect(ack.status).toBe(401);
  });

  test("a signature over a different body is refused", async () => {
    const body = new URLSearchParams({ command: "/pbx", text: "help", user_id: USER, team_id: "T0TEAM" }).toString();
    const ts = Math.floor(Date.now() / 1000);
    const headers = signedHeaders(SIGNING_SECRET, `${body}&extra=1`, ts);
    const response = await fetch(h.eventsUrl, { method: "POST", headers, body });
    expect(response.status).toBe(401);
    expect(allText(await response.json().catch(() => null))).not.toContain("/pbx regs");
  });

  test("other paths are not served", async () => {
    const response = await fetch(h.eventsUrl.replace("/slack/events", "/other"), { method: "POST", body: "x" });
    expect(response.status).toBe(404);
  });
});
