import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { startCallTracking } from "../calls/call-tracking.ts";
import { type CallsFixture, eventually, openCallsFixture } from "../calls/test-support.ts";
import type { ActionContext } from "../context.ts";
import { runAction } from "../execute.ts";
import { callHangup } from "./call-hangup.ts";
import { callStatus } from "./call-status.ts";
import { originate } from "./originate.ts";

describe("call-hangup", () => {
  let fx: CallsFixture;
  let ctx: ActionContext;
  let stopTracking: () => void;
  const a = { uuid: "", name: "a.example.com" };
  const b = { uuid: "", name: "b.example.com" };

  beforeAll(async () => {
    fx = await openCallsFixture("fusionpbx-5.6-master");
    a.uuid = await fx.addDomain(a.name);
    b.uuid = await fx.addDomain(b.name);
    ctx = await fx.ctx({ face: "trpc", domainUuid: a.uuid });
    stopTracking = startCallTracking(fx.db.sql, fx.pool);
    await fx.pool.forCalls().api("status");
  }, 60_000);
  afterAll(async () => {
    stopTracking?.();
    await fx?.close();
  }, 30_000);

  const answeredCall = async () => {
    fx.fake.setOriginateOutcome({ kind: "answer" });
    const { call_uuid } = (await runAction(originate, ctx, {
      domain_uuid: a.uuid,
      caller_id_number: "100",
      ring_first: "101",
      connect_to: "*9664",
    })) as { call_uuid: string };
    await eventually(async () => {
      const s = (await runAction(callStatus, ctx, { call_uuid })) as { status: string };
      return s.status === "answered" ? s : undefined;
    });
    return call_uuid;
  };

  test("kills the call on the switch that placed it and records it ended", async () => {
    const call_uuid = await answeredCall();
    fx.fake.clearReceived();
    expect(await runAction(callHangup, ctx, { call_uuid })).toEqual({ call_uuid, hung_up: true, status: "ended" });
    expect(fx.fake.apiCommands()).toContain(`uuid_kill ${call_uuid} NORMAL_CLEARING`);
    expect(fx.fake.channels.has(call_uuid)).toBe(false);
    const status = (await runAction(callStatus, ctx, { call_uuid })) as { status: string; hangup_cause: string };
    expect(status).toMatchObject({ status: "ended", hangup_cause: "NORMAL_CLEARING" });
    // A second press finds it ended and asks the switch nothing.
    fx.fake.clearReceived();
    expect(await runAction(callHangup, ctx, { call_uuid })).toEqual({ call_uuid, hung_up: false, status: "ended" });
    expect(fx.fake.apiCommands().filter((c) => c.startsWith("uuid_kill"))).toEqual([]);
  });

  test("a call of another domain is not found and stays up; a malformed uuid never reaches the switch", async () => {
    const call_uuid = await answeredCall();
    const other = await fx.ctx({ face: "trpc", domainUuid: b.uuid });
    fx.fake.clearReceived();
    await expect(runAction(callHangup, other, { call_uuid })).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(runAction(callHangup, ctx, { call_uuid: `${call_uuid} ALLOTTED_TIMEOUT` })).rejects.toMatchObject({
      code: "BAD_REQUEST",
    });
    await expect(runAction(callHangup, ctx, { call_uuid: crypto.randomUUID() })).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
    expect(fx.fake.apiCommands().filter((c) => c.startsWith("uuid_kill"))).toEqual([]);
    expect(fx.fake.channels.has(call_uuid)).toBe(true);
  });

  test("needs the calls scope", async () => {
    const call_uuid = await answeredCall();
    const reader = await fx.ctx({ face: "trpc", domainUuid: a.uuid, scopes: new Set(["read"]) });
    await expect(runAction(callHangup, reader, { call_uuid })).rejects.toMatchObject({ code: "FORBIDDEN" });
    expect(fx.fake.channels.has(call_uuid)).toBe(true);
  });
});
