import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { allText, type SlackHarness, startSlackHarness, USER } from "../testing/slack-harness.ts";

const CALLER = "U0CALLER";

async function eventually(check: () => boolean, timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error("the condition never held");
    await Bun.sleep(50);
  }
}
const OPERATOR = "U0OPERATOR";

describe("/call", () => {
  let h: SlackHarness;
  beforeAll(async () => {
    h = await startSlackHarness();
    for (const [extension, name] of [
      ["100", "Front Desk"],
      ["101", "Alice"],
      ["102", "Bob"],
      ["103", "Carol"],
      ["104", "Dan"],
      ["105", "Eve"],
      ["106", "Burst"],
    ]) {
      await h.sql`insert into v_extensions (extension_uuid, domain_uuid, extension, effective_caller_id_name, enabled)
        values (${crypto.randomUUID()}, ${h.domainUuid}, ${extension!}, ${name!}, true)`;
    }
    await h.setUser(CALLER, ["read", "calls"], "101");
    await h.setUser(OPERATOR, ["read", "calls", "calls-any"], "100");
    await h.setUser("U0CAROL", ["read"], "103");
    // These tests place many calls within a minute; the limits are tested on their own below.
    await h.sql`insert into switchboard_dial_policies (domain_uuid, calls_per_user_per_minute, calls_per_domain_per_minute) values (${h.domainUuid}, 1000, 1000)`;
  }, 60_000);
  afterAll(async () => {
    await h?.stop();
  }, 30_000);

  const originatesTo = (number: string) => h.fakeSwitch.originates.filter((o) => o.raw.includes(`/${number}/`));

  test("/call <to> acks at once, rings the user's own extension first, then shows the answered call card", async () => {
    const ack = await h.command("/call", "5551234", { user: CALLER });
    expect(ack.status).toBe(200);
    expect(ack.body).toMatchObject({ response_type: "ephemeral", text: "Calling…" });
    const { message } = await h.replyContaining(ack, "Answered");
    expect(message.response_type).toBe("ephemeral");
    expect(message.text).toBe("Answered: 101 → 5551234");
    expect(allText(message.blocks)).toContain("Rings first");
    const placed = originatesTo("5551234");
    expect(placed).toHaveLength(1);
    // The original's shape: the first leg is the extension in the domain's context, bridged to <to>; its caller id is the extension's.
    expect(placed[0]!.raw).toMatch(
      /loopback\/101\/pbx\.example\.com .*&bridge\(.*loopback\/5551234\/pbx\.example\.com/,
    );
    expect(placed[0]!.raw).toContain("effective_caller_id_name=Alice");
    const audit = (await h.auditRows()).filter((r) => r.request_id === `slack-${ack.triggerId}`);
    expect(audit).toEqual([
      expect.objectContaining({
        action: "originate",
        outcome: "ok",
        face: "slack",
        slack_user_id: CALLER,
        slack_team_id: "T0TEAM",
        domain_uuid: h.domainUuid,
      }),
    ]);
  });

  test("the call card is posted to the caller's direct messages and updated in place, with a Hang up button", async () => {
    const ack = await h.command("/call", "5559001", { user: CALLER });
    await h.replyContaining(ack, "Answered");
    const opened = h.webApi.at("/api/conversations.open").filter((c) => c.body.users === CALLER);
    expect(opened.length).toBeGreaterThan(0);
    const card = [...h.posted.values()].find((m) => m.versions[0]!.text.includes("5559001"))!;
    expect(card.channel).toBe(`D${CALLER}`);
    expect(card.versions[0]!.text).toBe("Ringing: 101 → 5559001");
    expect(allText(card.versions[0]!.blocks)).toContain('"text":"Hang up"');
    // The same message (channel + ts) now says answered, still with Hang up.
    await eventually(() => card.text.startsWith("Answered"));
    expect(allText(card.blocks)).toContain('"text":"Hang up"');
    expect(h.webApi.at("/api/chat.update").every((c) => !c.refused)).toBe(true);

    // Hang up: the switch kills the call, the card says so in place, and the live card turns to Ended.
    const callUuid = /Call ([0-9a-f-]{36})/.exec(allText(card.blocks))![1]!;
    const value = JSON.stringify({ call_uuid: callUuid, from: "101", to: "5559001" });
    const click = await h.click("call_hangup", value, { user: CALLER });
    const [hungUp] = await h.replies(click);
    expect(hungUp!.replace_original).toBe(true);
    expect(hungUp!.text).toBe("Ended: 101 → 5559001 (hung up from Slack)");
    expect(h.fakeSwitch.apiCommands()).toContain(`uuid_kill ${callUuid} NORMAL_CLEARING`);
    await eventually(() => card.text.startsWith("Ended"), 15_000);
    expect(allText(card.blocks)).not.toContain("Hang up");
    // Where the command was typed, Slack would not replace the reply; the bot leaves one message there, the outcome.
    expect(h.responses.shown(ack.responsePath).map((m) => m.text)).toEqual(["Answered: 101 → 5559001"]);
  }, 30_000);

  test("without Slack's Web API the states reach the user as messages of their own through the response_url", async () => {
    h.webApi.refuseNext(1, "ratelimited");
    const ack = await h.command("/call", "5559003", { user: CALLER });
    await h.replyContaining(ack, "Answered");
    expect(h.responses.shown(ack.responsePath).map((m) => m.text)).toEqual([
      "Ringing: 101 → 5559003",
      "Answered: 101 → 5559003",
    ]);
  });

  test("a colleague pressing Hang up without the calls permission leaves the call up", async () => {
    const ack = await h.command("/call", "5559002", { user: CALLER });
    await h.replyContaining(ack, "Answered");
    const card = [...h.posted.values()].find((m) => m.versions[0]!.text.includes("5559002"))!;
    const callUuid = /Call ([0-9a-f-]{36})/.exec(allText(card.versions[0]!.blocks))![1]!;
    await h.setUser("U0READONLY", ["read"]);
    const click = await h.click("call_hangup", JSON.stringify({ call_uuid: callUuid, from: "101", to: "5559002" }), {
      user: "U0READONLY",
    });
    expect((await h.replies(click))[0]!.text).toContain("You need the 'calls' permission");
    expect(h.fakeSwitch.apiCommands()).not.toContain(`uuid_kill ${callUuid} NORMAL_CLEARING`);
  });

  test("numbers as people type them and Slack sends them", async () => {
    for (const [typed, dialled] of [
      ["(206) 555-0142", "2065550142"],
      ["<tel:5550143|555-0143>", "5550143"],
      ["\uff15\uff15\uff15\uff10\uff11\uff14\uff14", "5550144"],
      ["101 555-0145", "5550145"],
    ] as const) {
      const ack = await h.command("/call", typed, { user: CALLER });
      expect((await h.replyContaining(ack, "Answered")).message.text).toBe(`Answered: 101 → ${dialled}`);
    }
  });

  test("a colleague by mention: their linked extension is the one dialled", async () => {
    const ack = await h.command("/call", "<@U0CAROL|Carol Smith>", { user: CALLER });
    expect((await h.replyContaining(ack, "Answered")).message.text).toBe("Answered: 101 → 103");
    const nobody = await h.command("/call", "<@U0NOBODY|nobody>", { user: CALLER });
    expect((await h.replies(nobody))[0]!.text).toContain("That colleague has no extension linked");
  });

  test("toll fraud: a stranger places nothing; outside first legs, international and premium numbers are refused", async () => {
    const before = h.fakeSwitch.originates.length;
    const stranger = await h.command("/call", "0044207946000 00882161234567");
    expect((await h.replies(stranger))[0]!.text).toContain("must be an extension of this domain");
    const unlinked = await h.command("/call", "5550102");
    expect((await h.replies(unlinked))[0]!.text).toContain("You have no extension linked to you");
    const international = await h.command("/call", "+44 20 7946 0000", { user: CALLER });
    expect((await h.replies(international))[0]!.text).toContain(
      "Calls to international numbers are not allowed in this domain",
    );
    const premium = await h.command("/call", "1-900-555-0000", { user: CALLER });
    expect((await h.replies(premium))[0]!.text).toContain("premium-rate");
    const colleague = await h.command("/call", "103 101", { user: CALLER });
    expect((await h.replies(colleague))[0]!.text).toContain("calling from another needs the 'calls-any' permission");
    expect(h.fakeSwitch.originates.length).toBe(before);
  });

  test("a bare @name (Slack sent no id) is the workspace member of that name; none or several is said plainly", async () => {
    h.members.push(
      { id: "U0CAROL", name: "carol", profile: { display_name: "Carol", real_name: "Carol Smith" } },
      { id: "U0SAM1", name: "sam", profile: { display_name: "Sam", real_name: "Sam One" } },
      { id: "U0SAM2", name: "sam.two", profile: { display_name: "Sam", real_name: "Sam Two" } },
    );
    const ack = await h.command("/call", "@carol", { user: CALLER });
    expect((await h.replyContaining(ack, "Answered")).message.text).toBe("Answered: 101 → 103");
    const byDisplayName = await h.command("/call", "@CAROL", { user: CALLER });
    expect((await h.replyContaining(byDisplayName, "Answered")).message.text).toBe("Answered: 101 → 103");
    const nobody = await h.command("/call", "@zed", { user: CALLER });
    expect((await h.replies(nobody))[0]!.text).toBe("No one in this workspace is called @zed.");
    const several = await h.command("/call", "@sam", { user: CALLER });
    expect((await h.replies(several))[0]!.text).toContain("Several people here are called @sam");
  });

  test("with calls-any, <from> may be a colleague's extension or mention", async () => {
    const ack = await h.command("/call", "<@U0CAROL|Carol Smith> 5550301", { user: OPERATOR });
    expect((await h.replyContaining(ack, "Answered")).message.text).toBe("Answered: 103 → 5550301");
  });

  for (const [outcome, script, expected] of [
    ["busy", { kind: "busy" }, "Busy: 102 → 5550200 (USER_BUSY)"],
    ["no answer", { kind: "noAnswer" }, "No answer: 104 → 5550300 (NO_ANSWER)"],
    ["failed", { kind: "fail", cause: "SUBSCRIBER_ABSENT" }, "Failed: 105 → 5550400 (SUBSCRIBER_ABSENT)"],
  ] as const) {
    test(`reports ${outcome} with the cause`, async () => {
      const [from, to] = expected.split(": ")[1]!.split(" (")[0]!.split(" → ") as [string, string];
      h.fakeSwitch.scriptOriginate(`loopback/${from}/`, script, 1);
      const ack = await h.command("/call", `${from} ${to}`, { user: OPERATOR });
      const { message } = await h.replyContaining(ack, expected.split(":")[0]!);
      expect(message.text).toBe(expected);
    });
  }

  test("a Slack retry of the same command never places a second call", async () => {
    const triggerId = `retry.${Date.now()}`;
    const first = await h.command("/call", "5550500", { triggerId, user: OPERATOR });
    const retry = await h.command("/call", "5550500", { triggerId, retryNum: 1, user: OPERATOR });
    const again = await h.command("/call", "5550500", { triggerId, retryNum: 2, user: OPERATOR });
    for (const ack of [first, retry, again]) expect(ack.status).toBe(200);
    await h.replyContaining(first, "Answered");
    // A later command, fully answered, proves the retries had their chance to act.
    const later = await h.command("/call", "5550600", { user: OPERATOR });
    await h.replyContaining(later, "Answered");
    expect(originatesTo("5550500")).toHaveLength(1);
    const audit = (await h.auditRows()).filter((r) => r.request_id === `slack-${triggerId}`);
    expect(audit.filter((r) => r.action === "originate")).toHaveLength(1);
    expect(audit.filter((r) => r.outcome === "retry-ignored")).toHaveLength(2);
  });

  test("30 /calls at once: the per-user limit places 5, the others are told when to try again", async () => {
    await h.sql`update switchboard_dial_policies set calls_per_user_per_minute = 5 where domain_uuid = ${h.domainUuid}`;
    try {
      await h.setUser("U0BURST", ["calls"], "106");
      const acks = await Promise.all(
        Array.from({ length: 30 }, (_, i) =>
          h.command("/call", `555${String(i).padStart(4, "0")}`, { user: "U0BURST" }),
        ),
      );
      const replies = await Promise.all(acks.map(async (ack) => (await h.replies(ack, 1, 30_000))[0]!.text));
      expect(
        replies.filter((t) => /^Too many calls: at most 5 a minute for you; try again in \d+ seconds\.$/.test(t)),
      ).toHaveLength(25);
      expect(h.fakeSwitch.originates.filter((o) => o.raw.includes("loopback/106/"))).toHaveLength(5);
    } finally {
      await h.sql`update switchboard_dial_policies set calls_per_user_per_minute = 1000 where domain_uuid = ${h.domainUuid}`;
    }
  }, 60_000);

  test("the ack arrives before a slow switch has even taken the call", async () => {
    // Under the pool's 2 s health check, so the switch stays "up" while it is slow.
    h.fakeSwitch.setApiDelay(1500);
    try {
      const ack = await h.command("/call", "5550700", { user: OPERATOR });
      expect(ack.status).toBe(200);
      expect(ack.body?.text).toBe("Calling…");
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

  test("without the calls permission the call is refused and audited as forbidden", async () => {
    await h.setUser("U0READER", ["read"], "104");
    const ack = await h.command("/call", "5550800", { user: "U0READER" });
    const [reply] = await h.replies(ack);
    expect(reply!.text).toContain("You need the 'calls' permission");
    expect(originatesTo("5550800")).toHaveLength(0);
    const audit = (await h.auditRows()).filter((r) => r.request_id === `slack-${ack.triggerId}`);
    expect(audit).toEqual([
      expect.objectContaining({ action: "originate", outcome: "error", error_code: "FORBIDDEN" }),
    ]);
  });

  test("help and wrong usage answer in the ack with what a valid value looks like, without calling", async () => {
    for (const text of ["help", ""]) {
      const ack = await h.command("/call", text, { user: USER });
      expect(String(ack.body?.text)).toContain("/call <from> <to>");
    }
    const before = h.fakeSwitch.originates.length;
    const ack = await h.command("/call", "100 '5551234,origination_caller_id_number=666'", { user: CALLER });
    const text = String(ack.body?.text);
    expect(text).toContain("a phone number may hold digits, +, * and #");
    expect(text).not.toContain("connect_to");
    expect(h.fakeSwitch.originates.length).toBe(before);
  });
});
