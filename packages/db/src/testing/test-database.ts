import postgres from "postgres";
import { createSql, type Sql } from "../client.ts";
import { FUSIONPBX_SCHEMAS, type FusionpbxSchema, renderSchema } from "../fusionpbx-schemas/index.ts";
import { type MigrateResult, migrate } from "../migrate.ts";

export const PG_TEST_URL = process.env.PG_TEST_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";

export type SchemaKind = FusionpbxSchema["kind"];

export interface TestDatabase {
  name: string;
  url: string;
  sql: Sql;
  /** What `{ migrate: true }` did; undefined without it. */
  migration?: MigrateResult;
  drop(): Promise<void>;
}

let counter = 0;

export interface TestDatabaseOptions {
  /**
   * Create that FusionPBX version's tables first, as a fresh install has them (from the schemas in
   * src/fusionpbx-schemas/, equivalent to a restored dump of that version: docs/fusionpbx-schema.md).
   */
  dump?: SchemaKind;
  prefix?: string;
  /**
   * Run Switchboard's migrations: on an empty database that creates FusionPBX's tables too (5.6 shape);
   * after `dump` only the switchboard_ tables are added.
   */
  migrate?: boolean;
}

/** Creates a fresh database on the test server, optionally with a FusionPBX version's tables, and migrates. */
export async function createTestDatabase(options: TestDatabaseOptions = {}): Promise<TestDatabase> {
  const admin = postgres(PG_TEST_URL, { max: 1, onnotice: () => {} });
  const name = `${options.prefix ?? "sb_test"}_${process.pid}_${Date.now()}_${counter++}`.toLowerCase();
  try {
    await admin.unsafe(`create database "${name}"`);
  } finally {
    await admin.end();
  }
  const url = new URL(PG_TEST_URL);
  url.pathname = `/${name}`;
  if (options.dump) {
    const loader = postgres(url.toString(), { max: 1, onnotice: () => {} });
    try {
      await loader.unsafe(renderSchema(FUSIONPBX_SCHEMAS[options.dump])).simple();
    } finally {
      await loader.end();
    }
  }
  const sql = createSql(url.toString(), { max: 10 });
  const migration = options.migrate ? await migrate(sql, { fusionpbx: "create-if-empty" }) : undefined;
  return {
    name,
    url: url.toString(),
    sql,
    migration,
    async drop() {
      await sql.end({ timeout: 1 });
      const admin2 = postgres(PG_TEST_URL, { max: 1, onnotice: () => {} });
      try {
        await admin2.unsafe(`drop database if exists "${name}" with (force)`);
      } finally {
        await admin2.end();
      }
    },
  };
}

/** True when the test server answers; suites print why they skip when it does not. */
export async function testServerAvailable(): Promise<boolean> {
  const probe = postgres(PG_TEST_URL, { max: 1, connect_timeout: 2, onnotice: () => {} });
  try {
    await probe`select 1`;
    return true;
  } catch {
    return false;
  } finally {
    await probe.end({ timeout: 1 });
  }
}
