import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { ActionError, type Caller, SCOPES } from "@switchboard/core";
import { DEMO_DOMAIN_NAME, DEMO_DOMAIN_UUID, migrate, seedDemo } from "@switchboard/db";
import { createTestDatabase, type TestDatabase } from "@switchboard/db/testing";
import { type FakeSwitch, startFakeSwitch } from "@switchboard/esl/testing";
import { createMemoryLogger } from "./logger.ts";
import { type StartedRuntime, startRuntime } from "./runtime.ts";

let db: TestDatabase;
let fake: FakeSwitch;
let runtime: StartedRuntime;
const memory = createMemoryLogger("test");

const operator = (overrides: Partial<Caller> = {}): Caller => ({
  face: "cli",
  requestId: `runtime-test-${crypto.randomUUID()}`,
  keyId: null,
  domainUuid: null,
  scopes: new Set(SCOPES),
  address: "cli",
  ...overrides,
});

beforeAll(async () => {
  db = await createTestDatabase({ prefix: "sb_runtime" });
  await migrate(db.sql, { fusionpbx: "create-if-empty", onFusionpbxCreated: (tx) => seedDemo(tx) });
  fake = await startFakeSwitch();
  runtime = await startRuntime({
    env: { DATABASE_URL: db.url, ESL_HOST: fake.host, ESL_PORT: String(fake.port), ESL_PASSWORD: fake.password },
    logger: memory.logger,
  });
}, 60_000);

afterAll(async () => {
  await runtime?.close();
  await fake?.stop();
  await db?.drop();
}, 30_000);

describe("startRuntime", () => {
  test("connects the configured database and switch; no demo switch on a real database", () => {
    expect(runtime.database.embedded).toBe(false);
    expect(runtime.demoSwitch).toBeNull();
    expect(runtime.switches.switches.map((s) => s.name)).toEqual([`${fake.host}:${fake.port}`]);
  });

  test("the typed caller answers with the tRPC output shape and audits as the caller", async () => {
    const caller = operator();
    const domain = await runtime.caller(caller).domains.details({ domain_name: DEMO_DOMAIN_NAME });
    expect(domain.domain_uuid).toBe(DEMO_DOMAIN_UUID);
    // The demo seed stores the flag as FusionPBX 5.6 does; the typed output is a boolean either way.
    expect(domain.domain_enabled).toBe(true);
    await runtime.audit.flush();
    const rows =
      await db.sql`select face, action, outcome, address from switchboard_audit where request_id = ${caller.requestId}`;
    expect([...rows]).toEqual([{ face: "cli", action: "domain-details", outcome: "ok", address: "cli" }]);
  });

  test("{ audit: false } writes no audit row; failures are the action's own errors", async () => {
    const caller = operator();
    const quiet = runtime.caller(caller, { audit: false });
    await expect(quiet.domains.details({ domain_name: "nowhere.example" })).rejects.toBeInstanceOf(ActionError);
    await expect(quiet.domains.details({ domain_name: "nowhere.example" })).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
    await runtime.audit.flush();
    expect(
      (await db.sql`select count(*)::int as n from switchboard_audit where request_id = ${caller.requestId}`)[0]!.n,
    ).toBe(0);
  });

  test("a domain-bound caller gets the same refusal through the caller as on the API", async () => {
    const other = crypto.randomUUID();
    const bound = runtime.caller(operator({ domainUuid: other }), { audit: false });
    await expect(bound.domains.details({ domain_uuid: DEMO_DOMAIN_UUID })).rejects.toMatchObject({ code: "NOT_FOUND" });
  });
});

describe("start-up failures", () => {
  test("an unreachable database is one DatabaseConnectError line naming where", async () => {
    const started = startRuntime({
      env: { DATABASE_URL: "postgres://postgres@127.0.0.1:1/none" },
      logger: memory.logger,
    });
    await expect(started).rejects.toThrow(/127\.0\.0\.1:1/);
  }, 20_000);
});
