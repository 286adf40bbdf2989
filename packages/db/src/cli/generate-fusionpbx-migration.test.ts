import { expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { sharedDir } from "../testing/index.ts";
import { buildTableDefs, parseDumpTables, renderMigrationModule } from "./generate-fusionpbx-migration.ts";

if (!sharedDir) console.log("generate-fusionpbx-migration.test: skipping, ../shared (reference tables and dumps) is absent");

test.skipIf(!sharedDir)("the committed FusionPBX migration is exactly what the generator produces from the reference", () => {
  const committed = readFileSync(join(import.meta.dir, "..", "migrations", "0001-fusionpbx-tables.ts"), "utf8");
  expect(renderMigrationModule(buildTableDefs(sharedDir!))).toBe(committed);
});

test("parseDumpTables reads pg_dump's CREATE TABLE and primary keys", () => {
  const tables = parseDumpTables(
    [
      "CREATE TABLE public.v_things (",
      "    thing_uuid uuid NOT NULL,",
      '    "order" numeric,',
      "    leg character(1)",
      ");",
      "",
      "ALTER TABLE ONLY public.v_things",
      "    ADD CONSTRAINT v_things_pkey PRIMARY KEY (thing_uuid);",
    ].join("\n"),
  );
  expect(tables.get("v_things")).toEqual({
    name: "v_things",
    columns: [
      { name: "thing_uuid", type: "uuid" },
      { name: "order", type: "numeric" },
      { name: "leg", type: "character(1)" },
    ],
    primaryKey: "thing_uuid",
    source: "dump",
  });
});
