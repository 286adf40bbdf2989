/**
 * Test support for the original's actions: a fresh database per suite on each FusionPBX schema (the real
 * 5.1 and 5.6 dumps, and our own migrations), a fake FreeSWITCH behind a real switch pool, two domains.
 */
import { loadSchemaInfo, type SchemaInfo } from "@switchboard/db";
import { createTestDatabase, schemaDumpPath, type SchemaKind, type TestDatabase } from "@switchboard/db/testing";
import { createSwitchPool, type SwitchPool } from "@switchboard/esl";
import { type FakeSwitch, startFakeSwitch } from "@switchboard/esl/testing";
import type { AnyAction } from "../action.ts";
import type { Caller } from "../caller.ts";
import type { ActionContext } from "../context.ts";
import type { LegacyReply } from "../errors.ts";
import { phpJsonEncode } from "../legacy/php.ts";
import { runLegacyAction } from "../legacy/run-legacy.ts";
import { testCaller } from "../testing/test-context.ts";

export type SchemaVariant = SchemaKind | "migrations";
export const SCHEMA_VARIANTS: readonly SchemaVariant[] = ["fusionpbx-5.1.0", "fusionpbx-5.6-master", "migrations"];

/** The variants this machine can run; prints why a dump-based one is skipped. */
export function availableVariants(suite: string): SchemaVariant[] {
  return SCHEMA_VARIANTS.filter((variant) => {
    if (variant === "migrations" || schemaDumpPath(variant)) return true;
    console.warn(`[${suite}] skipped on ${variant}: schema dump not found (../shared absent)`);
    return false;
  });
}

export interface DomainFixture {
  uuid: string;
  name: string;
}

export interface LegacyAnswer extends LegacyReply {
  /** The body as the legacy route serialises it (PHP json_encode). */
  json: string;
}

export interface OriginalFixture {
  variant: SchemaVariant;
  db: TestDatabase;
  schema: SchemaInfo;
  fake: FakeSwitch;
  switches: SwitchPool;
  domain: DomainFixture;
  otherDomain: DomainFixture;
  ctx(caller?: Partial<Caller>, switches?: SwitchPool): ActionContext;
  legacy(action: AnyAction, body: Record<string, unknown>, caller?: Partial<Caller>): Promise<LegacyAnswer>;
  /** `SELECT *` rows of a table where `column = value`, in physical column order. */
  rows(table: string, column: string, value: string): Promise<Record<string, unknown>[]>;
  count(table: string): Promise<number>;
  close(): Promise<void>;
}

export async function openOriginalFixture(variant: SchemaVariant): Promise<OriginalFixture> {
  const db = await createTestDatabase(variant === "migrations" ? { migrate: true } : { dump: variant });
  const schema = await loadSchemaInfo(db.sql);
  const fake = await startFakeSwitch();
  const switches = createSwitchPool({ switches: [{ host: fake.host, port: fake.port, password: fake.password }] });
  const domain = { uuid: crypto.randomUUID(), name: "pbx.example.com" };
  const otherDomain = { uuid: crypto.randomUUID(), name: "other.example.net" };
  for (const d of [domain, otherDomain]) {
    await db.sql`insert into v_domains (domain_uuid, domain_name, domain_enabled) values (${d.uuid}, ${d.name}, true)`;
  }
  const ctx = (caller: Partial<Caller> = {}, pool: SwitchPool = switches): ActionContext => ({
    sql: db.sql,
    schema,
    switches: pool,
    caller: testCaller(caller),
    now: () => new Date(),
  });
  return {
    variant,
    db,
    schema,
    fake,
    switches,
    domain,
    otherDomain,
    ctx,
    async legacy(action, body, caller = {}) {
      const reply = await runLegacyAction(action, ctx({ face: "legacy", ...caller }), body);
      return { ...reply, json: phpJsonEncode(reply.body) };
    },
    async rows(table, column, value) {
      return (await db.sql.unsafe(`select * from ${table} where ${column} = $1`, [value])) as unknown as Record<
        string,
        unknown
      >[];
    },
    async count(table) {
      const rows = await db.sql.unsafe(`select count(*)::int as n from ${table}`);
      return (rows[0] as unknown as { n: number }).n;
    },
    async close() {
      await switches.close();
      await fake.stop();
      await db.drop();
    },
  };
}

/** A pool whose only switch listens nowhere: every flush fails, as with FreeSWITCH down. */
export function unreachableSwitches(): SwitchPool {
  return createSwitchPool({
    switches: [{ host: "127.0.0.1", port: 1, password: "ClueCon" }],
    connection: { connectTimeoutMs: 300, apiTimeoutMs: 300, commandTimeoutMs: 300 },
  });
}

/** The flag value a column holds after the original wrote `'true'`/`'false'`: text on 5.1, boolean on 5.6. */
export function flagAsStored(schema: SchemaInfo, table: string, column: string, value: boolean): string | boolean {
  return schema.typeOf(table, column) === "boolean" ? value : String(value);
}
