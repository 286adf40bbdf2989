import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { migrate } from "@switchboard/db";
import { createTestDatabase, type TestDatabase } from "@switchboard/db/testing";
import { createRetryGuard } from "./retry-guard.ts";

describe("retry guard", () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase({ prefix: "sb_slack_guard" });
    await migrate(db.sql);
  }, 60_000);
  afterAll(async () => {
    await db?.drop();
  }, 30_000);

  test("the first claim of a request wins, every copy after it loses, concurrently too", async () => {
    const guard = createRetryGuard(db.sql);
    const results = await Promise.all(Array.from({ length: 10 }, () => guard.claim("T1:trigger-a")));
    expect(results.filter(Boolean)).toHaveLength(1);
    expect(await guard.claim("T1:trigger-b")).toBe(true);
  });

  test("a second process sharing the database sees the same claims", async () => {
    expect(await createRetryGuard(db.sql).claim("T1:trigger-a")).toBe(false);
  });

  test("a claim older than a day can be taken again; claims older than two days are purged", async () => {
    await db.sql`insert into switchboard_idempotency (scope, idem_key, created_at) values
      ('slack-request', 'T1:old', now() - interval '25 hours'), ('slack-request', 'T1:ancient', now() - interval '3 days'),
      ('originate|other', 'ancient', now() - interval '3 days')`;
    const guard = createRetryGuard(db.sql, { purgeEvery: 1 });
    expect(await guard.claim("T1:old")).toBe(true);
    const left =
      await db.sql`select scope, idem_key from switchboard_idempotency where idem_key in ('T1:ancient', 'ancient') order by scope`;
    // Only the bot's own expired claims go; other scopes' rows are not its business.
    expect([...left]).toEqual([{ scope: "originate|other", idem_key: "ancient" }]);
  });
});
