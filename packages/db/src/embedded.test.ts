import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Database, connectDatabase } from "./connect.ts";
import { DEMO_DOMAIN_UUID, DEMO_KEY_ID } from "./demo-seed.ts";
import { ALL_MIGRATION_IDS } from "./testing/index.ts";
import { runningPort, startEmbeddedDatabase, stopEmbeddedServer } from "./embedded.ts";
import { DatabaseConnectError } from "./errors.ts";
import { serverAccount } from "./server-account.ts";

let dir: string;
let dataDir: string;
let db: Database;

// No DATABASE_URL and no config file: the embedded default, in a scratch directory.
const embeddedOptions = () => ({ env: {}, configPaths: [] as string[], dataDir });

beforeAll(async () => {
  // mkdtemp makes it 0700: run as root, start-up lets the server's unprivileged account enter it.
  dir = mkdtempSync(join(tmpdir(), "sb-embedded-"));
  dataDir = join(dir, "postgres");
  db = await connectDatabase(embeddedOptions());
}, 120_000);
afterAll(async () => {
  await db?.close();
  await stopEmbeddedServer(dataDir).catch(() => {});
  rmSync(dir, { recursive: true, force: true });
}, 60_000);

describe("first start", () => {
  test("creates, migrates and seeds the embedded database, served on loopback at the recorded port", () => {
    expect(db.source).toBe("embedded");
    expect(db.embedded).toBe(true);
    expect(db.created).toBe(true);
    expect(db.description).toContain(dataDir);
    const url = new URL(db.url);
    expect(url.hostname).toBe("127.0.0.1");
    expect(db.migration.applied).toEqual(ALL_MIGRATION_IDS);
    expect(existsSync(join(dataDir, "PG_VERSION"))).toBe(true);
    const record = JSON.parse(readFileSync(`${dataDir}.json`, "utf8"));
    expect(record.port).toBe(Number(url.port));
    expect(decodeURIComponent(url.password)).toBe(record.password);
    expect(statSync(`${dataDir}.json`).mode & 0o777).toBe(0o600);
    expect(runningPort(dataDir)).toBe(record.port);
  });

  test("no lock file is left once started", () => {
    expect(existsSync(`${dataDir}.lock`)).toBe(false);
  });

  test("is a real PostgreSQL 15, run by an account that is not root", async () => {
    const [row] = await db.sql<{ version: string; listen: string; sockets: string }[]>`
      select version(), current_setting('listen_addresses') as listen, current_setting('unix_socket_directories') as sockets`;
    expect(row?.version).toStartWith("PostgreSQL 15.");
    expect(row?.listen).toBe("127.0.0.1");
    expect(row?.sockets).toBe("");
    const owner = statSync(join(dataDir, "PG_VERSION")).uid;
    if (process.getuid?.() === 0) {
      expect(owner).not.toBe(0);
      expect(owner).toBe(serverAccount().uid!);
    } else {
      expect(owner).toBe(process.getuid!());
    }
  });

  test("refuses a wrong password", async () => {
    const url = new URL(db.url);
    url.password = "wrong";
    const { default: postgres } = await import("postgres");
    const other = postgres(url.toString(), { max: 1, onnotice: () => {} });
    await expect(other`select 1`).rejects.toThrow(/password authentication failed/);
    await other.end({ timeout: 0 });
  });

  test("the demo domain comes back with PDO typing", async () => {
    const [row] = await db.sql`select * from v_domains where domain_uuid = ${DEMO_DOMAIN_UUID}`;
    expect(JSON.stringify(row)).toBe(
      '{"domain_uuid":"3a644e67-de8f-4798-b07e-6f22c33a656e","domain_parent_uuid":null,"domain_name":"fusionpbx.example.net","domain_enabled":true,"domain_description":"","insert_date":null,"insert_user":null,"update_date":null,"update_user":null}',
    );
  });
});

