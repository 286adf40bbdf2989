import type { Queryable, SchemaInfo } from "@switchboard/db";
import { notFound } from "../errors.ts";

export type ColumnValue = string | number | boolean | null | undefined;
export type Row = Record<string, unknown>;

/** Casts we let through to SQL; anything else (arrays, user-defined types) is written as text. */
const CASTABLE = new Set(["text", "uuid", "boolean", "numeric", "integer", "bigint", "smallint", "json", "jsonb", "timestamp with time zone"]);

const IDENTIFIER = /^[a-z_][a-z0-9_]*$/;

/** A table or column name quoted for SQL text; anything but a plain lower-case name is refused. */
export function identifier(name: string): string {
  if (!IDENTIFIER.test(name)) throw new Error(`unsafe SQL identifier: ${JSON.stringify(name)}`);
  return `"${name}"`;
}

/**
 * A value the way FusionPBX's `database->save()` writes it (docs/fusionpbx-writes.md §1): strings trimmed,
 * empty strings and null become NULL, booleans become what the column stores — a boolean on 5.6, the
 * text `'true'`/`'false'` on 5.1. Everything is sent as text and cast to the live column type.
 */
function columnText(value: ColumnValue): string | null {
  if (value === null || value === undefined) return null;
  if (typeof value === "boolean") return value ? "true" : "false";
  const text = String(value).trim();
  return text === "" ? null : text;
}

type Param = string | boolean | null;

/** The driver serialises by the server-inferred parameter type, so a boolean column needs a real boolean. */
function paramFor(schema: SchemaInfo, table: string, column: string, value: ColumnValue): Param {
  const text = columnText(value);
  if (text === null || schema.typeOf(table, column) !== "boolean") return text;
  return text === "true" || text === "t" || text === "1";
}

function castOf(schema: SchemaInfo, table: string, column: string): string {
  const type = schema.typeOf(table, column) ?? "text";
  return CASTABLE.has(type) ? type : "text";
}

/** Only the columns this FusionPBX version has (5.1 and 5.6 differ), undefined values dropped. */
function presentColumns(schema: SchemaInfo, table: string, values: Record<string, ColumnValue>): [string, ColumnValue][] {
  return Object.entries(values).filter(([column, value]) => value !== undefined && schema.hasColumn(table, column));
}

/** UPDATE … SET the given columns (plus update_date = now(), update_user = NULL) WHERE every key matches; the rows after. */
export async function updateRows(
  q: Queryable,
  schema: SchemaInfo,
  table: string,
  keys: Record<string, string>,
  values: Record<string, ColumnValue>,
): Promise<Row[]> {
  const params: Param[] = [];
  const sets = presentColumns(schema, table, values).map(([column, value]) => {
    params.push(paramFor(schema, table, column, value));
    return `${identifier(column)} = $${params.length}::${castOf(schema, table, column)}`;
  });
  if (schema.hasColumn(table, "update_date")) sets.push("update_date = now()");
  if (schema.hasColumn(table, "update_user")) sets.push("update_user = null");
  const where = Object.entries(keys).map(([column, value]) => {
    params.push(value);
    return `${identifier(column)} = $${params.length}::${castOf(schema, table, column)}`;
  });
  const text = `update ${identifier(table)} set ${sets.join(", ")} where ${where.join(" and ")} returning *`;
  return (await q.unsafe(text, params)) as unknown as Row[];
}

/** INSERT the given columns (plus insert_date = now(), insert_user = NULL); the row written. */
export async function insertRow(q: Queryable, schema: SchemaInfo, table: string, values: Record<string, ColumnValue>): Promise<Row> {
  const params: Param[] = [];
  const columns: string[] = [];
  const placeholders: string[] = [];
  for (const [column, value] of presentColumns(schema, table, values)) {
    params.push(paramFor(schema, table, column, value));
    columns.push(identifier(column));
    placeholders.push(`$${params.length}::${castOf(schema, table, column)}`);
  }
  for (const [column, expression] of [
    ["insert_date", "now()"],
    ["insert_user", "null"],
  ] as const) {
    if (schema.hasColumn(table, column)) {
      columns.push(column);
      placeholders.push(expression);
    }
  }
  const text = `insert into ${identifier(table)} (${columns.join(", ")}) values (${placeholders.join(", ")}) returning *`;
  const rows = (await q.unsafe(text, params)) as unknown as Row[];
  return rows[0]!;
}

/** DELETE … WHERE every key matches (skipped when the table is absent in this version); the rows deleted. */
export async function deleteRows(q: Queryable, schema: SchemaInfo, table: string, keys: Record<string, string | null>): Promise<Row[]> {
  if (!schema.hasTable(table)) return [];
  for (const column of Object.keys(keys)) if (!schema.hasColumn(table, column)) return [];
  const params: Param[] = [];
  const where = Object.entries(keys).map(([column, value]) => {
    params.push(value);
    return `${identifier(column)} = $${params.length}::${castOf(schema, table, column)}`;
  });
  return (await q.unsafe(`delete from ${identifier(table)} where ${where.join(" and ")} returning *`, params)) as unknown as Row[];
}

/** A row as `SELECT *` gives it (physical column order), or undefined; `forUpdate` locks it for the transaction. */
export async function selectRow(
  q: Queryable,
  schema: SchemaInfo,
  table: string,
  keys: Record<string, string>,
  options: { forUpdate?: boolean } = {},
): Promise<Row | undefined> {
  const params: Param[] = [];
  const where = Object.entries(keys).map(([column, value]) => {
    params.push(value);
    return `${identifier(column)} = $${params.length}::${castOf(schema, table, column)}`;
  });
  const lock = options.forUpdate ? " for update" : "";
  const rows = (await q.unsafe(`select * from ${identifier(table)} where ${where.join(" and ")}${lock}`, params)) as unknown as Row[];
  return rows[0];
}

/** `selectRow` by `key` within `domainUuid` (when a domain is in scope), or 404 with `notFoundMessage`. */
export async function requireRow(
  q: Queryable,
  schema: SchemaInfo,
  table: string,
  key: Record<string, string>,
  domainUuid: string | null,
  notFoundMessage: string,
  options: { forUpdate?: boolean } = {},
): Promise<Row> {
  const row = await selectRow(q, schema, table, domainUuid ? { ...key, domain_uuid: domainUuid } : key, options);
  if (!row) throw notFound(notFoundMessage);
  return row;
}
