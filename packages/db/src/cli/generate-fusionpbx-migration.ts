/**
 * Writes src/migrations/0001-fusionpbx-tables.ts: the FusionPBX tables Switchboard creates on an empty
 * database. Columns come from ../shared/reference/fusionpbx-tables.json (FusionPBX's app_config.php
 * declarations); tables the JSON lacks come from the real schema dumps. Every table is checked against
 * the dump of a real install (5.6, or 5.1 for v_settings, which 5.2+ dropped) and the run fails on any
 * difference in column names, order, types or primary key.
 *
 * Run: bun src/cli/generate-fusionpbx-migration.ts  (needs ../shared; the runtime never does)
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { sharedDir } from "../testing/test-database.ts";

interface TableDef {
  name: string;
  columns: { name: string; type: string }[];
  primaryKey: string | null;
  source: string;
}

interface JsonColumn {
  name: string;
  type: string;
  key: "primary" | "foreign" | null;
}

/** Tables the generated migration creates, in creation order. */
export const FUSIONPBX_TABLE_NAMES = [
  "v_domains",
  "v_domain_settings",
  "v_default_settings",
  "v_settings",
  "v_users",
  "v_groups",
  "v_user_groups",
  "v_permissions",
  "v_group_permissions",
  "v_contacts",
  "v_extensions",
  "v_extension_users",
  "v_voicemails",
  "v_destinations",
  "v_dialplans",
  "v_dialplan_details",
  "v_ring_groups",
  "v_ring_group_destinations",
  "v_ring_group_users",
  "v_call_center_queues",
  "v_call_center_agents",
  "v_call_center_tiers",
  "v_gateways",
  "v_xml_cdr",
  "v_database_transactions",
  "rest_api_keys",
] as const;

/** Tables the JSON does not describe, taken from the dump of the version that has them. */
const FROM_DUMP: Record<string, "fusionpbx-5.1.0" | "fusionpbx-5.6-master"> = {
  v_settings: "fusionpbx-5.1.0",
  rest_api_keys: "fusionpbx-5.6-master",
};

/** app_config.php pgsql type spellings mapped to what information_schema/pg_dump print. */
function canonicalType(type: string): string {
  const t = type.trim().toLowerCase();
  if (t === "timestamptz") return "timestamp with time zone";
  const char = /^char\((\d+)\)$/.exec(t);
  if (char) return `character(${char[1]})`;
  return t;
}

export function parseDumpTables(text: string): Map<string, TableDef> {
  const tables = new Map<string, TableDef>();
  const createRe = /^CREATE TABLE public\.(\w+) \(\n([\s\S]*?)\n\);/gm;
  for (const m of text.matchAll(createRe)) {
    const name = m[1]!;
    const columns = m[2]!.split("\n").map((line) => {
      const col = /^\s+"?(\w+)"? (.+?),?$/.exec(line);
      if (!col) throw new Error(`cannot parse column line in ${name}: ${line}`);
      return { name: col[1]!, type: col[2]!.replace(/ NOT NULL$/, "").replace(/ DEFAULT .*$/, "") };
    });
    tables.set(name, { name, columns, primaryKey: null, source: "dump" });
  }
  const pkRe = /^ALTER TABLE ONLY public\.(\w+)\n\s+ADD CONSTRAINT \w+ PRIMARY KEY \((\w+)\);/gm;
  for (const m of text.matchAll(pkRe)) {
    const t = tables.get(m[1]!);
    if (t) t.primaryKey = m[2]!;
  }
  return tables;
}

function sameDefinition(a: TableDef, b: TableDef): string | null {
  const left = a.columns.map((c) => `${c.name} ${c.type}`).join(", ");
  const right = b.columns.map((c) => `${c.name} ${c.type}`).join(", ");
  if (left !== right) return `columns differ:\n  generated: ${left}\n  dump:      ${right}`;
  if (a.primaryKey !== b.primaryKey) return `primary key differs: ${a.primaryKey} vs ${b.primaryKey}`;
  return null;
}

export function buildTableDefs(shared: string): TableDef[] {
  const json = JSON.parse(readFileSync(join(shared, "reference", "fusionpbx-tables.json"), "utf8")) as {
    fusionpbx_version: string;
    tables: Record<string, { columns: JsonColumn[] }>;
  };
  const dumps = {
    "fusionpbx-5.1.0": parseDumpTables(readFileSync(join(shared, "reference", "schemas", "fusionpbx-5.1.0.sql"), "utf8")),
    "fusionpbx-5.6-master": parseDumpTables(
      readFileSync(join(shared, "reference", "schemas", "fusionpbx-5.6-master.sql"), "utf8"),
    ),
  };
  const defs: TableDef[] = [];
  for (const name of FUSIONPBX_TABLE_NAMES) {
    const fromJson = json.tables[name];
    const dumpKind = FROM_DUMP[name] ?? "fusionpbx-5.6-master";
    const reference = dumps[dumpKind].get(name);
    if (!reference) throw new Error(`${name} is missing from the ${dumpKind} dump`);
    let def: TableDef;
    if (fromJson) {
      const pk = fromJson.columns.filter((c) => c.key === "primary").map((c) => c.name);
      if (pk.length > 1) throw new Error(`${name} has a composite primary key, not expected`);
      def = {
        name,
        columns: fromJson.columns.map((c) => ({ name: c.name, type: canonicalType(c.type) })),
        primaryKey: pk[0] ?? null,
        source: `fusionpbx-tables.json (FusionPBX ${json.fusionpbx_version})`,
      };
    } else {
      def = { ...reference, source: `${dumpKind}.sql` };
    }
    const diff = sameDefinition(def, reference);
    if (diff) throw new Error(`${name} does not match the ${dumpKind} dump: ${diff}`);
    defs.push(def);
  }
  return defs;
}

export function renderCreateTable(def: TableDef): string {
  const cols = def.columns.map((c) => `  ${c.name} ${c.type}${c.name === def.primaryKey ? " PRIMARY KEY" : ""}`);
  return `-- ${def.name}: from ${def.source}\nCREATE TABLE ${def.name} (\n${cols.join(",\n")}\n);`;
}

export function renderMigrationModule(defs: TableDef[]): string {
  const sqlText = defs.map(renderCreateTable).join("\n\n");
  if (sqlText.includes("`") || sqlText.includes("${")) throw new Error("generated SQL cannot be embedded in a template literal");
  return `// Generated by src/cli/generate-fusionpbx-migration.ts; do not edit by hand, re-run the generator.
// FusionPBX's own schema class creates tables as \`CREATE TABLE name (col type [PRIMARY KEY], ...)\`: no
// defaults, NOT NULLs or foreign keys, so neither do we. Column order is a fresh 5.6 install's.

export const FUSIONPBX_TABLES = ${JSON.stringify(defs.map((d) => d.name), null, 2).replace(/\n\s*/g, " ").replace(/\[ /, "[").replace(/ \]/, "]")} as const;

export const fusionpbxTablesSql = \`
${sqlText}
\`;
`;
}

if (import.meta.main) {
  if (!sharedDir) {
    console.error("generate-fusionpbx-migration: ../shared/reference not found (set SHARED_DIR)");
    process.exit(1);
  }
  try {
    const defs = buildTableDefs(sharedDir);
    const out = join(import.meta.dir, "..", "migrations", "0001-fusionpbx-tables.ts");
    writeFileSync(out, renderMigrationModule(defs));
    console.log(`wrote ${out}: ${defs.length} tables, each checked against the real schema dump`);
  } catch (err) {
    console.error(`generate-fusionpbx-migration: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  }
}
