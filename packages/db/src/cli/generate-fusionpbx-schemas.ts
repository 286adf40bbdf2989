/**
 * Writes src/fusionpbx-schemas/fusionpbx-<version>.ts, the FusionPBX schemas the tests build their databases
 * from (docs/fusionpbx-schema.md), from `pg_dump --schema-only` files of real installs. A developer who has
 * such dumps runs it; the tests and the runtime never read a dump.
 *
 *   bun src/cli/generate-fusionpbx-schemas.ts DUMP_DIR           rewrite the modules from DUMP_DIR/<kind>.sql
 *   bun src/cli/generate-fusionpbx-schemas.ts --check DUMP_DIR   fail unless the committed modules match the
 *       dumps and a database built from each module has the same tables, columns, types, constraints and
 *       indexes as one restored from the dump (PostgreSQL at PG_TEST_URL)
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { deepEqual } from "node:assert/strict";
import postgres from "postgres";
import { type FusionpbxSchema, indexName, type TableDefinition } from "../fusionpbx-schemas/definition.ts";
import { FUSIONPBX_SCHEMAS } from "../fusionpbx-schemas/index.ts";
import { createTestDatabase } from "../testing/test-database.ts";
import { schemaSnapshot } from "../testing/schema-snapshot.ts";

type Kind = FusionpbxSchema["kind"];
const KINDS: Kind[] = ["fusionpbx-5.1.0", "fusionpbx-5.6-master"];

export interface ParsedDump {
  schema: FusionpbxSchema;
  /** Objects the dump has that Switchboard's schemas leave out (views, functions). */
  leftOut: string[];
}

/** Reads what Switchboard carries out of a pg_dump schema-only file, failing on anything it cannot express. */
export function parseDump(kind: Kind, text: string): ParsedDump {
  const tables = new Map<string, TableDefinition>();
  const notNull = new Map<string, string[]>();
  for (const m of text.matchAll(/^CREATE TABLE public\.(\w+) \(\n([\s\S]*?)\n\);/gm)) {
    const name = m[1]!;
    const columns: string[] = [];
    for (const line of m[2]!.split("\n")) {
      const col = /^ {4}"?(\w+)"? (.+?)( NOT NULL)?,?$/.exec(line);
      if (!col || col[2]!.includes(" DEFAULT "))
        throw new Error(`${kind}: cannot carry column line in ${name}: ${line}`);
      columns.push(`${col[1]} ${col[2]}`);
      if (col[3]) notNull.set(name, [...(notNull.get(name) ?? []), col[1]!]);
    }
    tables.set(name, { name, columns });
  }
  for (const m of text.matchAll(/^ALTER TABLE ONLY public\.(\w+)\n {4}ADD CONSTRAINT (\w+) (.*);$/gm)) {
    const [, table, constraint, definition] = m;
    const pk = /^PRIMARY KEY \((\w+)\)$/.exec(definition!);
    const def = tables.get(table!);
    if (!def || !pk || constraint !== `${table}_pkey`) throw new Error(`${kind}: cannot carry ${m[0]}`);
    def.primaryKey = pk[1]!;
  }
  for (const m of text.matchAll(/^CREATE (UNIQUE )?INDEX (\w+) ON public\.(\w+) USING (\w+) \((.*)\);$/gm)) {
    const [, unique, name, table, method, column] = m;
    const def = tables.get(table!);
    if (!def || unique || method !== "btree" || name !== indexName(table!, column!)) {
      throw new Error(`${kind}: cannot carry ${m[0]}`);
    }
    def.indexed = [...(def.indexed ?? []), column!];
  }
  for (const [table, columns] of notNull) {
    if (columns.length !== 1 || columns[0] !== tables.get(table)?.primaryKey) {
      throw new Error(`${kind}: ${table} has NOT NULL columns besides its primary key: ${columns.join(", ")}`);
    }
  }
  const carried = /^(CREATE TABLE|ALTER TABLE ONLY|CREATE INDEX|SET |SELECT pg_catalog\.set_config)/;
  const leftOut: string[] = [];
  for (const m of text.matchAll(/^(CREATE|ALTER|DROP|COMMENT|GRANT|REVOKE)\b.*$/gm)) {
    if (carried.test(m[0])) continue;
    const view = /^CREATE (VIEW|FUNCTION) public\.(\w+)/.exec(m[0]);
    if (!view) throw new Error(`${kind}: cannot carry ${m[0]}`);
    leftOut.push(`${view[1]!.toLowerCase()} ${view[2]}`);
  }
  for (const def of tables.values()) def.indexed?.sort();
  const sorted = [...tables.values()].sort((a, b) => a.name.localeCompare(b.name));
  return { schema: { kind, tables: sorted }, leftOut };
}

function wrapComment(text: string, width = 110): string {
  const lines: string[] = [];
  let line = "//";
  for (const word of text.split(" ")) {
    if (line.length + word.length + 1 > width) {
      lines.push(line);
      line = "//";
    }
    line += ` ${word}`;
  }
  return [...lines, line].join("\n");
}

