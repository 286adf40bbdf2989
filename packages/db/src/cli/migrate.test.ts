import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { join } from "node:path";
import { MIGRATIONS } from "../migrations/index.ts";
import { createTestDatabase, type TestDatabase } from "../testing/index.ts";

const script = join(import.meta.dir, "migrate.ts");

async function runMigrate(
  env: Record<string, string>,
  args: string[] = [],
): Promise<{ code: number; stdout: string; stderr: string }> {
  const clean = Object.fromEntries(
    Object.entries(process.env).filter(([k]) => !["DATABASE_URL", "FUSIONPBX_CONFIG"].includes(k)),
  ) as Record<string, string>;
  const proc = Bun.spawn(["bun", script, ...args], { env: { ...clean, ...env }, stdout: "pipe", stderr: "pipe" });
  const [stdout, stderr, code] = await Promise.all([
    new Response(proc.stdout).text(),
    new Response(proc.stderr).text(),
    proc.exited,
  ]);
  return { code, stdout, stderr };
}

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase({ prefix: "sb_cli" });
}, 30_000);
afterAll(async () => {
  await db?.drop();
}, 30_000);

describe("the migrate command", () => {
  test("creates FusionPBX's schema on an empty database, then is a no-op", async () => {
    const first = await runMigrate({ DATABASE_URL: db.url });
    expect(first.stderr).toBe("");
    expect(first.code).toBe(0);
    expect(first.stdout).toContain("applied 0001-fusionpbx-tables");
    expect(first.stdout).toContain("applied 0002-switchboard-tables");
    expect(first.stdout).toContain("applied 0003-call-policy");
    expect(first.stdout).toContain("applied 0004-auth-failures");
    expect(first.stdout).toContain("applied 0005-call-outcomes");
    expect(first.stdout).toContain("applied 0006-refusals");
    expect(first.stdout).toContain("applied 0009-events");
    expect(first.stdout).toContain("applied 0010-webhooks");
    expect(first.stdout).toContain("applied 0011-slack-notifications");
    expect(first.stdout).toContain("created FusionPBX's tables (the database had none)");
    const [row] = await db.sql`select count(*)::int as n from information_schema.tables where table_name = 'v_domains'`;
    expect(row?.n).toBe(1);

    const second = await runMigrate({ DATABASE_URL: db.url });
    expect(second.code).toBe(0);
    expect(second.stdout).toContain(`nothing to do (${MIGRATIONS.length} migrations already applied)`);
  }, 30_000);

  test("--indexes creates the recommended indexes concurrently, only when asked", async () => {
    const plain = await runMigrate({ DATABASE_URL: db.url });
    expect(plain.code).toBe(0);
    expect(plain.stdout).not.toContain("CREATE INDEX");
    const before = await db.sql`select 1 from pg_indexes where indexname = 'switchboard_xml_cdr_domain_end_stamp'`;
    expect(before.length).toBe(0);

    const withIndexes = await runMigrate({ DATABASE_URL: db.url }, ["--indexes"]);
    expect(withIndexes.stderr).toBe("");
    expect(withIndexes.code).toBe(0);
    expect(withIndexes.stdout).toContain(
      "index switchboard_xml_cdr_domain_end_stamp: CREATE INDEX CONCURRENTLY IF NOT EXISTS switchboard_xml_cdr_domain_end_stamp ON v_xml_cdr (domain_uuid, end_stamp DESC)",
    );
    const after = await db.sql`select 1 from pg_indexes where indexname = 'switchboard_xml_cdr_domain_end_stamp'`;
    expect(after.length).toBe(1);

    const again = await runMigrate({ DATABASE_URL: db.url }, ["--indexes"]);
    expect(again.stdout).toContain("index switchboard_xml_cdr_domain_end_stamp: present");
  }, 30_000);

  test("an unknown argument is refused with the usage", async () => {
    const r = await runMigrate({ DATABASE_URL: db.url }, ["--index"]);
    expect(r.code).toBe(1);
    expect(r.stderr.trim()).toBe(
      "migrate: unknown argument '--index'; usage: migrate [--indexes]   (--indexes: also create the recommended indexes, CONCURRENTLY)",
    );
  });

  test("a bad DATABASE_URL is one line on stderr and exit code 1", async () => {
    const result = await runMigrate({ DATABASE_URL: "postgres://postgres@127.0.0.1:1/x" });
    expect(result.code).toBe(1);
    expect(result.stdout).toBe("");
    expect(result.stderr).toBe(
      "migrate: cannot reach PostgreSQL at 127.0.0.1:1 (from DATABASE_URL): connection refused\n",
    );
    const malformed = await runMigrate({ DATABASE_URL: "://nope" });
    expect(malformed.stderr).toBe(
      "migrate: DATABASE_URL is not a valid URL; expected postgres://user:password@host:port/database\n",
    );
  }, 30_000);
});
