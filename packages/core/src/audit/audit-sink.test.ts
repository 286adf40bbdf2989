import { afterAll, beforeAll, expect, test } from "bun:test";
import { createSql } from "@switchboard/db";
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

test("batches of any size land with every column", async () => {
  await db.sql`truncate switchboard_audit`;
  const sink = createAuditSink(db.sql, { intervalMs: 10_000, maxBatch: 7 });
  for (let i = 0; i < 23; i++)
    sink.record(entry(i, { errorCode: i === 5 ? "NOT_FOUND" : null, outcome: i === 5 ? "error" : "ok" }));
  await sink.flush();
  const rows = await db.sql`select * from switchboard_audit order by duration_ms`;
  expect(rows.length).toBe(23);
  expect(rows[5]).toMatchObject({
    request_id: "req-5",
    outcome: "error",
    error_code: "NOT_FOUND",
    duration_ms: 5,
    key_uuid: "5bc14e83-fc4e-4578-99b8-c7151eb2ec54",
    domain_uuid: "3a644e67-de8f-4798-b07e-6f22c33a656e",
  });
  expect(rows[0]).toMatchObject({ key_uuid: null, domain_uuid: null, face: "legacy", address: "127.0.0.1" });
});

test("rows are keyed in the order they were recorded, so new rows land at the end of the key's index", async () => {
  await db.sql`truncate switchboard_audit`;
  const sink = createAuditSink(db.sql, { intervalMs: 10_000, maxBatch: 40 });
  // Across several milliseconds and several batches.
  for (let i = 0; i < 120; i++) {
    sink.record(entry(i));
    if (i % 30 === 0) await Bun.sleep(2);
  }
  await sink.flush();
  const rows = await db.sql<{ audit_uuid: string; duration_ms: number }[]>`
    select audit_uuid::text, duration_ms from switchboard_audit order by audit_uuid`;
  expect(rows.map((r) => r.duration_ms)).toEqual(Array.from({ length: 120 }, (_, i) => i));
  expect(rows.every((r) => r.audit_uuid[14] === "7")).toBe(true);
});

test("text with tabs, line breaks, backslashes and other scripts lands exactly as given", async () => {
  await db.sql`truncate switchboard_audit`;
  const sink = createAuditSink(db.sql, { intervalMs: 60_000 });
  const awkward = ["tab\there", "line\nbreak\r\nwindows", "back\\slash \\N \\t", "\\N", "Zürich ☎ 東京 𝄞", "", "\\."];
  awkward.forEach((text, i) => {
    sink.record(entry(i, { requestId: text, action: `act ${text}`, address: null, slackUserId: text }));
  });
  await sink.flush();
  const rows = await db.sql<
    { request_id: string; action: string; address: string | null; slack_user_id: string }[]
  >`select request_id, action, address, slack_user_id from switchboard_audit order by duration_ms`;
  expect(rows.map((r) => r.request_id)).toEqual(awkward);
  expect(rows.map((r) => r.action)).toEqual(awkward.map((text) => `act ${text}`));
  expect(rows.map((r) => r.slack_user_id)).toEqual(awkward);
  expect(rows.every((r) => r.address === null)).toBe(true);
  expect(sink.stats()).toMatchObject({ written: awkward.length, dropped: 0, failed: 0 });
});