describe("several sessions at once", () => {
  test("50 concurrent transactions with prepared statements all commit", async () => {
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        db.sql.begin(async (tx) => {
          await tx`insert into switchboard_idempotency (scope, idem_key, result) values ('concurrent', ${`k${i}`}, ${`{"i":${i}}`})`;
          const [row] = await tx<
            { n: number }[]
          >`select count(*)::int as n from switchboard_idempotency where scope = 'concurrent' and idem_key = ${`k${i}`}`;
          return row?.n;
        }),
      ),
    );
    expect(results).toEqual(Array.from({ length: 50 }, () => 1));
    const [row] = await db.sql<
      { n: number }[]
    >`select count(*)::int as n from switchboard_idempotency where scope = 'concurrent'`;
    expect(row?.n).toBe(50);
  }, 30_000);

  test("a rolled back transaction leaves nothing", async () => {
    await expect(
      db.sql.begin(async (tx) => {
        await tx`insert into switchboard_idempotency (scope, idem_key) values ('test', 'rolled-back')`;
        throw new Error("abort");
      }),
    ).rejects.toThrow("abort");
    const rolled = await db.sql`select 1 from switchboard_idempotency where idem_key = 'rolled-back'`;
    expect(rolled).toHaveLength(0);
  });
});

describe("several users of one server", () => {
  test("a second start joins the running server; the first leaving does not stop it; the last one stops it", async () => {
    const second = await connectDatabase(embeddedOptions());
    expect(second.created).toBe(false);
    expect(second.url).toBe(db.url);
    expect(second.migration.applied).toEqual([]);

    // The first user leaves: the server stays for the second.
    await db.close();
    expect(runningPort(dataDir)).not.toBeNull();
    const [row] = await second.sql<{ n: number }[]>`select count(*)::int as n from v_extensions`;
    expect(row?.n).toBe(4);

    // The last user leaves: the server stops.
    await second.close();
    expect(runningPort(dataDir)).toBeNull();
    expect(existsSync(`${dataDir}.lock`)).toBe(false);

    db = await connectDatabase(embeddedOptions());
  }, 60_000);

  test("a start while another process holds the lock waits for it and says who holds it", async () => {
    const other = join(dir, "held");
    writeFileSync(`${other}.lock`, String(process.pid));
    let error: unknown;
    try {
      await startEmbeddedDatabase({ dataDir: other, timeoutMs: 300 });
    } catch (err) {
      error = err;
    }
    rmSync(`${other}.lock`);
    expect(error).toBeInstanceOf(DatabaseConnectError);
    expect((error as Error).message).toBe(
      `the embedded PostgreSQL in ${other} is busy: timed out waiting for lock ${other}.lock (held by process ${process.pid})`,
    );
  });

  test("a directory that is not a PostgreSQL data directory is refused", async () => {
    const other = join(dir, "foreign");
    mkdirSync(other);
    writeFileSync(join(other, "notes.txt"), "mine");
    await expect(startEmbeddedDatabase({ dataDir: other })).rejects.toThrow(
      `${other} exists but holds no PostgreSQL data directory; remove it or set SWITCHBOARD_DATA_DIR`,
    );
    expect(readFileSync(join(other, "notes.txt"), "utf8")).toBe("mine");
  });
});

describe("restart", () => {
  test("keeps the data, re-runs nothing, does not seed again, reuses the recorded port", async () => {
    const port = new URL(db.url).port;
    await db.sql`insert into switchboard_idempotency (scope, idem_key) values ('test', 'kept')`;
    await db.close();
    expect(runningPort(dataDir)).toBeNull();
    db = await connectDatabase(embeddedOptions());
    expect(db.created).toBe(false);
    expect(new URL(db.url).port).toBe(port);
    expect(db.migration.applied).toEqual([]);
    expect(db.migration.alreadyApplied).toEqual(ALL_MIGRATION_IDS);
    const kept = await db.sql`select 1 from switchboard_idempotency where idem_key = 'kept'`;
    expect(kept).toHaveLength(1);
    const keys = await db.sql`select key_uuid from rest_api_keys`;
    expect(keys.map((k) => k.key_uuid)).toEqual([DEMO_KEY_ID]);
  }, 60_000);

  test("a server killed without shutting down is started again on the same data", async () => {
    const pid = Number(readFileSync(join(dataDir, "postmaster.pid"), "utf8").split("\n")[0]);
    await db.close().catch(() => {});
    // The close above stopped it (no other user); start it, then kill it the hard way.
    db = await connectDatabase(embeddedOptions());
    const killed = Number(readFileSync(join(dataDir, "postmaster.pid"), "utf8").split("\n")[0]);
    expect(killed).not.toBe(pid);
    await db.sql.end({ timeout: 0 });
    process.kill(killed, "SIGKILL");
    while (runningPort(dataDir) !== null) await Bun.sleep(20);
    db = await connectDatabase(embeddedOptions());
    const [row] = await db.sql<{ n: number }[]>`select count(*)::int as n from rest_api_keys`;
    expect(row?.n).toBe(1);
  }, 60_000);
});
