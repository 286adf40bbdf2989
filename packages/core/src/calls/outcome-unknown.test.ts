// A switch that stalls (SIGSTOP) after receiving an originate, then resumes (SIGCONT) and runs it: the caller
// is told the outcome is unknown with the call id, never "failed"; the call is reconciled with the switch
// once it answers again; a retry with the same idempotency key returns that call and places nothing.
import { afterAll, afterEach, beforeAll, describe, expect, test } from "bun:test";
import { createSwitchPool, type EslSwitchPool } from "@switchboard/esl";
import { type FakeSwitch, startFakeSwitch } from "@switchboard/esl/testing";
import { callStatus } from "../actions/call-status.ts";
import { originate } from "../actions/originate.ts";
import type { ActionContext } from "../context.ts";
import { ActionError } from "../errors.ts";
import { runAction } from "../execute.ts";
import { rejection } from "../fusionpbx/test-fixture.ts";
import { runLegacyAction } from "../legacy/run-legacy.ts";
import { startCallReconciler } from "./outcome-reconciler.ts";
import { type CallsFixture, eventually, openCallsFixture } from "./test-support.ts";

type Placed = { success: boolean; call_uuid: string; status: string; hangup_cause: string | null; replayed: boolean };
type Status = { status: string; hangup_cause: string | null; answered_at: string | null; ended_at: string | null };

/** One API process's connection: a switch that does not confirm within 400 ms counts as stalled. */
function processPool(fake: FakeSwitch): EslSwitchPool {
  return createSwitchPool({
    switches: [{ host: fake.host, port: fake.port, password: fake.password }],
    connection: { commandTimeoutMs: 400, connectTimeoutMs: 400, backoff: { initialMs: 50, maxMs: 200 } },
  });
}