const exportName = (kind: Kind) =>
  `fusionpbx${kind.replace(/^fusionpbx-/, "").replace(/[.-](\w)/g, (_, c: string) => c.toUpperCase())}`;

/** The TypeScript module that carries one schema. */
export function renderSchemaModule(parsed: ParsedDump): string {
  const { schema } = parsed;
  const str = JSON.stringify;
  const tables = schema.tables.map((t) => {
    const lines = [`    {`, `      name: ${str(t.name)},`];
    if (t.primaryKey) lines.push(`      primaryKey: ${str(t.primaryKey)},`);
    if (t.indexed) lines.push(`      indexed: [`, ...t.indexed.map((c) => `        ${str(c)},`), `      ],`);
    lines.push(`      columns: [`, ...t.columns.map((c) => `        ${str(c)},`), `      ],`, `    },`);
    return lines.join("\n");
  });
  const version = schema.kind.replace(/^fusionpbx-/, "");
  return `// FusionPBX ${version}'s tables as a fresh install has them (docs/fusionpbx-schema.md). Generated by
// src/cli/generate-fusionpbx-schemas.ts from a schema dump of a real install; re-run it rather than edit.
${wrapComment(`Left out, as Switchboard never uses them: ${parsed.leftOut.join(", ")}.`)}
import type { FusionpbxSchema } from "./definition.ts";

export const ${exportName(schema.kind)}: FusionpbxSchema = {
  kind: ${str(schema.kind)},
  tables: [
${tables.join("\n")}
  ],
};
`;
}

function moduleFile(kind: Kind): string {
  return join(import.meta.dir, "..", "fusionpbx-schemas", `${kind}.ts`);
}

/** Restores the dump and builds the carried schema in two databases; returns the differences. */
async function compareWithDump(kind: Kind, dumpText: string): Promise<string[]> {
  const restored = await createTestDatabase({ prefix: "sb_schema_check" });
  const built = await createTestDatabase({ prefix: "sb_schema_check", dump: kind });
  try {
    const loadable = dumpText
      .split("\n")
      .filter((line) => !line.startsWith("\\") && !line.includes("set_config('search_path', '', false)"))
      .join("\n");
    const loader = postgres(restored.url, { max: 1, onnotice: () => {} });
    try {
      await loader.unsafe(loadable).simple();
    } finally {
      await loader.end();
    }
    const [a, b] = [await schemaSnapshot(restored.sql), await schemaSnapshot(built.sql)];
    const tablesOnly = (lines: string[]) => lines.filter((l) => !l.endsWith(" VIEW"));
    const views = new Set(a.tables.filter((l) => l.endsWith(" VIEW")).map((l) => l.split(" ")[0]!));
    const notView = (lines: string[]) => lines.filter((l) => !views.has(l.split(".")[0]!));
    const diffs: string[] = [];
    const pairs: [string, string[], string[]][] = [
      ["tables", tablesOnly(a.tables), b.tables],
      ["columns", notView(a.columns), b.columns],
      ["constraints", a.constraints, b.constraints],
      ["indexes", a.indexes, b.indexes],
    ];
    for (const [what, left, right] of pairs) {
      const onlyDump = left.filter((l) => !right.includes(l));
      const onlyBuilt = right.filter((l) => !left.includes(l));
      for (const l of onlyDump) diffs.push(`${kind} ${what}: only in the dump: ${l}`);
      for (const l of onlyBuilt) diffs.push(`${kind} ${what}: only in the built schema: ${l}`);
      if (onlyDump.length === 0 && onlyBuilt.length === 0 && left.join("\n") !== right.join("\n")) {
        diffs.push(`${kind} ${what}: same entries in a different order`);
      }
    }
    return diffs;
  } finally {
    await restored.drop();
    await built.drop();
  }
}

async function main(args: string[]): Promise<number> {
  const check = args.includes("--check");
  const dir = args.find((a) => !a.startsWith("--"));
  if (!dir) {
    console.error("usage: bun src/cli/generate-fusionpbx-schemas.ts [--check] DUMP_DIR (holding <kind>.sql)");
    return 2;
  }
  let failures = 0;
  for (const kind of KINDS) {
    const text = readFileSync(join(dir, `${kind}.sql`), "utf8");
    const parsed = parseDump(kind, text);
    if (!check) {
      writeFileSync(moduleFile(kind), renderSchemaModule(parsed));
      console.log(`wrote ${moduleFile(kind)}: ${parsed.schema.tables.length} tables`);
      continue;
    }
    const committed = FUSIONPBX_SCHEMAS[kind];
    try {
      deepEqual(committed, parsed.schema);
    } catch {
      console.error(`${kind}: the committed module differs from the dump; re-run the generator`);
      failures++;
      continue;
    }
    const diffs = await compareWithDump(kind, text);
    for (const d of diffs) console.error(d);
    failures += diffs.length;
    const columns = parsed.schema.tables.reduce((n, t) => n + t.columns.length, 0);
    if (diffs.length === 0) {
      console.log(`${kind}: ${parsed.schema.tables.length} tables, ${columns} columns identical to the dump's`);
    }
  }
  return failures === 0 ? 0 : 1;
}

if (import.meta.main) process.exit(await main(process.argv.slice(2)));
