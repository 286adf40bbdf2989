import type { Queryable } from "../client.ts";

export interface SchemaSnapshot {
  tables: string[];
  /** `table.column position type nullable default`, one entry per column. */
  columns: string[];
  constraints: string[];
  indexes: string[];
}

/** Everything observable about the current schema's tables, as sorted strings, for before/after comparisons. */
export async function schemaSnapshot(sql: Queryable): Promise<SchemaSnapshot> {
  const tables = await sql<{ table_name: string; table_type: string }[]>`
    select table_name, table_type from information_schema.tables
    where table_schema = current_schema() order by table_name`;
  const columns = await sql<{ line: string }[]>`
    select format('%s.%s %s %s(%s) %s %s', table_name, column_name, ordinal_position, data_type,
      coalesce(character_maximum_length::text, ''), is_nullable, coalesce(column_default, '')) as line
    from information_schema.columns where table_schema = current_schema()
    order by table_name, ordinal_position`;
  const constraints = await sql<{ line: string }[]>`
    select format('%s %s %s', conrelid::regclass::text, conname, pg_get_constraintdef(oid)) as line
    from pg_constraint where connamespace = current_schema()::regnamespace order by 1`;
  const indexes = await sql<{ line: string }[]>`
    select indexdef as line from pg_indexes where schemaname = current_schema() order by indexname`;
  return {
    tables: tables.map((t) => `${t.table_name} ${t.table_type}`),
    columns: columns.map((c) => c.line),
    constraints: constraints.map((c) => c.line),
    indexes: indexes.map((i) => i.line),
  };
}

/** Columns of one table in physical order as `name type`, the shape `SELECT *` exposes. */
export async function tableShape(sql: Queryable, table: string): Promise<string[]> {
  const rows = await sql<{ line: string }[]>`
    select format('%s %s', a.attname, format_type(a.atttypid, a.atttypmod)) as line
    from pg_attribute a
    where a.attrelid = to_regclass(${table}) and a.attnum > 0 and not a.attisdropped
    order by a.attnum`;
  return rows.map((r) => r.line);
}

/** The primary key column(s) of a table, or [] when it has none. */
export async function primaryKeyOf(sql: Queryable, table: string): Promise<string[]> {
  const rows = await sql<{ column_name: string }[]>`
    select a.attname as column_name
    from pg_index i join pg_attribute a on a.attrelid = i.indrelid and a.attnum = any(i.indkey)
    where i.indrelid = to_regclass(${table}) and i.indisprimary order by a.attnum`;
  return rows.map((r) => r.column_name);
}
