import { afterAll, beforeAll, beforeEach, describe, expect, test } from "bun:test";
import { z } from "zod";
import type { SchemaKind } from "@switchboard/db/testing";
import { startFakeSwitch } from "@switchboard/esl/testing";
import { type CallsFixture, eventually, openCallsFixture, poolFor } from "../calls/test-support.ts";
import type { ActionContext } from "../context.ts";
import { runAction } from "../execute.ts";
import { rejection } from "../fusionpbx/test-fixture.ts";
import { runLegacyAction } from "../legacy/run-legacy.ts";
import { callStatus } from "./call-status.ts";
import { originate } from "./originate.ts";

/** FreeSWITCH variable/API expansion, as an attacker would send it. */
const EXPANSION = "$" + "{system(id)}";

const DUMPS: SchemaKind[] = ["fusionpbx-5.1.0", "fusionpbx-5.6-master"];
const VARS = "ignore_early_media=true,originate_timeout=30,effective_caller_id_number=2065550100";

type Placed = { success: boolean; call_uuid: string; status: string; hangup_cause: string | null; replayed: boolean };
type Status = { status: string; hangup_cause: string | null; answered_at: string | null; ended_at: string | null };

for (const dump of DUMPS) {
  describe(`originate on ${dump}`, () => {
    let fx: CallsFixture;
    let legacy: ActionContext;
    let typed: ActionContext;
    const a = { uuid: "", name: "a.example.com" };
    const b = { uuid: "", name: "b.example.com" };

    beforeAll(async () => {
      fx = await openCallsFixture(dump);
      a.uuid = await fx.addDomain(a.name);
      b.uuid = await fx.addDomain(b.name);
      legacy = await fx.ctx({ face: "legacy", keyId: crypto.randomUUID() });
      typed = await fx.ctx({ face: "trpc", keyId: crypto.randomUUID() });
    }, 60_000);
    afterAll(async () => fx?.close(), 30_000);
    beforeEach(() => {
      fx.fake.clearReceived();
      fx.fake.clearOriginateScripts();
      fx.fake.setOriginateOutcome({ kind: "answer" });
    });

    const originates = () => fx.fake.apiCommands().filter((c) => c.startsWith("originate"));
    const legacyBody = (extra: Record<string, unknown> = {}) => ({
      action: "originate",
      domain_uuid: a.uuid,
      caller_id_number: "2065550100",
      caller_id_name: "John Smith",
      destination_a: "*9664",
      destination_b: "1002",
      ...extra,
    });

    describe("legacy face", () => {
      test("sends the original's originate string with the first leg's uuid pre-set, waits for the outcome, and answers {success, call_uuid}", async () => {
        const reply = await runLegacyAction(originate, legacy, legacyBody());
        const vars = `${VARS},effective_caller_id_name=John%20Smith`;
        const uuid = fx.fake.originates.at(-1)!.uuid;
        // Only the outer block gets the uuid: the call id is known before sending (docs/compatibility.md).
        const command = `originate {origination_uuid=${uuid},${vars}}loopback/1002/a.example.com '&bridge({${vars}}loopback/*9664/a.example.com)'`;
        // As bgapi (its own Job-UUID header), so a ringing phone never holds the shared connection.
        expect(fx.fake.received).toEqual([expect.stringMatching(/^bgapi .*\nJob-UUID: [0-9a-f-]{36}\n\n$/s)]);
        expect(fx.fake.received[0]!.startsWith(`bgapi ${command}\nJob-UUID: `)).toBe(true);
        expect(fx.fake.originates.at(-1)?.raw).toBe(command.slice("originate ".length));
        expect(reply).toEqual({ status: 200, body: { success: true, call_uuid: fx.fake.originates.at(-1)!.uuid } });
      });

      test("a ringing call does not hold other commands on the shared connection", async () => {
        fx.fake.setOriginateOutcome({ kind: "answer", afterMs: 400 });
        const before = fx.fake.originates.length;
        const call = runLegacyAction(originate, legacy, legacyBody());
        await eventually(async () => (fx.fake.originates.length > before ? true : undefined));
        const ringing = fx.fake.originates.at(-1)!.uuid;
        await fx.pool.forCalls().api("status");
        // Had the originate run as `api`, the switch would have answered `status` only after the call was up.
        expect(fx.fake.channels.has(ringing)).toBe(false);
        expect((await call).body).toEqual({ success: true, call_uuid: ringing });
        expect(fx.fake.channels.has(ringing)).toBe(true);
      });

      test("numbers sent as JSON numbers are printed as PHP would", async () => {
        const reply = await runLegacyAction(
          originate,
          legacy,
          legacyBody({ caller_id_number: 2065550100, destination_b: 1002, caller_id_name: "" }),
        );
        expect(reply.status).toBe(200);
        expect(originates()).toEqual([
          `originate {origination_uuid=${fx.fake.originates.at(-1)!.uuid},${VARS}}loopback/1002/a.example.com '&bridge({${VARS}}loopback/*9664/a.example.com)'`,
        ]);
      });

      test("a refused call is {success:false, call_uuid:null} with HTTP 200", async () => {
        fx.fake.setOriginateOutcome({ kind: "busy" });
        expect(await runLegacyAction(originate, legacy, legacyBody())).toEqual({
          status: 200,
          body: { success: false, call_uuid: null },
        });
        fx.fake.setOriginateOutcome({ kind: "noAnswer" });
        expect(await runLegacyAction(originate, legacy, legacyBody())).toEqual({
          status: 200,
          body: { success: false, call_uuid: null },
        });
      });

      test("missing parameters, unknown and malformed domains answer as the original did, sending nothing", async () => {
        expect(await runLegacyAction(originate, legacy, { action: "originate" })).toEqual({
          status: 400,
          body: { error: { error: "missing required parameter(s)", missing_parameters: "destination_b" } },
        });
        const notFound = { status: 404, body: { error: "domain not found" } };
        expect(await runLegacyAction(originate, legacy, legacyBody({ domain_uuid: crypto.randomUUID() }))).toEqual(
          notFound,
        );
        expect(await runLegacyAction(originate, legacy, legacyBody({ domain_uuid: "not-a-uuid" }))).toEqual(notFound);
        expect(originates()).toEqual([]);
      });

      test("PostgreSQL's lenient uuid forms find the domain, as they did in the original", async () => {
        const braced = `{${a.uuid.toUpperCase()}}`;
        expect((await runLegacyAction(originate, legacy, legacyBody({ domain_uuid: braced }))).status).toBe(200);
        expect(originates()).toHaveLength(1);
      });

      test("a key bound to another domain gets 'domain not found'", async () => {
        const bound = await fx.ctx({ face: "legacy", keyId: crypto.randomUUID(), domainUuid: b.uuid });
        expect(await runLegacyAction(originate, bound, legacyBody())).toEqual({
          status: 404,
          body: { error: "domain not found" },
        });
        expect(originates()).toEqual([]);
      });

      test("hostile values get a 400 naming the original's parameter, and nothing reaches the switch", async () => {
        const corpus = [
          "1001,api_on_answer=system id",
          "1001\n\nbgapi system id",
          "1001}",
          "1001'",
          "10 01",
          EXPANSION,
          "1001)",
          "[x=y]1001",
          "1001|1002",
          "1001\r",
          "١٠٠١",
          "",
          ["1001"],
          { n: 1 },
        ];
        for (const [field, legacyName] of [
          ["caller_id_number", "caller_id_number"],
          ["destination_a", "destination_a"],
          ["destination_b", "destination_b"],
        ] as const) {
          for (const value of corpus) {
            const reply = await runLegacyAction(originate, legacy, legacyBody({ [field]: value }));
            if (value === "") {
              expect(reply.status).toBe(400); // PHP-falsy: "missing required parameter"
              continue;
            }
            expect(reply).toEqual({ status: 400, body: { error: `invalid parameter: ${legacyName}` } });
          }
        }
        expect(fx.fake.received.filter((r) => !r.startsWith("event ")).length).toBe(0);
      });

      test("the switch down answers the original's 500 body", async () => {
        const gone = await startFakeSwitch();
        const pool = poolFor(gone);
        await gone.stop();
        try {
          const ctx = await fx.ctx({ face: "legacy" }, { switches: pool });
          expect(await runLegacyAction(originate, ctx, legacyBody())).toEqual({
            status: 500,
            body: { error: "internal_server_error", message: "failed to connect to FreeSWITCH" },
          });
        } finally {
          await pool.close();
        }
      }, 20_000);
    });

    describe("typed faces", () => {
      const input = (extra: Record<string, unknown> = {}) => ({
        domain_uuid: a.uuid,
        caller_id_number: "2065550100",
        ring_first: "1002",
        connect_to: "*9664",
        ...extra,
      });

      test("async: bgapi with a pre-set origination_uuid on the first leg, the call id at once", async () => {
        const placed = (await runAction(originate, typed, input({ caller_id_name: "Front Desk" }))) as Placed;
        expect(placed).toMatchObject({ success: true, status: "queued", hangup_cause: null, replayed: false });
        const vars = `${VARS},effective_caller_id_name=Front%20Desk`;
        const sent = `bgapi originate {origination_uuid=${placed.call_uuid},${vars}}loopback/1002/a.example.com '&bridge({${vars}}loopback/*9664/a.example.com)'`;
        // The client adds its own Job-UUID header, as modesl does (docs/event-socket.md §4).
        expect(fx.fake.received.filter((r) => r.startsWith("bgapi "))).toEqual([
          expect.stringMatching(/^.*\nJob-UUID: [0-9a-f-]{36}\n\n$/s),
        ]);
        expect(fx.fake.received.some((r) => r.startsWith(`${sent}\nJob-UUID: `))).toBe(true);
        const status = await eventually(async () => {
          const s = (await runAction(callStatus, typed, { call_uuid: placed.call_uuid })) as Status;
          return s.status === "answered" ? s : undefined;
        });
        expect(status.answered_at).not.toBeNull();
        expect(fx.fake.originates.at(-1)).toMatchObject({ uuid: placed.call_uuid, via: "bgapi" });
        const output = originate.output.parse(placed);
        expect(output.call_uuid).toBe(placed.call_uuid);
      });

      test("async: a refused call ends with the cause", async () => {
        fx.fake.setOriginateOutcome({ kind: "noAnswer" });
        const placed = (await runAction(originate, typed, input())) as Placed;
        expect(placed.status).toBe("queued");
        const status = await eventually(async () => {
          const s = (await runAction(callStatus, typed, { call_uuid: placed.call_uuid })) as Status;
          return s.status === "ended" ? s : undefined;
        });
        expect(status.hangup_cause).toBe("NO_ANSWER");
      });

      test("sync: waits and reports the FreeSWITCH cause", async () => {
        fx.fake.setOriginateOutcome({ kind: "busy" });
        const busy = (await runAction(originate, typed, input({ mode: "sync" }))) as Placed;
        expect(busy).toMatchObject({ success: false, status: "ended", hangup_cause: "USER_BUSY" });
        expect(fx.fake.originates.at(-1)).toMatchObject({ uuid: busy.call_uuid, via: "bgapi" });
        expect(await runAction(callStatus, typed, { call_uuid: busy.call_uuid })).toMatchObject({
          status: "ended",
          hangup_cause: "USER_BUSY",
        });

        fx.fake.setOriginateOutcome({ kind: "answer" });
        const answered = (await runAction(originate, typed, input({ mode: "sync" }))) as Placed;
        expect(answered).toMatchObject({ success: true, status: "answered", hangup_cause: null });
      });

      test("the legacy route's own mode is refused on the typed faces, sending nothing", async () => {
        fx.fake.clearReceived();
        const error = await rejection(runAction(originate, typed, input({ mode: "original" })));
        expect(error.code).toBe("BAD_REQUEST");
        expect(error.field).toBe("mode");
        expect(fx.fake.received.filter((r) => r.includes("originate"))).toEqual([]);
        expect(JSON.stringify(z.toJSONSchema(originate.input, { io: "input" }))).not.toContain("original");
      });

      test("hostile values: 400 naming the field, nothing on the wire", async () => {
        for (const field of ["caller_id_number", "ring_first", "connect_to"]) {
          for (const value of ["1,a=b", "1\n\nbgapi system id", "1}", "1'", "1 2", "$1", "1)"]) {
            const error = await rejection(runAction(originate, typed, input({ [field]: value })));
            expect(error.code).toBe("BAD_REQUEST");
            expect(error.field).toBe(field);
          }
        }
        expect(originates()).toEqual([]);
      });

      test("a domain outside the caller's scope is not found", async () => {
        const bound = await fx.ctx({ face: "trpc", keyId: crypto.randomUUID(), domainUuid: b.uuid });
        expect((await rejection(runAction(originate, bound, input()))).code).toBe("NOT_FOUND");
        expect(originates()).toEqual([]);
      });

      test("the switch down: SERVICE_UNAVAILABLE and no call left behind", async () => {
        const gone = await startFakeSwitch();
        const pool = poolFor(gone);
        await gone.stop();
        try {
          const ctx = await fx.ctx({ face: "trpc", keyId: crypto.randomUUID() }, { switches: pool });
          const error = await rejection(runAction(originate, ctx, input({ idempotency_key: "down-1" })));
          expect(error.code).toBe("SERVICE_UNAVAILABLE");
          const rows = await fx.db.sql`select 1 from switchboard_idempotency where idem_key = 'down-1'`;
          expect(rows).toHaveLength(0);
        } finally {
          await pool.close();
        }
      }, 20_000);
    });

    describe("idempotency", () => {
      const input = (key: string, extra: Record<string, unknown> = {}) => ({
        domain_uuid: a.uuid,
        caller_id_number: "2065550100",
        ring_first: "1002",
        connect_to: "1003",
        idempotency_key: key,
        ...extra,
      });

      test("two concurrent requests with one key place one call", async () => {
        const key = `k-${crypto.randomUUID()}`;
        const [first, second] = (await Promise.all([
          runAction(originate, typed, input(key)),
          runAction(originate, typed, input(key)),
        ])) as Placed[];
        expect(first!.call_uuid).toBe(second!.call_uuid);
        expect([first!.replayed, second!.replayed].sort()).toEqual([false, true]);
        expect(originates()).toHaveLength(1);
      });

      test("the same key later returns the first call; the switch sees one originate", async () => {
        const key = `k-${crypto.randomUUID()}`;
        const first = (await runAction(originate, typed, input(key))) as Placed;
        await eventually(
          async () =>
            ((await runAction(callStatus, typed, { call_uuid: first.call_uuid })) as Status).status === "answered" ||
            undefined,
        );
        const again = (await runAction(originate, typed, input(key))) as Placed;
        expect(again).toMatchObject({ call_uuid: first.call_uuid, replayed: true, status: "answered", success: true });
        expect(originates()).toHaveLength(1);
      });

      test("holds across processes: a second context on its own connection pool sees the key", async () => {
        const key = `k-${crypto.randomUUID()}`;
        const first = (await runAction(originate, typed, input(key))) as Placed;
        const { createSql } = await import("@switchboard/db");
        const other = createSql(fx.db.url, { max: 2 });
        try {
          const otherCtx = { ...typed, sql: other };
          const again = (await runAction(originate, otherCtx, input(key))) as Placed;
          expect(again.call_uuid).toBe(first.call_uuid);
        } finally {
          await other.end({ timeout: 1 });
        }
        expect(originates()).toHaveLength(1);
      });

      test("keys are per caller, a reused key with other parameters is refused, and a key expires after 24 h", async () => {
        const key = `k-${crypto.randomUUID()}`;
        const first = (await runAction(originate, typed, input(key))) as Placed;
        const otherKey = await fx.ctx({ face: "trpc", keyId: crypto.randomUUID() });
        const stranger = (await runAction(originate, otherKey, input(key))) as Placed;
        expect(stranger.call_uuid).not.toBe(first.call_uuid);

        const conflict = await rejection(runAction(originate, typed, input(key, { connect_to: "1004" })));
        expect(conflict.code).toBe("CONFLICT");

        await fx.db
          .sql`update switchboard_idempotency set created_at = now() - interval '25 hours' where idem_key = ${key}`;
        const fresh = (await runAction(originate, typed, input(key))) as Placed;
        expect(fresh.replayed).toBe(false);
        expect(fresh.call_uuid).not.toBe(first.call_uuid);
        expect(originates()).toHaveLength(3);
      });
    });
  });
}
