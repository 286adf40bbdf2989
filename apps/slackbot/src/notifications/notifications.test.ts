import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { webApi } from "@slack/bolt";
import { appendEvents, type NewEvent } from "@switchboard/core";
import { silentLogger } from "../runtime/logger.ts";
import { testWebClient } from "../testing/fake-web-api.ts";
import { allText, DOMAIN_NAME, type SlackHarness, startSlackHarness, TEAM } from "../testing/slack-harness.ts";
import { NOTIFY_CALL_BACK } from "./notification-card.ts";
import { createNotifier } from "./notifier.ts";
import { sendDueNotifications } from "./notify-sender.ts";

const ALICE = "U0ALICE";
const BOB = "U0BOB";
const binding = { teamDomains: new Map([[TEAM, DOMAIN_NAME]]), fixedDomainName: null };

function missed(domain: string, extensionUuid: string | null, ringGroupUuid: string | null, number = "+12065550123") {
  return {
    id: `evt_${crypto.randomUUID()}`,
    type: "call.missed",
    domain_uuid: domain,
    call_id: crypto.randomUUID(),
    extension_uuid: extensionUuid,
    occurred_at: "2026-12-03T09:30:00.000Z",
    reconciled: false,
    switch_host: null,
    data: {
      direction: "inbound",
      caller: { number, name: "Pat Caller" },
      destination: "100",
      extension_uuid: extensionUuid,
      status: "missed",
      cause: "NO_ANSWER",
      ring_group_uuid: ringGroupUuid,
      ended_at: "2026-12-03T09:30:00.000Z",
    },
  } satisfies NewEvent;
}

describe("Slack notifications", () => {
  let h: SlackHarness;
  let aliceExtension: string;
  let ringGroup: string;
  let client: webApi.WebClient;

  beforeAll(async () => {
    h = await startSlackHarness();
    aliceExtension = crypto.randomUUID();
    await h.sql`insert into v_extensions (extension_uuid, domain_uuid, extension, enabled) values
      (${aliceExtension}, ${h.domainUuid}, '101', true), (${crypto.randomUUID()}, ${h.domainUuid}, '102', true)`;
    ringGroup = crypto.randomUUID();
    await h.sql`insert into v_ring_groups (ring_group_uuid, domain_uuid, ring_group_name, ring_group_extension)
      values (${ringGroup}, ${h.domainUuid}, 'Sales', '600')`;
    await h.sql`insert into v_ring_group_destinations (ring_group_destination_uuid, ring_group_uuid, domain_uuid, destination_number)
      values (${crypto.randomUUID()}, ${ringGroup}, ${h.domainUuid}, '101'), (${crypto.randomUUID()}, ${ringGroup}, ${h.domainUuid}, '102')`;
    await h.setUser(ALICE, ["read", "calls"], "101");
    await h.setUser(BOB, ["read", "calls"], "102");
    client = testWebClient(h.webApi.url);
  }, 60_000);
  afterAll(async () => {
    await h?.stop();
  }, 30_000);

  const dmsTo = (user: string) => [...h.posted.values()].filter((m) => m.channel === `D${user}`);

  test("a missed call reaches the linked user's DM: who, when, which extension, and a Call back button", async () => {
    const notifier = createNotifier({ sql: h.sql, binding, client, logger: silentLogger, paceMs: 0 });
    await appendEvents(h.sql, [missed(h.domainUuid, aliceExtension, null)]);
    await notifier.runOnce();
    const [card] = dmsTo(ALICE);
    expect(card!.text).toBe("Missed call from +12065550123");
    const shown = allText(card!.blocks);
    expect(shown).toContain("Pat Caller (+12065550123)");
    expect(shown).toContain("extension 101");
    expect(shown).toContain("<!date^1796290200^");
    expect(shown).toContain(NOTIFY_CALL_BACK);
    expect(dmsTo(BOB)).toHaveLength(0);
  });

  test("a ring group's missed call reaches every linked member; other domains and unlinked extensions reach nobody", async () => {
    const notifier = createNotifier({ sql: h.sql, binding, client, logger: silentLogger, paceMs: 0 });
    const before = { alice: dmsTo(ALICE).length, bob: dmsTo(BOB).length };
    await appendEvents(h.sql, [
      missed(h.domainUuid, null, ringGroup, "+12065550124"),
      missed(h.otherDomainUuid, null, null),
      missed(h.domainUuid, crypto.randomUUID(), null),
    ]);
    await notifier.runOnce();
    expect(dmsTo(ALICE).length).toBe(before.alice + 1);
    expect(dmsTo(BOB).length).toBe(before.bob + 1);
    expect(allText(dmsTo(BOB).at(-1)!.blocks)).toContain("ring group Sales (600)");
  });

  test("a voicemail reaches the mailbox owner: who, when, mailbox, length, Call back", async () => {
    const notifier = createNotifier({ sql: h.sql, binding, client, logger: silentLogger, paceMs: 0 });
    await appendEvents(h.sql, [
      {
        id: `evt_${crypto.randomUUID()}`,
        type: "voicemail.left",
        domain_uuid: h.domainUuid,
        call_id: null,
        extension_uuid: null,
        occurred_at: "2026-12-03T09:40:00.000Z",
        reconciled: false,
        switch_host: null,
        data: {
          voicemail_message_uuid: crypto.randomUUID(),
          voicemail_uuid: null,
          mailbox: "101",
          caller: { number: "5550177", name: null },
          length_seconds: 42,
          created_at: "2026-12-03T09:40:00.000Z",
          extension_uuid: null,
        },
      },
    ]);
    await notifier.runOnce();
    const card = dmsTo(ALICE).at(-1)!;
    expect(card.text).toBe("New voicemail from 5550177");
    const shown = allText(card.blocks);
    expect(shown).toContain("*Mailbox*\\n101");
    expect(shown).toContain("*Length*\\n0:42");
    expect(shown).toContain(NOTIFY_CALL_BACK);
    expect(dmsTo(BOB).some((m) => m.text.includes("5550177"))).toBe(false);
  });

  test("Call back rings the presser's own extension first, under /call's policy", async () => {
    const click = await h.click(NOTIFY_CALL_BACK, JSON.stringify({ to: "5550123" }), { user: ALICE });
    const [reply] = await h.replies(click);
    expect(reply!.text).toContain("101 → 5550123");
    expect(h.fakeSwitch.originates.some((o) => o.raw.includes("/5550123/"))).toBe(true);
    // The same dial policy as /call: international numbers are refused unless the operator allows them.
    const abroad = await h.click(NOTIFY_CALL_BACK, JSON.stringify({ to: "+442079460000" }), { user: ALICE });
    expect((await h.replies(abroad))[0]!.text).toContain("international numbers are not allowed");
    await h.setUser("U0READER", ["read"], "102");
    const refused = await h.click(NOTIFY_CALL_BACK, JSON.stringify({ to: "5550125" }), { user: "U0READER" });
    expect((await h.replies(refused))[0]!.text).toContain("You need the 'calls' permission");
    expect(h.fakeSwitch.originates.some((o) => o.raw.includes("5550125"))).toBe(false);
  }, 30_000);
});

