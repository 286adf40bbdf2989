import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { webApi } from "@slack/bolt";
import { appendEvents, type NewEvent } from "@switchboard/core";
import { silentLogger } from "../runtime/logger.ts";
import { testWebClient } from "../testing/fake-web-api.ts";
import {
  ADMIN,
  DOMAIN_NAME,
  OTHER_DOMAIN_NAME,
  OTHER_TEAM,
  type SlackHarness,
  startSlackHarness,
  TEAM,
  USER,
} from "../testing/slack-harness.ts";
import { createNotifier } from "./notifier.ts";

const RECEPTION = "C0RECEPTION";
const binding = {
  teamDomains: new Map([
    [TEAM, DOMAIN_NAME],
    [OTHER_TEAM, OTHER_DOMAIN_NAME],
  ]),
  fixedDomainName: null,
};

function missed(domain: string, number: string): NewEvent {
  return {
    id: `evt_${crypto.randomUUID()}`,
    type: "call.missed",
    domain_uuid: domain,
    call_id: crypto.randomUUID(),
    extension_uuid: null,
    occurred_at: "2026-12-03T09:30:00.000Z",
    reconciled: false,
    switch_host: null,
    data: {
      direction: "inbound",
      caller: { number, name: null },
      destination: "100",
      extension_uuid: null,
      status: "missed",
      cause: "NO_ANSWER",
      ring_group_uuid: null,
      ended_at: "2026-12-03T09:30:00.000Z",
    },
  };
}

describe("/pbx notify: channel subscriptions for the workspace's own domain", () => {
  let h: SlackHarness;
  let client: webApi.WebClient;
  beforeAll(async () => {
    h = await startSlackHarness();
    client = testWebClient(h.webApi.url);
  }, 60_000);
  afterAll(async () => {
    await h?.stop();
  }, 30_000);

  const postedTo = (channel: string) => [...h.posted.values()].filter((m) => m.channel === channel);
  const say = async (text: string, user = ADMIN, team = TEAM) => {
    const ack = await h.command("/pbx", text, { user, team });
    return (await h.replies(ack))[0]!.text;
  };

  test("subscribe, list: a missed call of the domain reaches the channel, another domain's does not", async () => {
    expect(await say(`notify missed <#${RECEPTION}|reception>`)).toContain(
      "#reception now gets this domain's missed calls",
    );
    // The same admin in a workspace bound to another domain subscribes for that domain only.
    await say("notify missed <#C0ELSEWHERE|elsewhere>", ADMIN, OTHER_TEAM);
    const rows = await h.sql`
      select team_id, channel_id, domain_uuid::text as domain_uuid from switchboard_slack_channel_subscriptions
      order by team_id`;
    expect([...rows]).toEqual([
      { team_id: OTHER_TEAM, channel_id: "C0ELSEWHERE", domain_uuid: h.otherDomainUuid },
      { team_id: TEAM, channel_id: RECEPTION, domain_uuid: h.domainUuid },
    ]);
    expect(await say("notify list")).toContain("#reception: missed calls");

    const notifier = createNotifier({ sql: h.sql, binding, client, logger: silentLogger, paceMs: 0 });
    await appendEvents(h.sql, [missed(h.domainUuid, "5550101")]);
    await notifier.runOnce();
    expect(postedTo(RECEPTION).map((m) => m.text)).toEqual(["Missed call from 5550101"]);
    expect(postedTo("C0ELSEWHERE")).toHaveLength(0);
  }, 30_000);

  test("a user without the admin permission is refused and nothing is stored", async () => {
    const before = await h.sql`select count(*)::int as n from switchboard_slack_channel_subscriptions`;
    expect(await say("notify voicemail <#C0SNEAKY|sneaky>", USER)).toContain("You need the 'admin' permission");
    expect(await say("notify off missed <#C0RECEPTION|reception>", USER)).toContain("You need the 'admin' permission");
    expect(await h.sql`select count(*)::int as n from switchboard_slack_channel_subscriptions`).toEqual(before);
  }, 30_000);

  test("a channel is one picked from Slack's list; wrong kinds say what is valid", async () => {
    // Wrong usage is answered in the acknowledgement itself.
    const bare = await h.command("/pbx", "notify missed #reception", { user: ADMIN });
    expect(String(bare.body?.text)).toContain("is not a channel");
    const kind = await h.command("/pbx", `notify hangups <#${RECEPTION}|reception>`, { user: ADMIN });
    expect(String(kind.body?.text)).toContain("use missed or voicemail");
  }, 30_000);

  test("unsubscribe stops it", async () => {
    expect(await say(`notify off missed <#${RECEPTION}|reception>`)).toContain(
      "#reception no longer gets missed calls",
    );
    const notifier = createNotifier({ sql: h.sql, binding, client, logger: silentLogger, paceMs: 0 });
    await appendEvents(h.sql, [missed(h.domainUuid, "5550102")]);
    await notifier.runOnce();
    expect(postedTo(RECEPTION).some((m) => m.text.includes("5550102"))).toBe(false);
    expect(await say("notify list")).toContain("No channel gets notifications");
  }, 30_000);

  test("one message a second per channel, through the same queue; nothing dropped", async () => {
    await say("notify missed <#C0BUSY|busy>");
    const notifier = createNotifier({ sql: h.sql, binding, client, logger: silentLogger });
    await appendEvents(
      h.sql,
      ["5550201", "5550202", "5550203"].map((n) => missed(h.domainUuid, n)),
    );
    const seen: number[] = [];
    const deadline = Date.now() + 20_000;
    while (seen.length < 3 && Date.now() < deadline) {
      await notifier.runOnce();
      while (seen.length < postedTo("C0BUSY").length) seen.push(Date.now());
      await Bun.sleep(50);
    }
    expect(postedTo("C0BUSY").map((m) => m.text)).toEqual([
      "Missed call from 5550201",
      "Missed call from 5550202",
      "Missed call from 5550203",
    ]);
    for (let i = 1; i < seen.length; i++) expect(seen[i]! - seen[i - 1]!).toBeGreaterThanOrEqual(900);
    const stored = await h.sql`
      select status, user_id from switchboard_slack_notifications where channel_id = 'C0BUSY'`;
    expect([...stored]).toEqual([...Array(3)].map(() => ({ status: "sent", user_id: null })));
  }, 40_000);
});