describe("a switch that stalls after receiving an originate", () => {
  let fx: CallsFixture;
  const domain = { uuid: "", name: "a.example.com" };
  const pools: EslSwitchPool[] = [];
  const keyId = crypto.randomUUID();

  beforeAll(async () => {
    fx = await openCallsFixture("fusionpbx-5.6-master");
    domain.uuid = await fx.addDomain(domain.name);
  }, 60_000);
  afterEach(() => {
    fx.fake.resume();
    fx.fake.clearOriginateScripts();
    fx.fake.setOriginateOutcome({ kind: "answer" });
  });
  afterAll(async () => {
    for (const pool of pools) await pool.close();
    await fx?.close();
  }, 30_000);

  /** A context of its own process (its own switch connection), for the same API key. */
  async function processCtx(face: "trpc" | "legacy", fake: FakeSwitch = fx.fake): Promise<ActionContext> {
    const pool = processPool(fake);
    pools.push(pool);
    await pool.switches[0]!.ready(5000);
    return fx.ctx({ face, keyId }, { switches: pool });
  }

  const input = (ringFirst: string, key?: string) => ({
    domain_uuid: domain.uuid,
    caller_id_number: "2065550100",
    ring_first: ringFirst,
    connect_to: "*9664",
    ...(key ? { idempotency_key: key } : {}),
  });
  const legacyBody = (destinationB: string, key?: string) => ({
    action: "originate",
    domain_uuid: domain.uuid,
    caller_id_number: "2065550100",
    destination_a: "*9664",
    destination_b: destinationB,
    ...(key ? { idempotency_key: key } : {}),
  });
  const placedOn = (fake: FakeSwitch, number: string) =>
    fake.originates.filter((o) => o.endpoint.startsWith(`loopback/${number}/`));
  const recordOf = async (uuid: string) =>
    (await fx.db.sql<{ status: string }[]>`select status from switchboard_calls where call_uuid = ${uuid}::uuid`)[0];
  const statusOf = (ctx: ActionContext, uuid: string) =>
    runAction(callStatus, ctx, { call_uuid: uuid }) as Promise<Status>;

  test("stall: unknown with the call id (record and key kept); resume: reconciled answered; the same key returns that call from another process and places nothing", async () => {
    const first = await processCtx("trpc");
    const second = await processCtx("trpc");
    fx.fake.stall();
    const placed = (await runAction(originate, first, input("3001", "stall-1"))) as Placed;
    expect(placed).toEqual({
      success: false,
      call_uuid: expect.stringMatching(/^[0-9a-f-]{36}$/),
      status: "unknown",
      hangup_cause: null,
      replayed: false,
    });
    expect(await recordOf(placed.call_uuid)).toEqual({ status: "unknown" });
    const keys = await fx.db.sql`select 1 from switchboard_idempotency where idem_key = 'stall-1'`;
    expect(keys).toHaveLength(1);
    expect(await statusOf(first, placed.call_uuid)).toMatchObject({ status: "unknown", answered_at: null });

    // A retry while the switch is still stalled: the same call, still unknown, nothing sent.
    const during = (await runAction(originate, second, input("3001", "stall-1"))) as Placed;
    expect(during).toEqual({ ...placed, replayed: true });

    fx.fake.resume();
    // The switch runs the originate it had queued: the phone really rings and answers.
    await eventually(async () => (fx.fake.channels.has(placed.call_uuid) ? true : undefined));
    const settled = await eventually(async () => {
      const s = await statusOf(first, placed.call_uuid).catch(() => undefined);
      return s?.status === "answered" ? s : undefined;
    }, 15_000);
    expect(settled.answered_at).not.toBeNull();

    const retry = (await runAction(originate, second, input("3001", "stall-1"))) as Placed;
    expect(retry).toEqual({
      success: true,
      call_uuid: placed.call_uuid,
      status: "answered",
      hangup_cause: null,
      replayed: true,
    });
    expect(placedOn(fx.fake, "3001").map((o) => o.uuid)).toEqual([placed.call_uuid]);
  }, 60_000);

  test("a legacy and a tRPC originate sent during the stall both answer 'unknown' with their call; retries place nothing new", async () => {
    const legacy = await processCtx("legacy");
    const typed = await processCtx("trpc");
    fx.fake.stall();
    const [legacyReply, typedReply] = await Promise.all([
      runLegacyAction(originate, legacy, legacyBody("3101", "both-legacy")),
      runAction(originate, typed, input("3102", "both-trpc")) as Promise<Placed>,
    ]);
    const legacyCall = (legacyReply.body as { call_uuid: string }).call_uuid;
    expect(legacyReply).toEqual({
      status: 504,
      body: {
        error: "call_outcome_unknown",
        message: expect.stringContaining(`follow call ${legacyCall} with call-status`),
        call_uuid: expect.stringMatching(/^[0-9a-f-]{36}$/),
      },
    });
    expect(typedReply).toMatchObject({ success: false, status: "unknown", replayed: false });
    expect(await recordOf(legacyCall)).toEqual({ status: "unknown" });

    fx.fake.resume();
    await eventually(async () =>
      placedOn(fx.fake, "3101").length + placedOn(fx.fake, "3102").length === 2 ? true : undefined,
    );
    const legacyRetry = await eventually(async () => {
      const reply = await runLegacyAction(originate, legacy, legacyBody("3101", "both-legacy"));
      return reply.status === 200 ? reply : undefined;
    }, 15_000);
    expect(legacyRetry).toEqual({ status: 200, body: { success: true, call_uuid: legacyCall } });
    const typedRetry = (await eventually(async () => {
      const again = (await runAction(originate, typed, input("3102", "both-trpc"))) as Placed;
      return again.status === "answered" ? again : undefined;
    }, 15_000)) as Placed;
    expect(typedRetry).toMatchObject({ success: true, call_uuid: typedReply.call_uuid, replayed: true });
    expect(placedOn(fx.fake, "3101").map((o) => o.uuid)).toEqual([legacyCall]);
    expect(placedOn(fx.fake, "3102").map((o) => o.uuid)).toEqual([typedReply.call_uuid]);
  }, 60_000);

  test("the reconciler settles an unknown call on its own once the switch answers again (nobody asks call-status)", async () => {
    const ctx = await processCtx("trpc");
    fx.fake.stall();
    const placed = (await runAction(originate, ctx, input("3501", "sweep-1"))) as Placed;
    expect(placed.status).toBe("unknown");
    const stop = startCallReconciler(ctx, { intervalMs: 100 });
    try {
      await Bun.sleep(300);
      // Stalled: nothing to learn, nothing changes.
      expect(await recordOf(placed.call_uuid)).toEqual({ status: "unknown" });
      fx.fake.resume();
      const settled = await eventually(async () => {
        const record = await recordOf(placed.call_uuid);
        return record?.status === "answered" ? record : undefined;
      }, 15_000);
      expect(settled).toEqual({ status: "answered" });
    } finally {
      stop();
    }
  }, 30_000);

  test("a call left queued long after its originate should have reported (its process died) is reconciled too", async () => {
    const ctx = await processCtx("trpc");
    const sw = (ctx.switches.switches[0] as { name: string }).name;
    const [ringing, gone] = [crypto.randomUUID(), crypto.randomUUID()];
    for (const uuid of [ringing, gone]) {
      await fx.db.sql`
        insert into switchboard_calls (call_uuid, domain_uuid, switch_name, status, request, created_at, updated_at)
        values (${uuid}::uuid, ${domain.uuid}::uuid, ${sw}, 'queued', '{}'::jsonb, now() - interval '10 minutes', now() - interval '10 minutes')`;
    }
    fx.fake.addChannel({ uuid: ringing, callstate: "RINGING" });
    const stop = startCallReconciler(ctx, { intervalMs: 100 });
    try {
      expect(await eventually(async () => ((await recordOf(ringing))?.status === "ringing" ? true : undefined))).toBe(
        true,
      );
      expect(
        await eventually(async () => ((await recordOf(gone))?.status === "ended" ? true : undefined), 20_000),
      ).toBe(true);
    } finally {
      stop();
      fx.fake.hangup(ringing);
    }
  }, 40_000);

  test("sync: the connection drops after the switch acknowledged the job: unknown, not failed", async () => {
    const ctx = await processCtx("trpc");
    fx.fake.scriptOriginate(/loopback\/3201\//, { kind: "answer", afterMs: 30_000 });
    const pending = runAction(originate, ctx, { ...input("3201"), mode: "sync" }) as Promise<Placed>;
    await eventually(async () => (placedOn(fx.fake, "3201").length > 0 ? true : undefined));
    fx.fake.dropConnections();
    expect(await pending).toMatchObject({ success: false, status: "unknown", hangup_cause: null });
  }, 30_000);

  test("never written (nothing listening): a plain failure, no record, and the key is free again", async () => {
    const gone = await startFakeSwitch();
    const pool = processPool(gone);
    pools.push(pool);
    await pool.switches[0]!.ready(5000);
    await gone.stop();
    const ctx = await fx.ctx({ face: "trpc", keyId }, { switches: pool });
    const error = await rejection(runAction(originate, ctx, input("3301", "refused-1")));
    expect(error).toBeInstanceOf(ActionError);
    expect((error as ActionError).code).toBe("SERVICE_UNAVAILABLE");
    expect(await fx.db.sql`select 1 from switchboard_idempotency where idem_key = 'refused-1'`).toHaveLength(0);
    expect(
      await fx.db.sql`select 1 from switchboard_calls where request->>'ring_first' = '3301' and status <> 'ended'`,
    ).toHaveLength(0);
  }, 30_000);

  test("a switch killed while stalled never runs the call: reconciliation ends it once the switch is back", async () => {
    const doomed = await startFakeSwitch();
    const ctx = await processCtx("trpc", doomed);
    doomed.stall();
    const placed = (await runAction(originate, ctx, input("3401", "killed-1"))) as Placed;
    expect(placed.status).toBe("unknown");
    await doomed.restart();
    const stop = startCallReconciler(ctx, { intervalMs: 200 });
    try {
      const ended = await eventually(async () => {
        const s = await statusOf(ctx, placed.call_uuid);
        return s.status === "ended" ? s : undefined;
      }, 20_000);
      expect(ended).toMatchObject({ answered_at: null });
    } finally {
      stop();
      await doomed.stop();
    }
    const retry = (await runAction(originate, ctx, input("3401", "killed-1"))) as Placed;
    expect(retry).toMatchObject({ success: false, status: "ended", call_uuid: placed.call_uuid, replayed: true });
    expect(doomed.originates).toEqual([]);
  }, 60_000);
});
