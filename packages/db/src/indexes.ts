import type { Queryable } from "./client.ts";

/**
 * Indexes on FusionPBX's tables that Switchboard's actions need on a big install. Migrations never add them
 * (they never touch FusionPBX's tables); `switchboard doctor` names the missing ones and
 * `migrate --indexes` creates them CONCURRENTLY when the operator asks.
 */
export interface RecommendedIndex {
  name: string;
  table: string;
  /** Leading key columns; an existing index with these first, whatever its name, serves as well. */
  columns: readonly string[];
  /** The statement to run, outside a transaction. */
  create: string;
  /** Which action is slow without it. */
  why: string;
}

export const RECOMMENDED_INDEXES: readonly RecommendedIndex[] = [
  {
    name: "switchboard_xml_cdr_domain_end_stamp",
    table: "v_xml_cdr",
    columns: ["domain_uuid", "end_stamp"],
    create:
      "CREATE INDEX CONCURRENTLY IF NOT EXISTS switchboard_xml_cdr_domain_end_stamp ON v_xml_cdr (domain_uuid, end_stamp DESC)",
    why: "cdr-list reads a domain's newest call records and cursor pages by end_stamp",
  },
];

interface IndexRow {
  index_name: string;
  valid: boolean;
  leading: string[];
}

async function indexesOf(sql: Queryable, table: string): Promise<IndexRow[] | null> {
  const exists = await sql<{ ok: boolean }[]>`select to_regclass(${table}) is not null as ok`;
  if (!exists[0]?.ok) return null;
  return sql<IndexRow[]>`
    select i.relname as index_name, x.indisvalid as valid,
      array(select a.attname::text from unnest(x.indkey[0:array_length(x.indkey, 1)]) with ordinality k(attnum, n)
            join pg_attribute a on a.attrelid = x.indrelid and a.attnum = k.attnum order by k.n) as leading
    from pg_index x join pg_class i on i.oid = x.indexrelid
    where x.indrelid = to_regclass(${table})`;
}

export interface IndexState {
  index: RecommendedIndex;
  /** `present` (ours or an equivalent), `missing`, `invalid` (an interrupted CONCURRENTLY build left it unusable), or `no-table`. */
  state: "present" | "missing" | "invalid" | "no-table";
  /** The existing index that serves, when present. */
  existing?: string;
}

const servesAs = (row: IndexRow, columns: readonly string[]) => columns.every((c, i) => row.leading[i] === c);

/** Where each recommended index stands on this database. */
export async function checkRecommendedIndexes(
  sql: Queryable,
  list: readonly RecommendedIndex[] = RECOMMENDED_INDEXES,
): Promise<IndexState[]> {
  const states: IndexState[] = [];
  for (const index of list) {
    const rows = await indexesOf(sql, index.table);
    if (!rows) {
      states.push({ index, state: "no-table" });
      continue;
    }
    const serving = rows.find((r) => r.valid && servesAs(r, index.columns));
    if (serving) states.push({ index, state: "present", existing: serving.index_name });
    else
      states.push({ index, state: rows.some((r) => r.index_name === index.name && !r.valid) ? "invalid" : "missing" });
  }
  return states;
}

/**
 * Creates the missing recommended indexes with CREATE INDEX CONCURRENTLY (writes to the table go on while
 * it builds). An invalid one left by an interrupted build is dropped concurrently first. `sql` must not be
 * inside a transaction.
 */
export async function createRecommendedIndexes(
  sql: Queryable,
  log: (line: string) => void = () => {},
  list: readonly RecommendedIndex[] = RECOMMENDED_INDEXES,
): Promise<{ created: string[]; present: string[] }> {
  const created: string[] = [];
  const present: string[] = [];
  for (const state of await checkRecommendedIndexes(sql, list)) {
    const { index } = state;
    if (state.state === "present") {
      present.push(index.name);
      log(`index ${index.name}: present${state.existing !== index.name ? ` (as ${state.existing})` : ""}`);
      continue;
    }
    if (state.state === "no-table") {
      log(`index ${index.name}: skipped, the database has no ${index.table}`);
      continue;
    }
    if (state.state === "invalid") {
      log(`index ${index.name}: dropping the invalid index an interrupted build left`);
      await sql.unsafe(`DROP INDEX CONCURRENTLY IF EXISTS ${index.name}`);
    }
    log(`index ${index.name}: ${index.create}`);
    const started = performance.now();
    await sql.unsafe(index.create);
    created.push(index.name);
    log(`index ${index.name}: created in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  }
  return { created, present };
}
