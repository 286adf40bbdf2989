import { readFileSync, existsSync } from "node:fs";
import { join } from "node:path";
import postgres from "postgres";
import { createSql, type Sql } from "../client.ts";
import { type MigrateResult, migrate } from "../migrate.ts";

export const PG_TEST_URL = process.env.PG_TEST_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";

/** Where `../shared` is: the checkout's sibling, or `SHARED_DIR`. Absent in a user's clone. */
export const sharedDir = (() => {
  const candidates = [process.env.SHARED_DIR, join(import.meta.dir, "../../../../../shared")];
  return candidates.find((p): p is string => !!p && existsSync(join(p, "reference"))) ?? null;
})();

export type SchemaKind = "fusionpbx-5.1.0" | "fusionpbx-5.6-master";

export function schemaDumpPath(kind: SchemaKind): string | null {
  if (!sharedDir) return null;
  const p = join(sharedDir, "reference", "schemas", `${kind}.sql`);
  return existsSync(p) ? p : null;
}

/** A pg_dump file made loadable over the wire: psql meta-commands dropped, search_path left alone. */
export function loadableDump(path: string): string {
  return readFileSync(path, "utf8")
    .split("\n")
    .filter((line) => !line.startsWith("\\"))
    .filter((line) => !line.includes("set_config('search_path', '', false)"))
    .join("\n");
}

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
  /** Load a real FusionPBX schema dump first. */
  dump?: SchemaKind;
  prefix?: string;
  /**
   * Run Switchboard's migrations: on an empty database that creates FusionPBX's tables too (5.6 shape);
   * after a dump only the switchboard_ tables are added.
   */
  migrate?: boolean;
}

/** Creates a fresh database on the test server, optionally loading a real FusionPBX schema dump and migrating. */
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
    const path = schemaDumpPath(options.dump);
    if (!path) throw new Error(`schema dump ${options.dump} not found (is ../shared present?)`);
    const loader = postgres(url.toString(), { max: 1, onnotice: () => {} });
    try {
      await loader.unsafe(loadableDump(path)).simple();
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
