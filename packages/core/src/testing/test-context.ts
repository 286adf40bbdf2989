import { loadSchemaInfo, type Sql } from "@switchboard/db";
import type { SwitchPool } from "@switchboard/esl";
import type { Caller } from "../caller.ts";
import type { ActionContext } from "../context.ts";
import { SCOPES } from "../scope.ts";

/** An unscoped caller with every scope, as the original's keys were. */
export function testCaller(overrides: Partial<Caller> = {}): Caller {
  return {
    face: "internal",
    requestId: `test-${crypto.randomUUID()}`,
    keyId: null,
    domainUuid: null,
    scopes: new Set(SCOPES),
    address: "127.0.0.1",
    ...overrides,
  };
}

/** A real context over a test database and a (fake or real) switch pool. */
export async function createTestContext(options: {
  sql: Sql;
  switches: SwitchPool;
  caller?: Partial<Caller>;
  now?: () => Date;
}): Promise<ActionContext> {
  return {
    sql: options.sql,
    schema: await loadSchemaInfo(options.sql),
    switches: options.switches,
    caller: testCaller(options.caller),
    now: options.now ?? (() => new Date()),
  };
}
