import { expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { migrationTables, renderMigrationModule } from "./generate-fusionpbx-migration.ts";

test("the committed FusionPBX migration is exactly what the generator produces from the carried schemas", () => {
  const committed = readFileSync(join(import.meta.dir, "..", "migrations", "0001-fusionpbx-tables.ts"), "utf8");
  expect(renderMigrationModule(migrationTables())).toBe(committed);
});

test("the migration takes v_settings from 5.1 and every other table from 5.6", () => {
  const sources = Object.fromEntries(migrationTables().map((t) => [t.table.name, t.source]));
  expect(sources["v_settings"]).toBe("fusionpbx-5.1.0");
  expect(sources["v_extensions"]).toBe("fusionpbx-5.6-master");
  expect(Object.keys(sources)).toHaveLength(26);
});
