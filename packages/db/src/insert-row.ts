import type { Queryable } from "./client.ts";
import type { SchemaInfo } from "./schema-info.ts";

export type RowValue = string | number | boolean | null;

const TRUE_TEXT = new Set(["true", "t", "1", "yes", "on"]);

/**
 * A value converted for a FusionPBX column of the given live type. Boolean columns (5.6) get a real
 * boolean: porsager serialises bound booleans by type, so the text 'true' would be written as false.
 * Every other column gets text as PHP's PDO binds it, booleans as 'true'/'false' (what FusionPBX
 * writes into 5.1's text flags).
 */
export function columnValue(value: RowValue, dataType: string | undefined): string | boolean | null {
  if (value === null) return null;
  if (dataType === "boolean")
    return typeof value === "boolean" ? value : TRUE_TEXT.has(String(value).trim().toLowerCase());
  if (typeof value === "boolean") return value ? "true" : "false";
  return String(value);
}

/**
 * Inserts one row into a FusionPBX table, leaving out columns this database's version does not have
 * and converting values to each column's live type (read from the schema). Returns the columns written.
 */
export async function insertRow(
  sql: Queryable,
  schema: SchemaInfo,
  table: string,
  row: Record<string, RowValue>,
): Promise<string[]> {
  if (!schema.hasTable(table)) throw new Error(`table ${table} does not exist in this database`);
  const columns = Object.keys(row).filter((c) => schema.hasColumn(table, c));
  const values: Record<string, string | boolean | null> = {};
  for (const c of columns) values[c] = columnValue(row[c] ?? null, schema.typeOf(table, c));
  await sql`insert into ${sql(table)} ${sql(values, columns)}`;
  return columns;
}
