import type { Queryable } from "./client.ts";

export interface ColumnInfo {
  name: string;
  /** information_schema data_type: `text`, `boolean`, `numeric`, `uuid`, `timestamp with time zone`, … */
  dataType: string;
}

/**
 * The live shape of a FusionPBX database, read once at start-up: 5.1 keeps many flags as text 'true',
 * 5.6 as boolean, and the versions differ in columns.
 */
export interface SchemaInfo {
  hasTable(table: string): boolean;
  /** Columns of a table in physical order (what `SELECT *` returns); empty for a missing table. */
  columns(table: string): readonly ColumnInfo[];
  hasColumn(table: string, column: string): boolean;
  /** The column's data type, or undefined when the column does not exist. */
  typeOf(table: string, column: string): string | undefined;
}

export function schemaInfoFrom(
  rows: readonly { table_name: string; column_name: string; data_type: string }[],
): SchemaInfo {
  const tables = new Map<string, ColumnInfo[]>();
  const index = new Map<string, string>();
  for (const r of rows) {
    const cols = tables.get(r.table_name) ?? [];
    if (cols.length === 0) tables.set(r.table_name, cols);
    cols.push({ name: r.column_name, dataType: r.data_type });
    index.set(`${r.table_name}.${r.column_name}`, r.data_type);
  }
  return {
    hasTable: (t) => tables.has(t),
    columns: (t) => tables.get(t) ?? [],
    hasColumn: (t, c) => index.has(`${t}.${c}`),
    typeOf: (t, c) => index.get(`${t}.${c}`),
  };
}

export async function loadSchemaInfo(sql: Queryable): Promise<SchemaInfo> {
  const rows = await sql<{ table_name: string; column_name: string; data_type: string }[]>`
    select table_name, column_name, data_type
    from information_schema.columns
    where table_schema = current_schema()
    order by table_name, ordinal_position`;
  return schemaInfoFrom(rows);
}
