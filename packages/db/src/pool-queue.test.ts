import { afterAll, expect, test } from "bun:test";
import { createSql } from "./client.ts";
import { PG_TEST_URL } from "./testing/index.ts";

const sql = createSql(PG_TEST_URL, { max: 2 });
afterAll(async () => {
  await sql.end();
});

/**
 * The driver keeps its pooled connections in queues (idle, busy, …) and finds a connection in one with
 * `indexOf` when it moves it. Unpatched, a queue that was never empty when the pool took from it (every
 * connection busy, as under steady load) kept every slot it had emptied, so the array grew by one per query
 * for the life of the process and each move scanned all of it: an API got measurably slower with every
 * request it had served (bench/notes.md). Watches the arrays those lookups scan, after many queries
 * pipelined onto a pool whose connections are all busy.
 */
/** `clients` callers, each sending its next query when the last one answered: a pool that never goes idle. */
async function steadyLoad(clients: number, queriesEach: number): Promise<void> {
  await Promise.all(
    Array.from({ length: clients }, async () => {
      for (let i = 0; i < queriesEach; i++) await sql`select 1`;
    }),
  );
}

test("the pool's connection queues stay the size of the pool under steady load", async () => {
  await steadyLoad(8, 1000);
  const scanned: number[] = [];
  const indexOf = Array.prototype.indexOf;
  Array.prototype.indexOf = function (this: unknown[], needle: unknown, from?: number) {
    // A pooled connection knows the queue it is in; nothing else searched here has a `queue`.
    if (needle !== null && typeof needle === "object" && "queue" in needle) scanned.push(this.length);
    return indexOf.call(this, needle, from);
  };
  try {
    await steadyLoad(8, 50);
  } finally {
    Array.prototype.indexOf = indexOf;
  }
  expect(scanned.length).toBeGreaterThan(0);
  // Unpatched: ~6,600 here, an emptied slot for most of the 8,000 queries before; patched: at most ~130.
  expect(Math.max(...scanned)).toBeLessThan(500);
});
