import { afterAll, beforeAll, expect, test } from "bun:test";
import { createTestDatabase, type TestDatabase } from "./testing/index.ts";

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase({ dump: "fusionpbx-5.1.0" });
}, 60_000);
afterAll(async () => {
  await db?.drop();
});

test("values come back typed as PHP's PDO gives them", async () => {
  const [row] = await db.sql`select 100::numeric as n, '2023-05-01 20:52:04.12+00'::timestamptz as t,
    '[{"a":"b/c"}]'::json as j, 5::int8 as big, true as b, 7::int4 as i`;
  expect(row).toEqual({
    n: "100",
    t: expect.stringMatching(/^2023-05-01 \d\d:52:04\.12[+-]\d\d/),
    j: '[{"a":"b/c"}]',
    big: 5,
    b: true,
    i: 7,
  });
});

test("a 5.1 schema keeps its physical column order, which SELECT * returns", async () => {
  const [row] =
    await db.sql`insert into v_domains (domain_uuid, domain_name) values (${crypto.randomUUID()}, 'a.example') returning *`;
  expect(Object.keys(row ?? {})).toEqual([
    "domain_uuid",
    "domain_parent_uuid",
    "domain_name",
    "domain_enabled",
    "domain_description",
    "insert_date",
    "insert_user",
    "update_date",
    "update_user",
  ]);
});

test("text bound to a boolean column is parsed by PostgreSQL, as PDO binds it", async () => {
  const [row] =
    await db.sql`select ${"true"}::boolean as a, ${"false"}::boolean as b, ${true}::boolean as c, ${false}::boolean as d, ${"t"}::boolean as e`;
  expect(row).toEqual({ a: true, b: false, c: true, d: false, e: true });
  await expect(db.sql`select ${"maybe"}::boolean as x`).rejects.toThrow(/invalid input syntax for type boolean/);
});

test("text[] round-trips as a string array, with quotes, backslashes, commas and NULL", async () => {
  const values = ["read", 'say "hi"', "back\\slash", "a,b", "NULL", "", null, "{braces}"];
  const [row] =
    await db.sql`select ${values}::text[] as plain, ${db.sql.array(["x", "y"])} as typed, '{}'::text[] as empty`;
  expect(row).toEqual({ plain: values, typed: ["x", "y"], empty: [] });
});