test("batches land while other queries share the pool's connections", async () => {
  await db.sql`truncate switchboard_audit`;
  // Two connections, always busy: the driver pipelines queries onto busy connections, and a query sent on a
  // connection in the middle of a COPY would break its protocol (PostgreSQL ends that session).
  const shared = createSql(db.url, { max: 2 });
  const errors: string[] = [];
  try {
    const sink = createAuditSink(shared, { intervalMs: 5, maxBatch: 50, onError: (e) => errors.push(String(e)) });
    let recorded = 0;
    const readers = Array.from({ length: 8 }, async () => {
      for (let i = 0; i < 150; i++) {
        await shared`select 1`;
        sink.record(entry(recorded++));
      }
    });
    await Promise.all(readers);
    await sink.flush();
    expect(errors).toEqual([]);
    expect(sink.stats()).toMatchObject({ written: 1200, failed: 0, dropped: 0 });
    const [{ n }] = (await db.sql`select count(*)::int as n from switchboard_audit`) as unknown as [{ n: number }];
    expect(n).toBe(1200);
  } finally {
    await shared.end();
  }
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
  const broken = createAuditSink(db.sql, {
    intervalMs: 60_000,
    maxBatch: 1_000,
    maxBuffered: 5,
    onError: (e) => errors.push(e),
  });
  await db.sql`alter table switchboard_audit rename to switchboard_audit_away`;
  try {
    for (let i = 0; i < 8; i++) broken.record(entry(100 + i));
    await broken.flush();
    expect(broken.stats()).toMatchObject({ dropped: 3, buffered: 5, written: 0 });
    expect(broken.stats().lastError?.message).toContain("switchboard_audit");
    expect(errors.length).toBeGreaterThan(0);
  } finally {
    await db.sql`alter table switchboard_audit_away rename to switchboard_audit`;
  }
  await db.sql`truncate switchboard_audit`;
  await broken.flush();
  const rows = await db.sql`select request_id from switchboard_audit order by duration_ms`;
  expect(rows.map((r) => r.request_id)).toEqual(["req-103", "req-104", "req-105", "req-106", "req-107"]);
});

test("rows PostgreSQL refuses are dropped alone, with their cause logged and counted; every other row is written", async () => {
  await db.sql`truncate switchboard_audit`;
  const errors: string[] = [];
  const sink = createAuditSink(db.sql, { intervalMs: 60_000, maxBatch: 50, onError: (e) => errors.push(String(e)) });
  for (let i = 0; i < 20; i++) {
    if (i === 3) sink.record(entry(i, { domainUuid: "-".repeat(36) }));
    else if (i === 11) sink.record(entry(i, { keyId: "a".repeat(36) }));
    else if (i === 17) sink.record(entry(i, { address: "127.0.0.1\u0000" }));
    else sink.record(entry(i));
  }
  await sink.flush();
  const rows = await db.sql<{ request_id: string }[]>`select request_id from switchboard_audit order by duration_ms`;
  expect(rows.map((r) => r.request_id)).toEqual(
    Array.from({ length: 20 }, (_, i) => `req-${i}`).filter((r) => !["req-3", "req-11", "req-17"].includes(r)),
  );
  const stats = sink.stats();
  expect(stats).toMatchObject({ written: 17, dropped: 3, buffered: 0 });
  expect(stats.failed).toBeGreaterThanOrEqual(3);
  expect(errors.filter((e) => e.includes("audit row dropped")).map((e) => /request (req-\d+)/.exec(e)?.[1])).toEqual([
    "req-3",
    "req-11",
    "req-17",
  ]);
  expect(errors.find((e) => e.includes("req-3"))).toContain("uuid");

  // The sink keeps working afterwards.
  sink.record(entry(40));
  await sink.flush();
  expect(sink.stats()).toMatchObject({ written: 18, dropped: 3 });
});

test("a write that never answers counts as failed and is retried, without writing its rows twice", async () => {
  await db.sql`truncate switchboard_audit`;
  const errors: string[] = [];
  const sink = createAuditSink(db.sql, {
    intervalMs: 60_000,
    writeTimeoutMs: 200,
    onError: (e) => errors.push(String(e)),
  });
  // Hold the table so the insert waits on the lock past its deadline.
  const held = db.sql.begin(async (tx) => {
    await tx`lock table switchboard_audit in access exclusive mode`;
    sink.record(entry(1));
    await sink.flush();
  });
  await held;
  expect(sink.stats().buffered).toBe(1);
  expect(errors.some((e) => e.includes("unanswered"))).toBe(true);
  await sink.flush();
  // The first insert ran once the lock was released; the retry found its row and added nothing.
  const rows = await db.sql`select request_id from switchboard_audit`;
  expect(rows.map((r) => r.request_id)).toEqual(["req-1"]);
  expect(sink.stats()).toMatchObject({ written: 1, buffered: 0 });
});
