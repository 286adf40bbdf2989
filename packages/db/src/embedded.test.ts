import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Database, connectDatabase } from "./connect.ts";
import { DEMO_DOMAIN_UUID, DEMO_KEY_ID } from "./demo-seed.ts";
import { defaultSnapshotCacheDir, PGLITE_VERSION } from "./embedded.ts";
import { DatabaseConnectError } from "./errors.ts";

let dir: string;
let dataDir: string;
let db: Database;

// No DATABASE_URL and no config file: the embedded default, in a scratch directory.
const embeddedOptions = () => ({ env: {}, configPaths: [] as string[], dataDir });

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "sb-embedded-"));
  dataDir = join(dir, "pglite");
  db = await connectDatabase(embeddedOptions());
}, 60_000);
afterAll(async () => {
  await db?.close();
  rmSync(dir, { recursive: true, force: true });
}, 60_000);

describe("first start", () => {
  test("creates, migrates and seeds the embedded database, served on loopback", () => {
    expect(db.source).toBe("embedded");
    expect(db.embedded).toBe(true);
    expect(db.created).toBe(true);
    expect(db.description).toContain(dataDir);
    expect(new URL(db.url).hostname).toBe("127.0.0.1");
    expect(db.migration.applied).toEqual(["0001-fusionpbx-tables", "0002-switchboard-tables"]);
    expect(existsSync(join(dataDir, "PG_VERSION"))).toBe(true);
    expect(existsSync(join(defaultSnapshotCacheDir, `pglite-${PGLITE_VERSION}-initdb.tar.gz`))).toBe(true);
  });

  test("the live schema has FusionPBX's and Switchboard's tables in physical order", () => {
    expect(db.schema.columns("v_domains").map((c) => c.name)).toEqual([
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
    expect(db.schema.typeOf("v_extensions", "enabled")).toBe("boolean");
    expect(db.schema.hasTable("switchboard_key_policies")).toBe(true);
  });

  test("the demo domain comes back through the socket with PDO typing", async () => {
    const [row] = await db.sql`select * from v_domains where domain_uuid = ${DEMO_DOMAIN_UUID}`;
    expect(JSON.stringify(row)).toBe(
      '{"domain_uuid":"3a644e67-de8f-4798-b07e-6f22c33a656e","domain_parent_uuid":null,"domain_name":"fusionpbx.example.net","domain_enabled":true,"domain_description":"","insert_date":null,"insert_user":null,"update_date":null,"update_user":null}',
    );
    const [cdr] = await db.sql`select duration, start_stamp from v_xml_cdr order by start_stamp limit 1`;
    expect(cdr?.duration).toMatch(/^\d+$/);
    expect(cdr?.start_stamp).toBeString();
  });
});

describe("a round trip through pglite-socket", () => {
  test("writes, transactions and concurrent queries", async () => {
    await db.sql`insert into switchboard_idempotency (scope, idem_key, result) values ('test', 'k1', ${'{"ok":true}'})`;
    const [stored] = await db.sql`select result from switchboard_idempotency where scope = 'test' and idem_key = 'k1'`;
    expect(stored?.result).toBe('{"ok": true}');

    await expect(
      db.sql.begin(async (tx) => {
        await tx`insert into switchboard_idempotency (scope, idem_key) values ('test', 'rolled-back')`;
        throw new Error("abort");
      }),
    ).rejects.toThrow("abort");
    const rolled = await db.sql`select 1 from switchboard_idempotency where idem_key = 'rolled-back'`;
    expect(rolled).toHaveLength(0);

    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => db.sql`select ${i}::int as i`));
    expect(results.map((r) => r[0]?.i)).toEqual(Array.from({ length: 20 }, (_, i) => i));
  }, 30_000);

  test("a second start attaches to the running server instead of opening the files again", async () => {
    const second = await connectDatabase(embeddedOptions());
    try {
      expect(second.embedded).toBe(true);
      expect(second.created).toBe(false);
      expect(second.url).toBe(db.url);
      expect(second.migration.applied).toEqual([]);
      await second.sql`insert into switchboard_idempotency (scope, idem_key) values ('test', 'from-second')`;
      const seen = await db.sql`select 1 from switchboard_idempotency where idem_key = 'from-second'`;
      expect(seen).toHaveLength(1);
    } finally {
      await second.close();
    }
    // Closing the attached client leaves the owner's server running.
    const [row] = await db.sql`select count(*)::int as n from v_extensions`;
    expect(row?.n).toBe(4);
  }, 30_000);

  test("a holder that never serves gives a clear error", async () => {
    const { startEmbeddedDatabase } = await import("./embedded.ts");
    const other = join(dir, "held");
    writeFileSync(`${other}.lock`, String(process.pid));
    let error: unknown;
    try {
      await startEmbeddedDatabase({ dataDir: other, attachTimeoutMs: 300 });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(DatabaseConnectError);
    expect((error as Error).message).toBe(
      `the embedded database at ${other} is held by process ${process.pid}, which is not serving it; stop that process or set SWITCHBOARD_DATA_DIR to another directory`,
    );
  });
});

describe("restart", () => {
  test("keeps the data, re-runs nothing and does not seed again", async () => {
    await db.close();
    db = await connectDatabase(embeddedOptions());
    expect(db.created).toBe(false);
    expect(db.migration.applied).toEqual([]);
    expect(db.migration.alreadyApplied).toEqual(["0001-fusionpbx-tables", "0002-switchboard-tables"]);
    const kept = await db.sql`select 1 from switchboard_idempotency where idem_key = 'k1'`;
    expect(kept).toHaveLength(1);
    const keys = await db.sql`select key_uuid from rest_api_keys`;
    expect(keys.map((k) => k.key_uuid)).toEqual([DEMO_KEY_ID]);
  }, 60_000);
});
