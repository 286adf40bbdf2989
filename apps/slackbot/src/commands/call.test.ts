import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { allText, type SlackHarness, startSlackHarness, USER } from "../testing/slack-harness.ts";

describe("/call", () => {
  let h: SlackHarness;
  beforeAll(async () => {
    h = await startSlackHarness();
  }, 60_000);
  afterAll(async () => {
    await h?.stop();
  }, 30_000);

  const originatesTo = (number: string) => h.fakeSwitch.originates.filter((o) => o.raw.includes(`/${number}/`));

  test("/call <from> <to> acks at once, rings <from> first, then shows the answered call card", async () => {
    const ack = await h.command("/call", "100 5551234");
    expect(ack.status).toBe(200);
    expect(ack.body).toMatchObject({ response_type: "ephemeral", text: "Calling 100…" });
    const { message } = await h.replyContaining(ack, "Answered");
    expect(message.response_type).toBe("ephemeral");
    expect(message.replace_original).toBe(true);
    expect(message.text).toBe("Answered: 100 → 5551234");
    expect(allText(message.blocks)).toContain("Rings first");
    const placed = originatesTo("5551234");
    expect(placed).toHaveLength(1);
    // The original's shape: the first leg is <from> in the domain's context, bridged to <to>.
    expect(placed[0]!.raw).toMatch(/loopback\/100\/pbx\.example\.com .*&bridge\(.*loopback\/5551234\/pbx\.example\.com/);
    const audit = (await h.auditRows()).filter((r) => r.request_id === `slack-${ack.triggerId}`);
    expect(audit).toEqual([
      expect.objectContaining({ action: "originate", outcome: "ok", face: "slack", slack_user_id: USER, slack_team_id: "T0TEAM", domain_uuid: h.domainUuid }),
    ]);
  });

  test("/call <to> rings the user's own extension first", async () => {
    await h.setUser("U0WITHEXT", ["read", "calls"], "101");
    const ack = await h.command("/call", "5550101", { user: "U0WITHEXT" });
    expect(ack.body?.text).toBe("Calling your extension…");
    const { message } = await h.replyContaining(ack, "Answered");
    expect(message.text).toBe("Answered: 101 → 5550101");
    expect(originatesTo("5550101")[0]!.raw).toContain("loopback/101/pbx.example.com");
  });

  test("/call <to> without an own extension explains how to get one and places nothing", async () => {
    const ack = await h.command("/call", "5550102");
    const [reply] = await h.replies(ack);
    expect(reply!.text).toContain("no extension of your own");
    expect(reply!.text).toContain("/call <from> <to>");
    expect(originatesTo("5550102")).toHaveLength(0);
  });

  for (const [outcome, script, expected] of [
    ["busy", { kind: "busy" }, "Busy: 102 → 5550200 (USER_BUSY)"],
    ["no answer", { kind: "noAnswer" }, "No answer: 103 → 5550300 (NO_ANSWER)"],
    ["failed", { kind: "fail", cause: "SUBSCRIBER_ABSENT" }, "Failed: 104 → 5550400 (SUBSCRIBER_ABSENT)"],
  ] as const) {
    test(`reports ${outcome} with the cause`, async () => {
      const [from, to] = expected.split(": ")[1]!.split(" (")[0]!.split(" → ") as [string, string];
      h.fakeSwitch.scriptOriginate(`loopback/${from}/`, script, 1);
      const ack = await h.command("/call", `${from} ${to}`);
      const { message } = await h.replyContaining(ack, expected.split(":")[0]!);
      expect(message.text).toBe(expected);
    });
  }

  test("a Slack retry of the same command never places a second call", async () => {
    const triggerId = `retry.${Date.now()}`;
    const first = await h.command("/call", "105 5550500", { triggerId });
    const retry = await h.command("/call", "105 5550500", { triggerId, retryNum: 1 });
    const again = await h.command("/call", "105 5550500", { triggerId, retryNum: 2 });
    for (const ack of [first, retry, again]) expect(ack.status).toBe(200);
    await h.replyContaining(first, "Answered");
    // A later command, fully answered, proves the retries had their chance to act.
    const later = await h.command("/call", "106 5550600");
    await h.replyContaining(later, "Answered");
    expect(originatesTo("5550500")).toHaveLength(1);
    const audit = (await h.auditRows()).filter((r) => r.request_id === `slack-${triggerId}`);
    expect(audit.filter((r) => r.action === "originate")).toHaveLength(1);
    expect(audit.filter((r) => r.outcome === "retry-ignored")).toHaveLength(2);
  });

  test("the ack arrives before a slow switch has even taken the call", async () => {
    h.fakeSwitch.setApiDelay(3500);
    try {
      const ack = await h.command("/call", "107 5550700");
      expect(ack.status).toBe(200);
      expect(ack.body?.text).toBe("Calling 107…");
      // At the moment the ack was in hand, the switch had not dispatched the originate and nothing was sent.
      expect(originatesTo("5550700")).toHaveLength(0);
      expect(h.responses.at(ack.responsePath)).toHaveLength(0);
      const answered = await h.replyContaining(ack, "Answered", 20_000);
      expect(answered.seq).toBeGreaterThan(ack.seq);
      expect(originatesTo("5550700")).toHaveLength(1);
    } finally {
      h.fakeSwitch.setApiDelay(0);
    }
  }, 30_000);

  test("without the calls scope the call is refused and audited as forbidden", async () => {
    await h.setUser("U0READER", ["read"]);
    const ack = await h.command("/call", "108 5550800", { user: "U0READER" });
    const [reply] = await h.replies(ack);
    expect(reply!.text).toContain("You need the 'calls' permission");
    expect(originatesTo("5550800")).toHaveLength(0);
    const audit = (await h.auditRows()).filter((r) => r.request_id === `slack-${ack.triggerId}`);
    expect(audit).toEqual([expect.objectContaining({ action: "originate", outcome: "error", error_code: "FORBIDDEN" })]);
  });

  test("help and wrong usage answer with the usage text, in the ack, without calling", async () => {
    for (const text of ["help", "", "1 2 3"]) {
      const ack = await h.command("/call", text);
      expect(String(ack.body?.text)).toContain("/call <from> <to>");
    }
  });

  test("an unsafe number is refused by the action's contract, nothing reaches the switch", async () => {
    const before = h.fakeSwitch.originates.length;
    const ack = await h.command("/call", "100 '5551234,origination_caller_id_number=666'");
    const [reply] = await h.replies(ack);
    expect(reply!.text).toContain("invalid parameter");
    expect(h.fakeSwitch.originates.length).toBe(before);
  });
});
