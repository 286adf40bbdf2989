import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { type SlackHarness, startSlackHarness } from "./testing/slack-harness.ts";

describe("Socket Mode (SLACK_APP_TOKEN set)", () => {
  let h: SlackHarness;
  beforeAll(async () => {
    h = await startSlackHarness({
      SLACK_APP_TOKEN: "xapp-1-A0APP-test",
      SLACK_SIGNING_SECRET: "",
      SLACK_DOMAIN: "pbx.example.com",
    });
    await h.socketMode!.connected;
    await h.sql`insert into v_extensions (extension_uuid, domain_uuid, extension, enabled) values (${crypto.randomUUID()}, ${h.domainUuid}, '100', true)`;
    await h.setUser("U0USER", ["read", "calls", "calls-any"]);
  }, 60_000);
  afterAll(async () => {
    await h?.stop();
  }, 30_000);

  test("opens the connection through apps.connections.open with the app token", () => {
    const open = h.webApi.at("/api/apps.connections.open");
    expect(open.length).toBeGreaterThanOrEqual(1);
    expect(open[0]!.headers.authorization).toBe("Bearer xapp-1-A0APP-test");
    expect(h.eventsUrl).toBe("socket mode");
  });

  test("help is answered in the envelope's ack", async () => {
    const ack = await h.command("/ext", "help");
    expect(String(ack.body?.text)).toContain("/ext create <number>");
  });

  test("/call 100 5551234 acks over the socket, then reports through response_url", async () => {
    const ack = await h.command("/call", "100 5551234");
    expect(ack.body?.text).toBe("Calling 100…");
    const { message } = await h.replyContaining(ack, "Answered");
    expect(message.text).toBe("Answered: 100 → 5551234");
  });
});
