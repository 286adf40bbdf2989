import type { Queryable, TransactionSql } from "./client.ts";
import { MIGRATIONS, type Migration } from "./migrations/index.ts";

export type FusionpbxMode = "create-if-empty" | "never";

export interface MigrateOptions {
  /**
   * "create-if-empty" (default): when the database has no FusionPBX tables at all, create them (the
   * embedded default, or a fresh PostgreSQL given to the migrate command). "never": only switchboard_*
   * tables. A database that already has FusionPBX tables (a real install) never gets FusionPBX DDL.
   */
  fusionpbx?: FusionpbxMode;
  /** Runs inside the migration transaction right after FusionPBX's tables were created (demo seed). */
  onFusionpbxCreated?: (tx: TransactionSql) => Promise<void>;
  /** For tests; the package's migrations by default. */
  migrations?: readonly Migration[];
}

export interface MigrateResult {
  /** Migration ids applied by this call, in order. */
  applied: string[];
  /** Ids recorded by an earlier run. */
  alreadyApplied: string[];
  /** FusionPBX migrations not applied, with the reason. */
  skipped: { id: string; reason: string }[];
  /** True when this call created FusionPBX's tables. */
  fusionpbxCreated: boolean;
  /** True when the database had FusionPBX tables that Switchboard did not create (a real install). */
  existingFusionpbx: boolean;
}

/** Serialises concurrent migrate() calls on the same database (any process). */
export const MIGRATION_LOCK_NAME = "switchboard.migrate";

const RECORD_TABLE_SQL = `
CREATE TABLE IF NOT EXISTS switchboard_schema_migrations (
  id text PRIMARY KEY,
  kind text NOT NULL,
  description text,
  applied_at timestamptz NOT NULL DEFAULT now()
)`;

/**
 * Applies pending migrations in one transaction under a transaction-scoped advisory lock, so that two
 * processes starting at once neither race nor half-apply. Idempotent: what ran is recorded in
 * switchboard_schema_migrations.
 */
export async function migrate(sql: Queryable, options: MigrateOptions = {}): Promise<MigrateResult> {
  const mode = options.fusionpbx ?? "create-if-empty";
  const migrations = options.migrations ?? MIGRATIONS;
  const run = async (tx: TransactionSql): Promise<MigrateResult> => {
    await tx`select pg_advisory_xact_lock(hashtext(${MIGRATION_LOCK_NAME}))`;
    await tx.unsafe(RECORD_TABLE_SQL);
    const recorded = await tx<{ id: string; kind: string }[]>`select id, kind from switchboard_schema_migrations`;
    const done = new Set(recorded.map((r) => r.id));
    const weCreatedFusionpbx = recorded.some((r) => r.kind === "fusionpbx");
    const found = await tx<{ count: number }[]>`
      select count(*)::int as count from information_schema.tables
      where table_schema = current_schema() and (left(table_name, 2) = 'v_' or table_name = 'rest_api_keys')`;
    const existingFusionpbx = (found[0]?.count ?? 0) > 0 && !weCreatedFusionpbx;

    const result: MigrateResult = {
      applied: [],
      alreadyApplied: [],
      skipped: [],
      fusionpbxCreated: false,
      existingFusionpbx,
    };
    for (const m of migrations) {
      if (done.has(m.id)) {
        result.alreadyApplied.push(m.id);
        continue;
      }
      if (m.kind === "fusionpbx") {
        if (existingFusionpbx) {
          result.skipped.push({
            id: m.id,
            reason: "the database already has FusionPBX tables; they are left untouched",
          });
          continue;
        }
        if (mode === "never" && !weCreatedFusionpbx) {
          result.skipped.push({
            id: m.id,
            reason: "the database has no FusionPBX tables; the migrate command creates them",
          });
          continue;
        }
      }
      await tx.unsafe(m.sql).simple();
      await tx`insert into switchboard_schema_migrations (id, kind, description) values (${m.id}, ${m.kind}, ${m.description})`;
      result.applied.push(m.id);
      if (m.kind === "fusionpbx" && !weCreatedFusionpbx && !result.fusionpbxCreated) result.fusionpbxCreated = true;
    }
    if (result.fusionpbxCreated && options.onFusionpbxCreated) await options.onFusionpbxCreated(tx);
    return result;
  };
  // A TransactionSql has savepoint() but no begin(); callers normally pass the pool.
  if ("begin" in sql && typeof sql.begin === "function") return (await sql.begin(run)) as MigrateResult;
  return run(sql as TransactionSql);
}
