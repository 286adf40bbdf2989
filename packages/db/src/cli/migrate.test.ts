import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { join } from "node:path";
import { createTestDatabase, type TestDatabase } from "../testing/index.ts";

const script = join(import.meta.dir, "migrate.ts");

async function runMigrate(env: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string }> {
  const clean = Object.fromEntries(
    Object.entries(process.env).filter(([k]) => !["DATABASE_URL", "FUSIONPBX_CONFIG"].includes(k)),
  ) as Record<string, string>;
  const proc = Bun.spawn(["bun", script], { env: { ...clean, ...env }, stdout: "pipe", stderr: "pipe" });
  const [stdout, stderr, code] = await Promise.all([new Response(proc.stdout).text(), new Response(proc.stderr).text(), proc.exited]);
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
    expect(first.stdout).toContain("created FusionPBX's tables (the database had none)");
    const [row] = await db.sql`select count(*)::int as n from information_schema.tables where table_name = 'v_domains'`;
    expect(row?.n).toBe(1);

    const second = await runMigrate({ DATABASE_URL: db.url });
    expect(second.code).toBe(0);
    expect(second.stdout).toContain("nothing to do (2 migrations already applied)");
  }, 30_000);

  test("a bad DATABASE_URL is one line on stderr and exit code 1", async () => {
    const result = await runMigrate({ DATABASE_URL: "postgres://postgres@127.0.0.1:1/x" });
    expect(result.code).toBe(1);
    expect(result.stdout).toBe("");
    expect(result.stderr).toBe("migrate: cannot reach PostgreSQL at 127.0.0.1:1 (from DATABASE_URL): connection refused\n");
    const malformed = await runMigrate({ DATABASE_URL: "://nope" });
    expect(malformed.stderr).toBe("migrate: DATABASE_URL is not a valid URL; expected postgres://user:password@host:port/database\n");
  }, 30_000);
});
