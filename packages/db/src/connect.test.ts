import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { connectDatabase } from "./connect.ts";
import { DatabaseConfigError, DatabaseConnectError } from "./errors.ts";
import { createTestDatabase, SWITCHBOARD_MIGRATION_IDS, type TestDatabase } from "./testing/index.ts";

/** A loopback port nothing listens on: bound by the OS, then released. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (!address || typeof address === "string") throw new Error("no port");
  return address.port;
}

async function connectError(options: Parameters<typeof connectDatabase>[0]): Promise<Error> {
  try {
    const db = await connectDatabase(options);
    await db.close();
  } catch (err) {
    return err as Error;
  }
  throw new Error("connectDatabase unexpectedly succeeded");
}

let db: TestDatabase;
let dir: string;
beforeAll(async () => {
  db = await createTestDatabase({ prefix: "sb_connect" });
  dir = mkdtempSync(join(tmpdir(), "sb-connect-"));
}, 30_000);
afterAll(async () => {
  await db?.drop();
  rmSync(dir, { recursive: true, force: true });
});

describe("failures are one line naming what was tried", () => {
  test("an unreachable port", async () => {
    const port = await closedPort();
    const err = await connectError({
      env: { DATABASE_URL: `postgres://postgres:hunter2@127.0.0.1:${port}/x` },
      configPaths: [],
    });
    expect(err).toBeInstanceOf(DatabaseConnectError);
    expect(err.message).toBe(`cannot reach PostgreSQL at 127.0.0.1:${port} (from DATABASE_URL): connection refused`);
  });

  test("an unreachable server named by config.conf says which file", async () => {
    const port = await closedPort();
    const conf = join(dir, "config.conf");
    writeFileSync(conf, `database.0.host = 127.0.0.1\ndatabase.0.port = ${port}\ndatabase.0.password = hunter2\n`);
    const err = await connectError({ env: { FUSIONPBX_CONFIG: conf } });
    expect(err.message).toBe(
      `cannot reach PostgreSQL at 127.0.0.1:${port} (from FusionPBX config ${conf}): connection refused`,
    );
    expect(err.message).not.toContain("hunter2");
  });

  test("a malformed DATABASE_URL", async () => {
    const err = await connectError({ env: { DATABASE_URL: "postgres//oops" }, configPaths: [] });
    expect(err).toBeInstanceOf(DatabaseConfigError);
    expect(err.message).toBe("DATABASE_URL is not a valid URL; expected postgres://user:password@host:port/database");
  });

  test("a database that does not exist: the server's own reason", async () => {
    const url = new URL(db.url);
    url.pathname = "/sb_no_such_database";
    const err = await connectError({ env: { DATABASE_URL: url.toString() }, configPaths: [] });
    expect(err).toBeInstanceOf(DatabaseConnectError);
    expect(err.message).toBe(
      `PostgreSQL at ${url.hostname}:${url.port} (from DATABASE_URL) refused the connection: database "sb_no_such_database" does not exist`,
    );
  });

  test("a server that accepts but never answers times out", async () => {
    const silent = createServer(() => {});
    await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
    const port = (silent.address() as { port: number }).port;
    try {
      const err = await connectError({
        env: { DATABASE_URL: `postgres://u@127.0.0.1:${port}/x` },
        configPaths: [],
        connectTimeoutSeconds: 1,
      });
      expect(err.message).toBe(
        `cannot reach PostgreSQL at 127.0.0.1:${port} (from DATABASE_URL): no answer within 1 s`,
      );
    } finally {
      silent.close();
    }
  }, 10_000);
});

describe("a configured database", () => {
  test("connects, adds only switchboard_ tables to an empty database, creates no demo data", async () => {
    const url = new URL(db.url);
    url.password = "not-shown";
    const conn = await connectDatabase({ env: { DATABASE_URL: url.toString() }, configPaths: [] });
    try {
      expect(conn.source).toBe("DATABASE_URL");
      expect(conn.embedded).toBe(false);
      expect(conn.created).toBe(false);
      expect(conn.description).not.toContain("not-shown");
      expect(conn.migration.applied).toEqual(SWITCHBOARD_MIGRATION_IDS);
      expect(conn.migration.skipped.map((s) => s.id)).toEqual(["0001-fusionpbx-tables"]);
      expect(conn.schema.hasTable("switchboard_audit")).toBe(true);
      expect(conn.schema.hasTable("v_domains")).toBe(false);
      const [row] = await conn.sql`select 41 + 1 as answer`;
      expect(row?.answer).toBe(42);
    } finally {
      await conn.close();
    }
  }, 30_000);

  test("fusionpbx: create-if-empty creates FusionPBX's tables but still no demo domain or key", async () => {
    const conn = await connectDatabase({
      env: { DATABASE_URL: db.url },
      configPaths: [],
      fusionpbx: "create-if-empty",
    });
    try {
      expect(conn.migration.applied).toEqual(["0001-fusionpbx-tables"]);
      expect(conn.schema.hasTable("v_domains")).toBe(true);
      expect(await conn.sql`select * from v_domains`).toHaveLength(0);
      expect(await conn.sql`select * from rest_api_keys`).toHaveLength(0);
    } finally {
      await conn.close();
    }
  }, 30_000);

  test("config.conf is used when DATABASE_URL is unset", async () => {
    const url = new URL(db.url);
    const conf = join(dir, "good.conf");
    writeFileSync(
      conf,
      `database.0.type = pgsql\ndatabase.0.host = ${url.hostname}\ndatabase.0.port = ${url.port || 5432}\ndatabase.0.name = ${db.name}\ndatabase.0.username = ${decodeURIComponent(url.username)}\ndatabase.0.password = whatever\ndatabase.0.sslmode = prefer\n`,
    );
    const conn = await connectDatabase({ env: { FUSIONPBX_CONFIG: conf } });
    try {
      expect(conn.source).toBe("config.conf");
      expect(conn.description).toContain(conf);
      expect(conn.description).not.toContain("whatever");
      const [row] = await conn.sql<{ db: string }[]>`select current_database() as db`;
      expect(row?.db).toBe(db.name);
    } finally {
      await conn.close();
    }
  }, 30_000);
});
