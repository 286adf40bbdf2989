import { afterAll, beforeAll, expect, test } from "bun:test";
import { createTestDatabase, type TestDatabase } from "@switchboard/db/testing";
import { type AuditEntry, createAuditSink } from "./audit-sink.ts";

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase({ migrate: true });
}, 60_000);
afterAll(async () => {
  await db?.drop();
});

const entry = (i: number, overrides: Partial<AuditEntry> = {}): AuditEntry => ({
  face: "legacy",
  keyId: i % 2 ? "5bc14e83-fc4e-4578-99b8-c7151eb2ec54" : null,
  slackUserId: null,
  slackTeamId: null,
  action: "domain-details",
  domainUuid: i % 3 ? "3a644e67-de8f-4798-b07e-6f22c33a656e" : null,
  outcome: "ok",
  errorCode: null,
  requestId: `req-${i}`,
  address: "127.0.0.1",
  durationMs: i,
  at: new Date(Date.UTC(2026, 10, 29, 0, 0, i % 60)),
  ...overrides,
});

test("batches of any size land with every column, through one statement text", async () => {
  await db.sql`truncate switchboard_audit`;
  const sink = createAuditSink(db.sql, { intervalMs: 10_000, maxBatch: 7 });
  for (let i = 0; i < 23; i++) sink.record(entry(i, { errorCode: i === 5 ? "NOT_FOUND" : null, outcome: i === 5 ? "error" : "ok" }));
  await sink.flush();
  const rows = await db.sql`select * from switchboard_audit order by duration_ms`;
  expect(rows.length).toBe(23);
  expect(rows[5]).toMatchObject({ request_id: "req-5", outcome: "error", error_code: "NOT_FOUND", duration_ms: 5, key_uuid: "5bc14e83-fc4e-4578-99b8-c7151eb2ec54", domain_uuid: "3a644e67-de8f-4798-b07e-6f22c33a656e" });
  expect(rows[0]).toMatchObject({ key_uuid: null, domain_uuid: null, face: "legacy", address: "127.0.0.1" });
});

test("a full batch is written without waiting for the timer", async () => {
  await db.sql`truncate switchboard_audit`;
  const sink = createAuditSink(db.sql, { intervalMs: 60_000, maxBatch: 10 });
  for (let i = 0; i < 10; i++) sink.record(entry(i));
  for (let tries = 0; tries < 100; tries++) {
    const [{ n }] = (await db.sql`select count(*)::int as n from switchboard_audit`) as unknown as [{ n: number }];
    if (n === 10) break;
    await Bun.sleep(20);
  }
  const [{ n }] = (await db.sql`select count(*)::int as n from switchboard_audit`) as unknown as [{ n: number }];
  expect(n).toBe(10);
});

test("a failed write keeps its rows for the next try, and the buffer is bounded", async () => {
  const errors: unknown[] = [];
  const broken = createAuditSink(db.sql, { intervalMs: 60_000, maxBatch: 1_000, maxBuffered: 5, onError: (e) => errors.push(e) });
  await db.sql`alter table switchboard_audit rename to switchboard_audit_away`;
  try {
    for (let i = 0; i < 8; i++) broken.record(entry(100 + i));
    await broken.flush();
    expect(broken.dropped()).toBe(3);
    expect(errors.length).toBeGreaterThan(0);
  } finally {
    await db.sql`alter table switchboard_audit_away rename to switchboard_audit`;
  }
  await db.sql`truncate switchboard_audit`;
  await broken.flush();
  const rows = await db.sql`select request_id from switchboard_audit order by duration_ms`;
  expect(rows.map((r) => r.request_id)).toEqual(["req-103", "req-104", "req-105", "req-106", "req-107"]);
});
