/**
 * A database built from each carried schema shows the facts the project relies on (docs/fusionpbx-schema.md),
 * each read from PostgreSQL's catalog and stated here by hand. Whether the carried schemas equal real dumps is
 * the generator's check: `bun src/cli/generate-fusionpbx-schemas.ts --check DUMP_DIR`.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { primaryKeyOf, schemaSnapshot, tableShape } from "../testing/schema-snapshot.ts";
import { createTestDatabase, type TestDatabase } from "../testing/test-database.ts";
import { FUSIONPBX_SCHEMAS, renderTable } from "./index.ts";

let v51: TestDatabase;
let v56: TestDatabase;
beforeAll(async () => {
  v51 = await createTestDatabase({ prefix: "sb_schemas", dump: "fusionpbx-5.1.0" });
  v56 = await createTestDatabase({ prefix: "sb_schemas", dump: "fusionpbx-5.6-master" });
}, 60_000);
afterAll(async () => {
  await v51?.drop();
  await v56?.drop();
}, 30_000);

async function baseTables(db: TestDatabase): Promise<string[]> {
  const rows = await db.sql<{ table_name: string }[]>`
    select table_name from information_schema.tables
    where table_schema = current_schema() and table_type = 'BASE TABLE' order by table_name`;
  return rows.map((r) => r.table_name);
}

describe("FusionPBX 5.1.0 and 5.6", () => {
  test("5.1 has 109 tables and 5.6 118; 5.6 dropped v_settings and renamed the dashboard tables", async () => {
    const [t51, t56] = [await baseTables(v51), await baseTables(v56)];
    expect(t51).toHaveLength(109);
    expect(t56).toHaveLength(118);
    expect(t51.filter((t) => !t56.includes(t))).toEqual(["v_dashboard", "v_dashboard_groups", "v_settings"]);
    expect(t56.filter((t) => !t51.includes(t))).toEqual([
      "v_dashboard_widget_groups",
      "v_dashboard_widgets",
      "v_dashboards",
      "v_emergency_logs",
      "v_fifo",
      "v_fifo_members",
      "v_services",
      "v_xml_cdr_extensions",
      "v_xml_cdr_flow",
      "v_xml_cdr_json",
      "v_xml_cdr_logs",
      "v_xml_cdr_transcripts",
    ]);
  });

  test("flags are text on 5.1 and boolean on 5.6; domain_enabled is boolean on both", async () => {
    const typeOf = async (db: TestDatabase, table: string, column: string) =>
      (await tableShape(db.sql, table)).find((line) => line.startsWith(`${column} `))?.slice(column.length + 1);
    expect(await typeOf(v51, "v_extensions", "enabled")).toBe("text");
    expect(await typeOf(v56, "v_extensions", "enabled")).toBe("boolean");
    expect(await typeOf(v51, "v_ring_groups", "ring_group_enabled")).toBe("text");
    expect(await typeOf(v56, "v_ring_groups", "ring_group_enabled")).toBe("boolean");
    expect(await typeOf(v51, "v_domains", "domain_enabled")).toBe("boolean");
    expect(await typeOf(v56, "v_domains", "domain_enabled")).toBe("boolean");
    expect(await typeOf(v56, "v_xml_cdr", "leg")).toBe("character(1)");
  });

  test("columns keep a real install's physical order", async () => {
    const first = ["extension_uuid uuid", "domain_uuid uuid", "extension text", "number_alias text", "password text"];
    expect((await tableShape(v51.sql, "v_extensions")).slice(0, 5)).toEqual(first);
    expect((await tableShape(v56.sql, "v_extensions")).slice(0, 5)).toEqual(first);
    expect(await tableShape(v56.sql, "rest_api_keys")).toEqual([
      "key_uuid uuid",
      "name text",
      "key_secret text",
      "created timestamp with time zone",
      "last_used timestamp with time zone",
    ]);
  });

  test("every table but rest_api_keys has a <table>_pkey primary key; nothing else is constrained", async () => {
    for (const db of [v51, v56]) {
      expect(await primaryKeyOf(db.sql, "rest_api_keys")).toEqual([]);
      expect(await primaryKeyOf(db.sql, "v_extensions")).toEqual(["extension_uuid"]);
      const { constraints, tables } = await schemaSnapshot(db.sql);
      expect(constraints).toHaveLength(tables.length - 1);
      expect(constraints.every((c) => / (\w+)_pkey PRIMARY KEY \(\w+\)$/.test(c))).toBe(true);
      expect(constraints).toContain("v_extensions v_extensions_pkey PRIMARY KEY (extension_uuid)");
    }
  });

  test("5.6 indexes foreign-key columns under <table>_<column>_fkey, cut to 63 characters; 5.1 has none", async () => {
    const secondary = (indexes: string[]) => indexes.filter((i) => !i.includes("_pkey "));
    expect(secondary((await schemaSnapshot(v51.sql)).indexes)).toEqual([]);
    const indexes = secondary((await schemaSnapshot(v56.sql)).indexes);
    expect(indexes).toHaveLength(185);
    expect(indexes).toContain(
      "CREATE INDEX v_extensions_domain_uuid_fkey ON public.v_extensions USING btree (domain_uuid)",
    );
    expect(indexes).toContain(
      "CREATE INDEX v_device_vendor_function_groups_device_vendor_function_uuid_fke ON public.v_device_vendor_function_groups USING btree (device_vendor_function_uuid)",
    );
  });
});

test("renderTable quotes every identifier, so FusionPBX's reserved-word columns are created as named", () => {
  const sql = renderTable({ name: "v_things", primaryKey: "thing_uuid", indexed: ["domain_uuid"], columns: ["thing_uuid uuid", "domain_uuid uuid", "timestamp timestamp with time zone"] });
  expect(sql).toBe(
    [
      'CREATE TABLE "v_things" (',
      '  "thing_uuid" uuid,',
      '  "domain_uuid" uuid,',
      '  "timestamp" timestamp with time zone,',
      '  CONSTRAINT "v_things_pkey" PRIMARY KEY ("thing_uuid")',
      ");",
      'CREATE INDEX "v_things_domain_uuid_fkey" ON "v_things" ("domain_uuid");',
    ].join("\n"),
  );
  expect(Object.keys(FUSIONPBX_SCHEMAS)).toEqual(["fusionpbx-5.1.0", "fusionpbx-5.6-master"]);
});
