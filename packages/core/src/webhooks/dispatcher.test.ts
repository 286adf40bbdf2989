import { afterAll, afterEach, beforeAll, describe, expect, setSystemTime, test } from "bun:test";
import { createSql } from "@switchboard/db";
import { createTestDatabase, type TestDatabase } from "@switchboard/db/testing";
import { Webhook } from "standardwebhooks";
import { webhookCreate } from "../actions/webhook-create.ts";
import { webhookDeliveries } from "../actions/webhook-deliveries.ts";
import { webhookReplay } from "../actions/webhook-replay.ts";
import type { AuditEntry } from "../audit/audit-sink.ts";
import type { ActionContext } from "../context.ts";
import { runAction } from "../execute.ts";
import { appendEvents } from "../events/event-log.ts";
import { createTestContext } from "../testing/test-context.ts";
import { createWebhookDispatcher, type WebhookDispatcherOptions } from "./dispatcher.ts";
import { appendTestEvents, IMMEDIATE_RETRIES, type Receiver, startReceiver } from "./test-support.ts";

let db: TestDatabase;
let ctx: ActionContext;
const domainA = crypto.randomUUID();
const domainB = crypto.randomUUID();
const allowLoopback = { allow: ["127.0.0.1"] };
const receivers: Receiver[] = [];

beforeAll(async () => {
  process.env.WEBHOOK_URL_ALLOW = "127.0.0.1";
  db = await createTestDatabase({ migrate: true });
  await db.sql`insert into v_domains (domain_uuid, domain_name, domain_enabled)
    values (${domainA}::uuid, 'a.hooks.example', true), (${domainB}::uuid, 'b.hooks.example', true)`;
  ctx = await createTestContext({ sql: db.sql, switches: {} as never });
}, 60_000);

afterEach(async () => {
  for (const r of receivers.splice(0)) await r.stop();
  await db.sql`delete from switchboard_webhooks`;
});

afterAll(async () => {
  delete process.env.WEBHOOK_URL_ALLOW;
  await db?.drop();
});

function receiver(): Receiver {
  const r = startReceiver();
  receivers.push(r);
  return r;
}

async function subscribe(url: string, input: Record<string, unknown> = {}) {
  return (await runAction(webhookCreate, ctx, { url, event_types: ["*"], ...input })) as {
    webhook_uuid: string;
    secret: string;
  };
}

function dispatcher(options: Partial<WebhookDispatcherOptions> = {}) {
  return createWebhookDispatcher({
    sql: db.sql,
    policy: allowLoopback,
    schedule: IMMEDIATE_RETRIES,
    gapWaitMs: 0,
    ...options,
  });
}

/** Runs the dispatcher until nothing is due (retries with a zero wait come due at once). */
async function drain(d = dispatcher()) {
  for (let i = 0; i < 20; i++) if ((await d.runOnce()) === 0) return;
}