describe("the per-conversation queue", () => {
  let h: SlackHarness;
  beforeAll(async () => {
    h = await startSlackHarness();
  }, 60_000);
  afterAll(async () => {
    await h?.stop();
  }, 30_000);

  test("one message a second per user; a 429's Retry-After is waited out and nothing is dropped", async () => {
    const posts: { channel: string; at: number }[] = [];
    let limited = false;
    const slack = Bun.serve({
      hostname: "127.0.0.1",
      port: 0,
      async fetch(request) {
        const path = new URL(request.url).pathname;
        const body = new URLSearchParams(await request.text());
        if (path === "/api/conversations.open")
          return Response.json({ ok: true, channel: { id: `D${body.get("users")}` } });
        if (!limited) {
          limited = true;
          return new Response(JSON.stringify({ ok: false, error: "ratelimited" }), {
            status: 429,
            headers: { "retry-after": "1", "content-type": "application/json" },
          });
        }
        posts.push({ channel: String(body.get("channel")), at: Date.now() });
        return Response.json({ ok: true, channel: body.get("channel"), ts: `${Date.now()}.000100` });
      },
    });
    try {
      const client = testWebClient(`http://127.0.0.1:${slack.port}`);
      const rows = ["one", "two", "three"].map((text) => ({
        team_id: TEAM,
        user_id: "U0BUSY",
        event_id: `evt_${text}`,
        message: JSON.stringify({ text, blocks: [] }),
      }));
      await h.sql`insert into switchboard_slack_notifications ${h.sql(rows)}`;
      const deadline = Date.now() + 20_000;
      while (posts.length < 3 && Date.now() < deadline) {
        await sendDueNotifications(h.sql, client);
        await Bun.sleep(100);
      }
      expect(posts).toHaveLength(3);
      for (let i = 1; i < posts.length; i++) expect(posts[i]!.at - posts[i - 1]!.at).toBeGreaterThanOrEqual(900);
      const stored = await h.sql`select status from switchboard_slack_notifications where user_id = 'U0BUSY'`;
      expect(stored.map((r) => r.status)).toEqual(["sent", "sent", "sent"]);
    } finally {
      slack.stop(true);
    }
  }, 40_000);
});
