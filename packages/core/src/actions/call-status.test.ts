import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { CALL_EVENTS, startCallTracking } from "../calls/call-tracking.ts";
import { type CallsFixture, eventually, openCallsFixture } from "../calls/test-support.ts";
import type { ActionContext } from "../context.ts";
import { ActionError } from "../errors.ts";
import { runAction } from "../execute.ts";
import { runLegacyAction } from "../legacy/run-legacy.ts";
import { callStatus } from "./call-status.ts";
import { originate } from "./originate.ts";

const dump = "fusionpbx-5.6-master";

type Status = {
  call_uuid: string;
  status: string;
  hangup_cause: string | null;
  answered_at: string | null;
  ended_at: string | null;
};

describe("call-status", () => {
  let fx: CallsFixture;
  let ctx: ActionContext;
  let stopTracking: () => void;
  const a = { uuid: "", name: "a.example.com" };
  const b = { uuid: "", name: "b.example.com" };

  beforeAll(async () => {
    fx = await openCallsFixture(dump);
    a.uuid = await fx.addDomain(a.name);
    b.uuid = await fx.addDomain(b.name);
    ctx = await fx.ctx({ face: "trpc", keyId: crypto.randomUUID() });
    stopTracking = startCallTracking(fx.db.sql, fx.pool);
    // The subscription reaches the switch once the connection is up.
    await runAction(callStatus, ctx, { call_uuid: crypto.randomUUID() }).catch(() => {});
    await fx.pool.forCalls().api("status");
    await eventually(async () =>
      fx.fake.received.some((r) => r.includes("CHANNEL_HANGUP_COMPLETE")) ? true : undefined,
    );
  }, 60_000);
  afterAll(async () => {
    stopTracking?.();
    await fx?.close();
  }, 30_000);

  const place = async (caller: ActionContext = ctx) =>
    (await runAction(originate, caller, {
      domain_uuid: a.uuid,
      caller_id_number: "100",
      ring_first: "101",
      connect_to: "*9664",
    })) as {
      call_uuid: string;
    };
  const statusOf = (uuid: string, caller: ActionContext = ctx) =>
    runAction(callStatus, caller, { call_uuid: uuid }) as Promise<Status>;
  const reaches = (uuid: string, status: string) =>
    eventually(async () => {
      const s = await statusOf(uuid);
      return s.status === status ? s : undefined;
    });

  test("subscribes to the channel events and BACKGROUND_JOB", () => {
    const subscription = fx.fake.received.filter((r) => r.startsWith("event json")).join(" ");
    for (const name of CALL_EVENTS) expect(subscription).toContain(name);
  });

  test("queued → ringing → answered → ended with the cause, from the switch's events", async () => {
    fx.fake.setOriginateOutcome({ kind: "never" });
    const { call_uuid } = await place();
    expect((await statusOf(call_uuid)).status).toBe("queued");
    const leg = { "Unique-ID": call_uuid, "Channel-Name": "loopback/101-a" };
    fx.fake.fireEvent("CHANNEL_CREATE", { ...leg, "Channel-Call-State": "DOWN" });
    await reaches(call_uuid, "ringing");
    fx.fake.fireEvent("CHANNEL_ANSWER", { ...leg, "Channel-Call-State": "ACTIVE", "Answer-State": "answered" });
    const answered = await reaches(call_uuid, "answered");
    expect(answered.answered_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    // A late event never moves a call back.
    fx.fake.fireEvent("CHANNEL_PROGRESS", leg);
    fx.fake.fireEvent("CHANNEL_HANGUP_COMPLETE", {
      ...leg,
      "Channel-Call-State": "HANGUP",
      "Hangup-Cause": "NORMAL_CLEARING",
    });
    const ended = await reaches(call_uuid, "ended");
    expect(ended.hangup_cause).toBe("NORMAL_CLEARING");
    expect(ended.ended_at).not.toBeNull();
    expect(callStatus.output.parse(ended).status).toBe("ended");
  });

  test("a BACKGROUND_JOB naming the call's origination_uuid ends it with the job's cause", async () => {
    fx.fake.setOriginateOutcome({ kind: "never" });
    const { call_uuid } = await place();
    fx.fake.fireEvent(
      "BACKGROUND_JOB",
      {
        "Job-UUID": crypto.randomUUID(),
        "Job-Command": "originate",
        "Job-Command-Arg": `{origination_uuid=${call_uuid},x=y}loopback/101/a.example.com &park`,
      },
      "-ERR USER_BUSY\n",
    );
    expect((await reaches(call_uuid, "ended")).hangup_cause).toBe("USER_BUSY");
  });

  test("the fake switch's own answer and hangup are followed", async () => {
    fx.fake.setOriginateOutcome({ kind: "answer" });
    const { call_uuid } = await place();
    await reaches(call_uuid, "answered");
    fx.fake.hangup(call_uuid, "ORIGINATOR_CANCEL");
    expect((await reaches(call_uuid, "ended")).hangup_cause).toBe("ORIGINATOR_CANCEL");
  });

  test("without events, `show channels` tells an answered call that has gone away", async () => {
    stopTracking();
    try {
      fx.fake.setOriginateOutcome({ kind: "answer" });
      const { call_uuid } = await place();
      await reaches(call_uuid, "answered");
      fx.fake.channels.delete(call_uuid);
      expect((await statusOf(call_uuid)).status).toBe("answered"); // gone for a moment only
      const later = await fx.ctx({ face: "trpc" }, { now: () => new Date(Date.now() + 60_000) });
      fx.fake.clearReceived();
      const ended = (await runAction(callStatus, later, { call_uuid })) as Status;
      expect(ended.status).toBe("ended");
      expect(fx.fake.apiCommands()).toContain(`show channels like ${call_uuid} as json`);
    } finally {
      stopTracking = startCallTracking(fx.db.sql, fx.pool);
    }
  });

  test("a caller bound to another domain gets not found; unknown and malformed uuids too", async () => {
    fx.fake.setOriginateOutcome({ kind: "answer" });
    const { call_uuid } = await place();
    const other = await fx.ctx({ face: "trpc", domainUuid: b.uuid });
    const own = await fx.ctx({ face: "trpc", domainUuid: a.uuid });
    await expect(runAction(callStatus, other, { call_uuid })).rejects.toMatchObject({ code: "NOT_FOUND" });
    expect((await runAction(callStatus, own, { call_uuid })) as Status).toMatchObject({ call_uuid });
    await expect(runAction(callStatus, ctx, { call_uuid: crypto.randomUUID() })).rejects.toBeInstanceOf(ActionError);
    const legacy = await fx.ctx({ face: "legacy" });
    expect(await runLegacyAction(callStatus, legacy, { call_uuid: "x" })).toEqual({
      status: 404,
      body: { error: "call not found" },
    });
    expect((await runLegacyAction(callStatus, legacy, { call_uuid })).status).toBe(200);
  });
});
