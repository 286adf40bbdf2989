/**
 * The shape in which Switchboard carries a FusionPBX version's schema (docs/fusionpbx-schema.md): every
 * table of a fresh install with its columns in physical order and their exact types, the primary key and
 * the single-column indexes. FusionPBX declares no defaults, NOT NULLs (beyond primary keys), foreign keys
 * or unique constraints, so there are none to carry.
 */

export interface TableDefinition {
  name: string;
  /** `name type`, in the order the columns sit in the table (what `SELECT *` returns). */
  columns: string[];
  /** The primary key column; FusionPBX names the constraint `<table>_pkey`. */
  primaryKey?: string;
  /** Columns with a btree index named `<table>_<column>_fkey` (5.2 and later index every foreign key). */
  indexed?: string[];
}

export interface FusionpbxSchema {
  /** FusionPBX's version, as in the test database kind (`fusionpbx-5.1.0`, `fusionpbx-5.6-master`). */
  kind: "fusionpbx-5.1.0" | "fusionpbx-5.6-master";
  tables: TableDefinition[];
}

export interface Column {
  name: string;
  type: string;
}

/** Splits a `name type` column entry. */
export function parseColumn(entry: string): Column {
  const space = entry.indexOf(" ");
  if (space <= 0) throw new Error(`column entry "${entry}" is not "name type"`);
  return { name: entry.slice(0, space), type: entry.slice(space + 1) };
}

/** PostgreSQL keeps the first 63 bytes of an identifier; all FusionPBX names are ASCII. */
const MAX_IDENTIFIER = 63;

export function indexName(table: string, column: string): string {
  return `${table}_${column}_fkey`.slice(0, MAX_IDENTIFIER);
}

function quoted(identifier: string): string {
  if (!/^[a-z_][a-z0-9_]*$/.test(identifier)) throw new Error(`unexpected identifier ${identifier}`);
  return `"${identifier}"`;
}

/** The DDL that creates one table, its primary key and its indexes. */
export function renderTable(table: TableDefinition): string {
  const lines = table.columns.map((entry) => {
    const { name, type } = parseColumn(entry);
    return `  ${quoted(name)} ${type}`;
  });
  if (table.primaryKey) {
    lines.push(`  CONSTRAINT ${quoted(`${table.name}_pkey`)} PRIMARY KEY (${quoted(table.primaryKey)})`);
  }
  const statements = [`CREATE TABLE ${quoted(table.name)} (\n${lines.join(",\n")}\n);`];
  for (const column of table.indexed ?? []) {
    statements.push(
      `CREATE INDEX ${quoted(indexName(table.name, column))} ON ${quoted(table.name)} (${quoted(column)});`,
    );
  }
  return statements.join("\n");
}

/** The DDL that creates every table of a schema, in the order the definition lists them. */
export function renderSchema(schema: FusionpbxSchema): string {
  return schema.tables.map(renderTable).join("\n\n");
}

export function findTable(schema: FusionpbxSchema, name: string): TableDefinition {
  const table = schema.tables.find((t) => t.name === name);
  if (!table) throw new Error(`${schema.kind} has no table ${name}`);
  return table;
}