describe("webhook deliveries", () => {
  test("each delivery verifies with the standardwebhooks verifier; a tampered body or a 6-minute-old one fails", async () => {
    const r = receiver();
    const hook = await subscribe(r.url);
    const call = crypto.randomUUID();
    const [id] = await appendTestEvents(db.sql, [
      { type: "call.started", domain_uuid: domainA, call_id: call, call_seq: 1, data: { from: "100" } },
    ]);
    await drain();
    expect(r.received).toHaveLength(1);
    const got = r.received[0]!;
    expect(got.headers["webhook-id"]).toBe(id!);
    const verifier = new Webhook(hook.secret);
    const payload = verifier.verify(got.body, got.headers) as { type: string; timestamp: string; data: any };
    expect(payload.type).toBe("call.started");
    expect(payload.data).toMatchObject({ id, type: "call.started", domain_uuid: domainA, call_id: call, call_seq: 1 });
    expect(payload.data.data).toEqual({ from: "100" });
    expect(() => verifier.verify(got.body.replace("100", "999"), got.headers)).toThrow();
    expect(() => new Webhook("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw").verify(got.body, got.headers)).toThrow();
    setSystemTime(new Date(Date.now() + 6 * 60_000));
    try {
      expect(() => verifier.verify(got.body, got.headers)).toThrow(/too old/);
    } finally {
      setSystemTime();
    }
  });

  test("a receiver answering 500, 500, 200 sees three attempts with one webhook-id; the log shows them", async () => {
    const r = receiver();
    r.script([500, 500, 200]);
    const hook = await subscribe(r.url);
    const [id] = await appendTestEvents(db.sql, [{ type: "call.ended", domain_uuid: domainA }]);
    await drain();
    expect(r.received.map((x) => x.headers["webhook-id"])).toEqual([id!, id!, id!]);
    const log = (await runAction(webhookDeliveries, ctx, { webhook_uuid: hook.webhook_uuid })) as {
      items: { webhook_id: string; status: string; attempts: number; attempt_log: { status_code: number }[] }[];
    };
    expect(log.items).toHaveLength(1);
    expect(log.items[0]).toMatchObject({ webhook_id: id, status: "succeeded", attempts: 3 });
    expect(log.items[0]!.attempt_log.map((a) => a.status_code)).toEqual([500, 500, 200]);
  });

  test("retries follow the schedule and give up after the last one", async () => {
    const r = receiver();
    r.script([], 503);
    const hook = await subscribe(r.url);
    await appendTestEvents(db.sql, [{ type: "call.ended", domain_uuid: domainA }]);
    await drain(dispatcher({ schedule: [0, 0] }));
    expect(r.received).toHaveLength(3);
    const [row] = await db.sql`select status, attempts, last_status_code from switchboard_webhook_deliveries
      where webhook_uuid = ${hook.webhook_uuid}::uuid`;
    expect(row).toMatchObject({ status: "failed", attempts: 3, last_status_code: 503 });
  });

  test("Retry-After on a 429 is honoured", async () => {
    const r = receiver();
    r.script([new Response("slow down", { status: 429, headers: { "retry-after": "120" } })]);
    const hook = await subscribe(r.url);
    await appendTestEvents(db.sql, [{ type: "call.ended", domain_uuid: domainA }]);
    await drain(dispatcher({ schedule: [1_000, 1_000] }));
    expect(r.received).toHaveLength(1);
    const [row] = await db.sql<{ wait: number; status: string }[]>`
      select status, extract(epoch from next_attempt_at - now())::float8 as wait
      from switchboard_webhook_deliveries where webhook_uuid = ${hook.webhook_uuid}::uuid`;
    expect(row!.status).toBe("pending");
    expect(row!.wait).toBeGreaterThan(100);
  });

  test("a 410 disables the endpoint, tells the admins (audit) and stops further deliveries", async () => {
    const r = receiver();
    r.script([410]);
    const hook = await subscribe(r.url, { domain_uuid: domainA });
    const audited: AuditEntry[] = [];
    const d = dispatcher({ audit: { record: (e) => audited.push(e), flush: async () => {} } });
    await appendTestEvents(db.sql, [{ type: "call.ended", domain_uuid: domainA }]);
    await drain(d);
    await appendTestEvents(db.sql, [
      { type: "call.ended", domain_uuid: domainA },
      { type: "call.missed", domain_uuid: domainA },
    ]);
    await drain(d);
    expect(r.received).toHaveLength(1);
    const [row] = await db.sql`select enabled, disabled_reason from switchboard_webhooks
      where webhook_uuid = ${hook.webhook_uuid}::uuid`;
    expect(row).toMatchObject({ enabled: false });
    expect(String(row!.disabled_reason)).toContain("410");
    expect(audited).toMatchObject([{ action: "webhook-disable", domainUuid: domainA, errorCode: "GONE" }]);
  });

  test("an endpoint failing for longer than the limit is disabled", async () => {
    const r = receiver();
    r.script([], 500);
    const hook = await subscribe(r.url);
    await db.sql`update switchboard_webhooks set failing_since = now() - interval '6 days'
      where webhook_uuid = ${hook.webhook_uuid}::uuid`;
    await appendTestEvents(db.sql, [{ type: "call.ended", domain_uuid: domainA }]);
    await drain(dispatcher({ schedule: [60_000] }));
    const [row] = await db.sql`select enabled, disabled_reason from switchboard_webhooks
      where webhook_uuid = ${hook.webhook_uuid}::uuid`;
    expect(row).toMatchObject({ enabled: false, disabled_reason: "no successful delivery for 5 days" });
  });

  test("a domain's endpoint gets its domain's events only; an unbound one gets every domain and domain-less ones", async () => {
    const ra = receiver();
    const rall = receiver();
    await subscribe(ra.url, { domain_uuid: domainA });
    await subscribe(rall.url);
    const ids = await appendTestEvents(db.sql, [
      { type: "call.ended", domain_uuid: domainA },
      { type: "call.ended", domain_uuid: domainB },
      { type: "extension.registered", domain_uuid: null },
    ]);
    await drain();
    expect(ra.received.map((x) => x.headers["webhook-id"])).toEqual([ids[0]!]);
    expect(rall.received.map((x) => x.headers["webhook-id"]).sort()).toEqual([...ids].sort());
  });

  test("event types and the extension filter select what is sent", async () => {
    const r = receiver();
    const extension = crypto.randomUUID();
    await db.sql`insert into v_extensions (extension_uuid, domain_uuid, extension) values (${extension}::uuid, ${domainA}::uuid, '150')`;
    await subscribe(r.url, { domain_uuid: domainA, extension_uuid: extension, event_types: ["call.missed"] });
    const ids = await appendTestEvents(db.sql, [
      { type: "call.missed", domain_uuid: domainA, extension_uuid: extension },
      { type: "call.ended", domain_uuid: domainA, extension_uuid: extension },
      { type: "call.missed", domain_uuid: domainA, extension_uuid: crypto.randomUUID() },
    ]);
    await drain();
    expect(r.received.map((x) => x.headers["webhook-id"])).toEqual([ids[0]!]);
  });

  test("replay sends a delivery again with the same webhook-id", async () => {
    const r = receiver();
    r.script([], 500);
    const hook = await subscribe(r.url);
    const since = new Date(Date.now() - 1000).toISOString();
    const [id] = await appendTestEvents(db.sql, [{ type: "call.ended", domain_uuid: domainA }]);
    await drain(dispatcher({ schedule: [] }));
    expect(r.received).toHaveLength(1);
    r.script([], 200);
    const replayed = (await runAction(webhookReplay, ctx, { webhook_uuid: hook.webhook_uuid, since })) as {
      replayed: number;
      delivery_ids: string[];
    };
    expect(replayed.replayed).toBe(1);
    await drain();
    const again = (await runAction(webhookReplay, ctx, {
      webhook_uuid: hook.webhook_uuid,
      delivery_id: replayed.delivery_ids[0],
    })) as { replayed: number };
    expect(again.replayed).toBe(1);
    await drain();
    expect(r.received.map((x) => x.headers["webhook-id"])).toEqual([id!, id!, id!]);
    const verifier = new Webhook(hook.secret);
    for (const got of r.received) verifier.verify(got.body, got.headers);
    expect(new Set(r.received.map((x) => x.body)).size).toBe(1);
  });

  test("a failing event holds back the later events of its call to that endpoint, not other calls", async () => {
    const r = receiver();
    const callX = crypto.randomUUID();
    const callY = crypto.randomUUID();
    let firstX = true;
    r.script([], 200);
    const answers = (x: { body: string }) => {
      const body = JSON.parse(x.body) as { data: { call_id: string; call_seq: number } };
      if (body.data.call_id === callX && body.data.call_seq === 1 && firstX) {
        firstX = false;
        return new Response("down", { status: 500 });
      }
      return new Response("ok");
    };
    r.script(Array.from({ length: 20 }, () => answers));
    await subscribe(r.url);
    await appendTestEvents(db.sql, [
      { type: "call.started", domain_uuid: domainA, call_id: callX, call_seq: 1 },
      { type: "call.ringing", domain_uuid: domainA, call_id: callX, call_seq: 2 },
      { type: "call.started", domain_uuid: domainA, call_id: callY, call_seq: 1 },
      { type: "call.answered", domain_uuid: domainA, call_id: callX, call_seq: 3 },
      { type: "call.ringing", domain_uuid: domainA, call_id: callY, call_seq: 2 },
    ]);
    const d = dispatcher({ schedule: [60_000] });
    await d.runOnce();
    const seen = () =>
      r.received.map((x) => {
        const body = JSON.parse(x.body) as { data: { call_id: string; call_seq: number } };
        return `${body.data.call_id === callX ? "X" : "Y"}${body.data.call_seq}`;
      });
    // While X1 waits for its retry, Y goes through and nothing later of X is sent.
    expect(seen()).toEqual(["X1", "Y1", "Y2"]);
    // X1's retry comes due.
    await db.sql`update switchboard_webhook_deliveries set next_attempt_at = now() where status = 'pending'`;
    await drain(d);
    expect(seen()).toEqual(["X1", "Y1", "Y2", "X1", "X2", "X3"]);
  });

  test("two delivery workers on separate connections never deliver an event twice", async () => {
    const r = receiver();
    await subscribe(r.url);
    const events = Array.from({ length: 120 }, (_, i) => ({
      type: "call.ended",
      domain_uuid: domainA,
      call_id: crypto.randomUUID(),
      call_seq: 1,
      data: { n: i },
    }));
    const ids = await appendTestEvents(db.sql, events);
    const other = createSql(db.url, { max: 4 });
    try {
      const one = dispatcher({ concurrency: 8 });
      const two = createWebhookDispatcher({
        sql: other,
        policy: allowLoopback,
        schedule: IMMEDIATE_RETRIES,
        gapWaitMs: 0,
        concurrency: 8,
      });
      await Promise.all([one.runOnce(), two.runOnce(), one.runOnce(), two.runOnce()]);
      await drain(one);
    } finally {
      await other.end();
    }
    const got = r.received.map((x) => x.headers["webhook-id"]);
    expect(got).toHaveLength(120);
    expect(new Set(got)).toEqual(new Set(ids));
  });

  test("a delivery leased by a process that died is taken over when its lease runs out", async () => {
    const r = receiver();
    await subscribe(r.url);
    const [id] = await appendTestEvents(db.sql, [{ type: "call.ended", domain_uuid: domainA }]);
    await dispatcher().runOnce();
    expect(r.received).toHaveLength(1);
    await db.sql`update switchboard_webhook_deliveries set status = 'pending', lease_token = gen_random_uuid(),
      leased_until = now() + interval '1 hour' where event_id = ${id!}`;
    await drain();
    expect(r.received).toHaveLength(1);
    await db.sql`update switchboard_webhook_deliveries set leased_until = now() - interval '1 second' where event_id = ${id!}`;
    await drain();
    expect(r.received.map((x) => x.headers["webhook-id"])).toEqual([id!, id!]);
  });

  test("the running worker is woken by the event log's notification (appendEvents)", async () => {
    const r = receiver();
    await subscribe(r.url);
    const d = dispatcher({ pollMs: 60_000 });
    await d.start();
    try {
      await Bun.sleep(200);
      const [event] = await appendEvents(db.sql, [
        {
          id: `evt_${crypto.randomUUID()}`,
          type: "call.started",
          domain_uuid: domainA,
          call_id: crypto.randomUUID(),
          extension_uuid: null,
          occurred_at: new Date().toISOString(),
          reconciled: false,
          switch_host: null,
          data: {
            direction: "inbound",
            caller: { number: "+12065550100", name: null },
            destination: "100",
            extension_uuid: null,
          },
        },
      ]);
      const [got] = await r.waitFor(1, 10_000);
      expect(got!.headers["webhook-id"]).toBe(event!.id);
      expect(JSON.parse(got!.body).data).toEqual(event);
    } finally {
      await d.stop();
    }
  });

  test("finished deliveries older than 30 days are pruned from the log; pending ones stay", async () => {
    const hook = await subscribe("http://127.0.0.1:9/hook");
    await db.sql`insert into switchboard_webhook_deliveries (webhook_uuid, event_id, event_type, status, finished_at, next_attempt_at)
      values (${hook.webhook_uuid}::uuid, 'evt_old', 'call.ended', 'succeeded', now() - interval '31 days', now()),
             (${hook.webhook_uuid}::uuid, 'evt_recent', 'call.ended', 'failed', now() - interval '29 days', now()),
             (${hook.webhook_uuid}::uuid, 'evt_waiting', 'call.ended', 'pending', null, now() + interval '1 hour')`;
    const d = dispatcher({ pollMs: 60_000 });
    await d.start();
    await d.stop();
    const rows = await db.sql<{ event_id: string }[]>`select event_id from switchboard_webhook_deliveries
      where webhook_uuid = ${hook.webhook_uuid}::uuid order by event_id`;
    expect(rows.map((r) => r.event_id)).toEqual(["evt_recent", "evt_waiting"]);
  });

  test("redirects are not followed", async () => {
    const target = receiver();
    const r = receiver();
    r.script([new Response(null, { status: 302, headers: { location: target.url } })], 302);
    const hook = await subscribe(r.url);
    await appendTestEvents(db.sql, [{ type: "call.ended", domain_uuid: domainA }]);
    await drain(dispatcher({ schedule: [] }));
    expect(target.received).toHaveLength(0);
    const [row] = await db.sql`select last_status_code from switchboard_webhook_deliveries
      where webhook_uuid = ${hook.webhook_uuid}::uuid`;
    expect(row!.last_status_code).toBe(302);
  });

  test("a host that resolves to a refused address at delivery time is not contacted (DNS rebinding)", async () => {
    const r = receiver();
    const port = new URL(r.url).port;
    const hook = await subscribe(`http://rebind.hooks.example:${port}/hook`);
    await appendTestEvents(db.sql, [{ type: "call.ended", domain_uuid: domainA }]);
    await drain(dispatcher({ schedule: [], policy: { allow: [], resolve: async () => ["127.0.0.1"] } }));
    expect(r.received).toHaveLength(0);
    const [row] = await db.sql`select status, last_error from switchboard_webhook_deliveries
      where webhook_uuid = ${hook.webhook_uuid}::uuid`;
    expect(row!.status).toBe("failed");
    expect(String(row!.last_error)).toContain("loopback");
  });

  test("a hole in the log (an insert not committed yet) is waited for, then its event goes out in order", async () => {
    const r = receiver();
    await subscribe(r.url);
    const d = dispatcher({ gapWaitMs: 60_000 });
    const [first] = await appendTestEvents(db.sql, [{ type: "call.ended", domain_uuid: domainA }]);
    // A hole: seq n+1 is taken by a transaction that has not committed yet.
    const late = db.sql.reserve();
    const conn = await late;
    await conn`begin`;
    await conn`insert into switchboard_events (event_id, type, occurred_at, data) values ('evt_late', 'call.ended', now(), '{}')`;
    const [after] = await appendTestEvents(db.sql, [{ type: "call.ended", domain_uuid: domainA }]);
    await drain(d);
    expect(r.received.map((x) => x.headers["webhook-id"])).toEqual([first!]);
    await conn`commit`;
    conn.release();
    await drain(d);
    expect(r.received.map((x) => x.headers["webhook-id"])).toEqual([first!, "evt_late", after!]);
  });
});
