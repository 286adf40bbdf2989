import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { type EventIngest, startEventIngest } from "@switchboard/core";
import { fakePbx } from "@switchboard/esl/testing";
import { allText, DOMAIN_NAME, type SlackHarness, startSlackHarness } from "../testing/slack-harness.ts";

const CALLER = "U0EVENTS";

async function eventually<T>(probe: () => T | undefined | null | false, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error("the condition never held");
    await Bun.sleep(25);
  }
}

describe("/call's card follows the call by its events", () => {
  let h: SlackHarness;
  let ingest: EventIngest;
  beforeAll(async () => {
    // The fallback poll is an hour: any change of the card within the test came from an event.
    h = await startSlackHarness({ SLACK_CALL_POLL_MS: "3600000" });
    await h.sql`insert into v_extensions (extension_uuid, domain_uuid, extension, effective_caller_id_name, enabled)
      values (${crypto.randomUUID()}, ${h.domainUuid}, '101', 'Alice', true)`;
    await h.setUser(CALLER, ["read", "calls"], "101");
    ingest = startEventIngest({
      sql: h.sql,
      switches: [{ host: h.fakeSwitch.host, port: h.fakeSwitch.port, password: h.fakeSwitch.password, name: "pbx" }],
      recoverySettleMs: 60_000,
      standbyRetryMs: 200,
      backoff: { initialMs: 50, maxMs: 200 },
    });
    await eventually(() => ingest.status()[0]?.connected);
    await ingest.settled();
  }, 60_000);
  afterAll(async () => {
    await ingest?.stop();
    await h?.stop();
  }, 30_000);

  /** The card of the call to `number`, once posted, and the call's uuid it shows. */
  async function cardOf(number: string) {
    const card = await eventually(() => [...h.posted.values()].find((m) => m.versions[0]!.text.includes(number)));
    const callUuid = /Call ([0-9a-f-]{36})/.exec(allText(card.versions[0]!.blocks))![1]!;
    return { card, callUuid };
  }

  test("ringing → answered → ended, each from the switch's events of that call", async () => {
    // The switch creates the channel at once, answers a second later and hangs up a second after that,
    // firing CHANNEL_CREATE, CHANNEL_ANSWER and CHANNEL_HANGUP_COMPLETE as FreeSWITCH does.
    h.fakeSwitch.scriptOriginate(/loopback\/5557001\//, { kind: "answer", afterMs: 1000, hangupAfterMs: 1000 }, 1);
    const ack = await h.command("/call", "5557001", { user: CALLER });
    const { card } = await cardOf("5557001");
    expect(card.versions[0]!.text).toBe("Ringing: 101 → 5557001");
    await eventually(() => card.text.startsWith("Answered"));
    expect(allText(card.blocks)).toContain('"text":"Hang up"');
    expect((await h.replyContaining(ack, "Answered")).message.text).toBe("Answered: 101 → 5557001");
    await eventually(() => card.text.startsWith("Ended"));
    expect(card.text).toBe("Ended: 101 → 5557001 (NORMAL_CLEARING)");
    expect(allText(card.blocks)).not.toContain("Hang up");
    expect(card.versions.map((v) => v.text.split(":")[0])).toEqual(["Ringing", "Answered", "Ended"]);
  }, 40_000);

  test("a call nobody answers: the missed call's event makes the card and the reply 'No answer'", async () => {
    // The switch takes the originate and never answers it; the fake PBX plays the call's events.
    h.fakeSwitch.scriptOriginate(/loopback\/5557002\//, { kind: "never" }, 1);
    const ack = await h.command("/call", "5557002", { user: CALLER });
    const { card, callUuid } = await cardOf("5557002");
    const call = fakePbx(h.fakeSwitch)
      .call({ domain: { uuid: h.domainUuid, name: DOMAIN_NAME }, from: "101", to: "5557002", uuid: callUuid })
      .start();
    call.ring({ user: "101" });
    call.hangup("NO_ANSWER", 30);
    await eventually(() => card.text.startsWith("No answer"));
    expect(card.text).toBe("No answer: 101 → 5557002 (NO_ANSWER)");
    expect((await h.replyContaining(ack, "No answer")).message.text).toBe("No answer: 101 → 5557002 (NO_ANSWER)");
  }, 40_000);
});
