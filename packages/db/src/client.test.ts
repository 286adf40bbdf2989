import { afterAll, beforeAll, expect, test } from "bun:test";
import { createTestDatabase, sharedDir, type TestDatabase } from "./testing/index.ts";

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase(sharedDir ? { dump: "fusionpbx-5.1.0" } : {});
}, 60_000);
afterAll(async () => {
  await db?.drop();
});

test("values come back typed as PHP's PDO gives them", async () => {
  const [row] = await db.sql`select 100::numeric as n, '2023-05-01 20:52:04.12+00'::timestamptz as t,
    '[{"a":"b/c"}]'::json as j, 5::int8 as big, true as b, 7::int4 as i`;
  expect(row).toEqual({ n: "100", t: expect.stringMatching(/^2023-05-01 \d\d:52:04\.12[+-]\d\d/), j: '[{"a":"b/c"}]', big: 5, b: true, i: 7 });
});

if (!sharedDir) console.log("skipping the real-schema test: ../shared/reference/schemas is not here");
test.skipIf(!sharedDir)("a real 5.1 schema loads and keeps its physical column order", async () => {
  const cols = await db.sql`select column_name from information_schema.columns
    where table_name = 'v_domains' order by ordinal_position`;
  expect(cols.map((c) => c.column_name)).toContain("domain_name");
});

test("text bound to a boolean column is parsed by PostgreSQL, as PDO binds it", async () => {
  const [row] = await db.sql`select ${"true"}::boolean as a, ${"false"}::boolean as b, ${true}::boolean as c, ${false}::boolean as d, ${"t"}::boolean as e`;
  expect(row).toEqual({ a: true, b: false, c: true, d: false, e: true });
  await expect(db.sql`select ${"maybe"}::boolean as x`).rejects.toThrow(/invalid input syntax for type boolean/);
});

test("text[] round-trips as a string array, with quotes, backslashes, commas and NULL", async () => {
  const values = ["read", 'say "hi"', "back\\slash", "a,b", "NULL", "", null, "{braces}"];
  const [row] = await db.sql`select ${values}::text[] as plain, ${db.sql.array(["x", "y"])} as typed, '{}'::text[] as empty`;
  expect(row).toEqual({ plain: values, typed: ["x", "y"], empty: [] });
});
