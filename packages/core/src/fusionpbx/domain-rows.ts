import type { TransactionSql } from "@switchboard/db";
import { identifier } from "./rows.ts";

/**
 * Rows that come with every domain and go with it without a second thought: its settings and the dialplans
 * FusionPBX imports for each domain. Rows in any other table (extensions, destinations, users, call
 * records, …) are someone's work, and keep a domain from being deleted without `force`.
 */
export const DOMAIN_HOUSEKEEPING_TABLES: ReadonlySet<string> = new Set([
  "v_domain_settings",
  "v_dialplans",
  "v_dialplan_details",
]);

/**
 * Kept when a domain is deleted: the transaction log is the record of who changed what, the deletion
 * included. FusionPBX's own delete empties it for the domain too.
 */
const KEPT_TABLES: ReadonlySet<string> = new Set(["v_domains", "v_database_transactions"]);

/**
 * FusionPBX's tables (`v_…`, base tables only: not views) with a `domain_uuid` column, as the live database
 * has them: what FusionPBX's `domains->delete()` empties for a deleted domain (it walks every app's declared
 * tables; a table the database lacks cannot hold rows).
 */
export async function domainTables(tx: TransactionSql): Promise<string[]> {
  const rows = await tx<{ table_name: string }[]>`
    select c.table_name
    from information_schema.columns c
    join information_schema.tables t on t.table_schema = c.table_schema and t.table_name = c.table_name
    where c.table_schema = current_schema() and c.column_name = 'domain_uuid' and t.table_type = 'BASE TABLE'
      and c.table_name like 'v\\_%'
    order by c.table_name`;
  return rows.map((r) => r.table_name).filter((name) => !KEPT_TABLES.has(name));
}

/** How many rows each of `tables` holds for the domain (tables with none left out), in one statement. */
export async function countDomainRows(
  tx: TransactionSql,
  tables: readonly string[],
  domainUuid: string,
): Promise<Record<string, number>> {
  if (tables.length === 0) return {};
  const text = tables
    .map((t) => `select '${t}' as table_name, count(*)::int as n from ${identifier(t)} where domain_uuid = $1::uuid`)
    .join(" union all ");
  const rows = (await tx.unsafe(text, [domainUuid])) as unknown as { table_name: string; n: number }[];
  return Object.fromEntries(rows.filter((r) => r.n > 0).map((r) => [r.table_name, r.n]));
}

/** "extensions: 3, destinations: 1": what keeps a domain from being deleted, by FusionPBX table. */
export function describeDomainRows(counts: Readonly<Record<string, number>>): string {
  return Object.entries(counts)
    .map(([table, n]) => `${table.replace(/^v_/, "")}: ${n}`)
    .join(", ");
}

/** Deletes the domain's rows from one of `domainTables`; how many there were. */
export async function deleteDomainRows(tx: TransactionSql, table: string, domainUuid: string): Promise<number> {
  const result = await tx.unsafe(`delete from ${identifier(table)} where domain_uuid = $1::uuid`, [domainUuid]);
  return result.count;
}
