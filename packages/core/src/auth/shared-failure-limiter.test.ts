import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { createTestDatabase, type TestDatabase } from "@switchboard/db/testing";
import { createSharedFailureLimiter } from "./shared-failure-limiter.ts";

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase({ migrate: true });
}, 60_000);
afterAll(async () => {
  await db?.drop();
});

// Two limiters on one database stand for two processes (API workers, nodes).
describe("failures shared through PostgreSQL", () => {
  test("failures recorded by one process block the identifier in another, until the window passes", async () => {
    let clock = Date.parse("2026-01-01T00:00:00Z");
    const options = { name: "address", maxFailures: 3, windowMs: 60_000, now: () => clock };
    const a = createSharedFailureLimiter(db.sql, options);
    const b = createSharedFailureLimiter(db.sql, options);
    expect(await a.record("10.0.0.1")).toBe(1);
    clock += 1_000;
    expect(await b.record("10.0.0.1")).toBe(2);
    clock += 1_000;
    expect(await a.record("10.0.0.1")).toBe(3);
    // a saw the third failure itself; b learns it when it syncs.
    expect(a.retryAfter("10.0.0.1")).toBe(58);
    expect(b.retryAfter("10.0.0.1")).toBe(0);
    await b.sync("10.0.0.1");
    expect(b.retryAfter("10.0.0.1")).toBe(58);
    expect(b.begin("10.0.0.1")).toBe(58);
    // Others are unaffected, in either process.
    await b.sync("10.0.0.2");
    expect(b.retryAfter("10.0.0.2")).toBe(0);
    // The first failure leaves the window 60 s after it happened.
    clock += 58_001;
    await b.sync("10.0.0.1");
    expect(b.retryAfter("10.0.0.1")).toBe(0);
  });

  test("limiters of different names never share counts", async () => {
    const clock = Date.parse("2026-02-01T00:00:00Z");
    const byAddress = createSharedFailureLimiter(db.sql, {
      name: "address",
      maxFailures: 2,
      windowMs: 60_000,
      now: () => clock,
    });
    const byKey = createSharedFailureLimiter(db.sql, {
      name: "key",
      maxFailures: 2,
      windowMs: 60_000,
      now: () => clock,
    });
    await byAddress.record("same-id");
    await byAddress.record("same-id");
    await byKey.sync("same-id");
    expect(byKey.retryAfter("same-id")).toBe(0);
    expect(byAddress.retryAfter("same-id")).toBe(60);
  });

  test("rows older than the window are deleted as new failures are recorded", async () => {
    let clock = Date.parse("2026-03-01T00:00:00Z");
    const limiter = createSharedFailureLimiter(db.sql, {
      name: "prune",
      maxFailures: 100,
      windowMs: 10_000,
      now: () => clock,
      pruneEvery: 5,
    });
    for (let i = 0; i < 4; i++) await limiter.record(`old-${i}`);
    clock += 10_001;
    await limiter.record("new");
    const rows = await db.sql<
      { identifier: string }[]
    >`select identifier from switchboard_auth_failures where limiter = 'prune'`;
    expect(rows.map((r) => r.identifier)).toEqual(["new"]);
  });
});
