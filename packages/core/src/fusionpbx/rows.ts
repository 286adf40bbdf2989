import type { Queryable, SchemaInfo } from "@switchboard/db";
import { notFound } from "../errors.ts";

export type ColumnValue = string | number | boolean | null | undefined;
export type Row = Record<string, unknown>;

/** Casts we let through to SQL; anything else (arrays, user-defined types) is written as text. */
const CASTABLE = new Set([
  "text",
  "uuid",
  "boolean",
  "numeric",
  "integer",
  "bigint",
  "smallint",
  "json",
  "jsonb",
  "timestamp with time zone",
]);

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

/** A column and the SQL expression written to it (a placeholder, `null` or `now()`). */
export type Cell = readonly [column: string, expression: string];

/**
 * The one shape of FusionPBX's row writes (save(), the app classes, our editors): the cells, then who and
 * when — `insert_date = now(), insert_user = NULL` on insert, `update_date`/`update_user` on update — when
 * `stamped` says the table has that column. API callers are not FusionPBX users, so the user is NULL.
 */
export function insertText(table: string, cells: readonly Cell[], stamped: (column: string) => boolean): string {
  const all = [...cells, ...stamps("insert", stamped)];
  return `insert into ${identifier(table)} (${all.map(([c]) => identifier(c)).join(", ")}) values (${all.map(([, e]) => e).join(", ")})`;
}

/** `update … set <cells>, update_date = now(), update_user = null where <keys>` (see `insertText`). */
export function updateText(
  table: string,
  cells: readonly Cell[],
  where: readonly Cell[],
  stamped: (column: string) => boolean,
): string {
  const sets = [...cells, ...stamps("update", stamped)].map(([c, e]) => `${identifier(c)} = ${e}`);
  return `update ${identifier(table)} set ${sets.join(", ")} where ${where.map(([c, e]) => `${identifier(c)} = ${e}`).join(" and ")}`;
}

function stamps(kind: "insert" | "update", stamped: (column: string) => boolean): Cell[] {
  const cells: Cell[] = [
    [`${kind}_date`, "now()"],
    [`${kind}_user`, "null"],
  ];
  return cells.filter(([column]) => stamped(column));
}

/** Only the columns this FusionPBX version has (5.1 and 5.6 differ), undefined values dropped. */
function presentColumns(
  schema: SchemaInfo,
  table: string,
  values: Record<string, ColumnValue>,
): [string, ColumnValue][] {
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
  const sets = presentColumns(schema, table, values).map(([column, value]): Cell => {
    params.push(paramFor(schema, table, column, value));
    return [column, `$${params.length}::${castOf(schema, table, column)}`];
  });
  const where = Object.entries(keys).map(([column, value]): Cell => {
    params.push(value);
    return [column, `$${params.length}::${castOf(schema, table, column)}`];
  });
  const text = `${updateText(table, sets, where, (c) => schema.hasColumn(table, c))} returning *`;
  return (await q.unsafe(text, params)) as unknown as Row[];
}

/** INSERT the given columns (plus insert_date = now(), insert_user = NULL); the row written. */
export async function insertRow(
  q: Queryable,
  schema: SchemaInfo,
  table: string,
  values: Record<string, ColumnValue>,
): Promise<Row> {
  const params: Param[] = [];
  const cells = presentColumns(schema, table, values).map(([column, value]): Cell => {
    params.push(paramFor(schema, table, column, value));
    return [column, `$${params.length}::${castOf(schema, table, column)}`];
  });
  const text = `${insertText(table, cells, (c) => schema.hasColumn(table, c))} returning *`;
  const rows = (await q.unsafe(text, params)) as unknown as Row[];
  return rows[0]!;
}

/** DELETE … WHERE every key matches (skipped when the table is absent in this version); the rows deleted. */
export async function deleteRows(
  q: Queryable,
  schema: SchemaInfo,
  table: string,
  keys: Record<string, string | null>,
): Promise<Row[]> {
  if (!schema.hasTable(table)) return [];
  for (const column of Object.keys(keys)) if (!schema.hasColumn(table, column)) return [];
  const params: Param[] = [];
  const where = Object.entries(keys).map(([column, value]) => {
    params.push(value);
    return `${identifier(column)} = $${params.length}::${castOf(schema, table, column)}`;
  });
  return (await q.unsafe(
    `delete from ${identifier(table)} where ${where.join(" and ")} returning *`,
    params,
  )) as unknown as Row[];
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
  const rows = (await q.unsafe(
    `select * from ${identifier(table)} where ${where.join(" and ")}${lock}`,
    params,
  )) as unknown as Row[];
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
