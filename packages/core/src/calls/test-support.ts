/** Test support for the call actions: a real database (a FusionPBX schema plus our migrations) and a fake switch. */
import { migrate } from "@switchboard/db";
import { createTestDatabase, type SchemaKind, type TestDatabase } from "@switchboard/db/testing";
import { createSwitchPool, type EslSwitchPool } from "@switchboard/esl";
import { type FakeSwitch, startFakeSwitch } from "@switchboard/esl/testing";
import type { Caller } from "../caller.ts";
import type { ActionContext } from "../context.ts";
import { createTestContext } from "../testing/test-context.ts";

export interface CallsFixture {
  db: TestDatabase;
  fake: FakeSwitch;
  pool: EslSwitchPool;
  ctx(caller?: Partial<Caller>, options?: { now?: () => Date; switches?: EslSwitchPool }): Promise<ActionContext>;
  addDomain(name: string): Promise<string>;
  close(): Promise<void>;
}

export function poolFor(fake: { host: string; port: number; password: string }): EslSwitchPool {
  return createSwitchPool({
    switches: [{ host: fake.host, port: fake.port, password: fake.password }],
    connection: { connectTimeoutMs: 2000, backoff: { initialMs: 50, maxMs: 200 } },
  });
}

export async function openCallsFixture(dump: SchemaKind): Promise<CallsFixture> {
  const db = await createTestDatabase({ dump });
  await migrate(db.sql);
  const fake = await startFakeSwitch();
  const pool = poolFor(fake);
  return {
    db,
    fake,
    pool,
    ctx: (caller = {}, options = {}) =>
      createTestContext({
        sql: db.sql,
        switches: options.switches ?? pool,
        caller,
        ...(options.now ? { now: options.now } : {}),
      }),
    async addDomain(name) {
      const uuid = crypto.randomUUID();
      await db.sql`insert into v_domains (domain_uuid, domain_name, domain_enabled) values (${uuid}, ${name}, true)`;
      return uuid;
    },
    async close() {
      await pool.close();
      await fake.stop();
      await db.drop();
    },
  };
}

/** Polls until `check` returns a value (not undefined); fails after `timeoutMs`. */
export async function eventually<T>(check: () => Promise<T | undefined>, timeoutMs = 5000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error("condition not reached in time");
    await Bun.sleep(20);
  }
}
