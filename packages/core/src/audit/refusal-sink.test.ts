import { afterAll, beforeAll, expect, test } from "bun:test";
import { createTestDatabase, type TestDatabase } from "@switchboard/db/testing";
import { createRefusalSink, OVERFLOW_ADDRESS } from "./refusal-sink.ts";

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase({ migrate: true });
}, 60_000);
afterAll(async () => {
  await db?.drop();
});

const KEY = "5bc14e83-fc4e-4578-99b8-c7151eb2ec54";
const at = new Date(Date.UTC(2026, 11, 3, 10, 15, 7));

test("a flood of the same refusal is one row per minute with its count, across flushes and sinks", async () => {
  await db.sql`truncate switchboard_refusals`;
  const a = createRefusalSink(db.sql, { intervalMs: 60_000 });
  const b = createRefusalSink(db.sql, { intervalMs: 60_000 });
  for (let i = 0; i < 300; i++)
    a.record({ face: "legacy", reason: "bad_credentials", keyId: KEY, address: "203.0.113.9", at });
  await a.flush();
  for (let i = 0; i < 200; i++)
    b.record({ face: "legacy", reason: "bad_credentials", keyId: KEY, address: "203.0.113.9", at });
  b.record({ face: "legacy", reason: "bad_credentials", keyId: null, address: "203.0.113.9", at });
  b.record({
    face: "legacy",
    reason: "bad_credentials",
    keyId: KEY,
    address: "203.0.113.9",
    at: new Date(at.getTime() + 60_000),
  });
  await b.flush();
  const rows = await db.sql<{ minute: string; key_uuid: string | null; count: number }[]>`
    select minute::text, key_uuid::text, count from switchboard_refusals order by minute, key_uuid nulls first`;
  expect(rows.map((r) => [r.minute, r.key_uuid, r.count])).toEqual([
    ["2026-12-03 10:15:00+00", null, 1],
    ["2026-12-03 10:15:00+00", KEY, 500],
    ["2026-12-03 10:16:00+00", KEY, 1],
  ]);
  expect(a.stats().written + b.stats().written).toBe(502);
});

test("beyond the row cap of a minute, further keys and addresses share one overflow row", async () => {
  await db.sql`truncate switchboard_refusals`;
  const sink = createRefusalSink(db.sql, { intervalMs: 60_000, maxRowsPerMinute: 5 });
  for (let i = 0; i < 1000; i++)
    sink.record({
      face: "trpc",
      reason: "bad_credentials",
      keyId: crypto.randomUUID(),
      address: `198.51.100.${i % 250}`,
      at,
    });
  await sink.flush();
  const rows = await db.sql<{ address: string; key_uuid: string | null; count: number }[]>`
    select address, key_uuid::text, count from switchboard_refusals`;
  expect(rows).toHaveLength(6);
  expect(rows.find((r) => r.address === OVERFLOW_ADDRESS)).toEqual({
    address: OVERFLOW_ADDRESS,
    key_uuid: null,
    count: 995,
  });
  expect(sink.stats().folded).toBe(995);
});

test("old minutes and rows beyond the cap are pruned", async () => {
  await db.sql`truncate switchboard_refusals`;
  await db.sql`
    insert into switchboard_refusals (refusal_uuid, minute, face, reason, key_uuid, address, count, last_at)
    select gen_random_uuid(), date_trunc('minute', now()) - make_interval(mins => n), 'legacy', 'no_credentials', null,
           '192.0.2.1', 1, now()
    from generate_series(0, 49) as n`;
  await db.sql`
    insert into switchboard_refusals (refusal_uuid, minute, face, reason, key_uuid, address, count, last_at)
    values (gen_random_uuid(), now() - interval '40 days', 'legacy', 'no_credentials', null, '192.0.2.1', 1, now())`;
  const sink = createRefusalSink(db.sql, { intervalMs: 60_000, maxRows: 20, retentionDays: 30, pruneEveryMs: 0 });
  sink.record({ face: "legacy", reason: "no_credentials", keyId: null, address: "192.0.2.2" });
  await sink.flush();
  const [{ n, oldest }] = (await db.sql`
    select count(*)::int as n, min(minute) > now() - interval '1 hour' as oldest from switchboard_refusals`) as unknown as [
    { n: number; oldest: boolean },
  ];
  expect(n).toBeLessThanOrEqual(21);
  expect(n).toBeGreaterThanOrEqual(20);
  expect(oldest).toBe(true);
});

test("while the database refuses, counts are kept and written once it answers", async () => {
  await db.sql`truncate switchboard_refusals`;
  const errors: unknown[] = [];
  await db.sql`alter table switchboard_refusals rename to switchboard_refusals_away`;
  const sink = createRefusalSink(db.sql, { intervalMs: 60_000, onError: (e) => errors.push(e) });
  try {
    for (let i = 0; i < 7; i++)
      sink.record({ face: "legacy", reason: "rate_limited", keyId: KEY, address: "203.0.113.9", at });
    await sink.flush();
    expect(sink.stats().failed).toBe(1);
    expect(errors).toHaveLength(1);
  } finally {
    await db.sql`alter table switchboard_refusals_away rename to switchboard_refusals`;
  }
  await sink.flush();
  const [row] = await db.sql<{ count: number }[]>`select count from switchboard_refusals`;
  expect(row?.count).toBe(7);
});
