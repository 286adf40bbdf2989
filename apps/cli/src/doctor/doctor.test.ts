import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { MIGRATIONS, RECOMMENDED_INDEXES } from "@switchboard/db";
import { createTestDatabase, type TestDatabase } from "@switchboard/db/testing";
import { type FakeSwitch, startFakeSwitch } from "@switchboard/esl/testing";
import { diagnose, doctor } from "./doctor.ts";

// Real PostgreSQL and child processes on a shared machine: a loaded minute must not fail a test.
setDefaultTimeout(30_000);

const cdrIndex = RECOMMENDED_INDEXES[0]!;
const switchboardMigrations = MIGRATIONS.filter((m) => m.kind === "switchboard");

/** FusionPBX's config.conf as its installer writes it, naming the test database and switch. */
function configConf(db: TestDatabase, fake: FakeSwitch, password = fake.password): string {
  const url = new URL(db.url);
  return [
    "#database system settings",
    "database.0.type = pgsql",
    `database.0.host = ${url.hostname}`,
    `database.0.port = ${url.port || "5432"}`,
    "database.0.sslmode = prefer",
    `database.0.name = ${url.pathname.slice(1)}`,
    `database.0.username = ${decodeURIComponent(url.username)}`,
    "database.0.password = ",
    "",
    "#switch settings",
    `switch.event_socket.host = ${fake.host}`,
    `switch.event_socket.port = ${fake.port}`,
    `switch.event_socket.password = ${password}`,
    "",
  ].join("\n");
}

describe("switchboard doctor on a FusionPBX 5.6 database", () => {
  let db: TestDatabase;
  let fake: FakeSwitch;
  let dir: string;
  let configPath: string;
  beforeAll(async () => {
    db = await createTestDatabase({ prefix: "sb_doctor", migrate: true });
    fake = await startFakeSwitch({ password: "doctor-secret" });
    dir = mkdtempSync(join(tmpdir(), "switchboard-doctor-"));
    configPath = join(dir, "config.conf");
    writeFileSync(configPath, configConf(db, fake));
  }, 30_000);
  afterAll(async () => {
    await fake?.stop();
    await db?.drop();
    rmSync(dir, { recursive: true, force: true });
  }, 60_000);

  const env = () => ({ FUSIONPBX_CONFIG: configPath });

  test("reports each fact on its own line and the missing CDR index with the statement to run", async () => {
    const lines: string[] = [];
    const code = await doctor((l) => lines.push(l), { env: env() });
    expect(code).toBe(1);
    expect(lines[0]).toBe(`ok       config.conf: ${configPath} is readable`);
    expect(lines).toContainEqual(
      expect.stringMatching(/^ok {7}database: PostgreSQL \d+\.\d+.* \(config\.conf\) answered in \d+ ms$/),
    );
    expect(lines).toContain("ok       FusionPBX 5.6 schema (v_extensions.enabled is boolean, v_settings present)");
    expect(lines).toContain(`ok       Switchboard tables: all ${switchboardMigrations.length} migrations applied`);
    expect(lines).toContain(
      "ok       cache: file (FusionPBX setting cache.method); Switchboard clears entries through FreeSWITCH's clear_cache.lua",
    );
    expect(lines).toContainEqual(expect.stringMatching(/^ok {7}clock: within \d+ ms of the database$/));
    expect(lines).toContainEqual(
      expect.stringMatching(
        new RegExp(
          `^ok {7}switch ${fake.host}:${fake.port} \\(from config\\.conf\\): up, event-socket password accepted, answered in \\d+ ms$`,
        ),
      ),
    );
    expect(lines).toContain(
      "PROBLEM  index v_xml_cdr (domain_uuid, end_stamp): missing, so cdr-list reads a domain's newest call records and cursor pages by end_stamp slowly; run: CREATE INDEX CONCURRENTLY IF NOT EXISTS switchboard_xml_cdr_domain_end_stamp ON v_xml_cdr (domain_uuid, end_stamp DESC); (or: switchboard migrate --indexes)",
    );
    expect(lines.at(-1)).toBe("doctor: 1 problem");
  });

  test("with the index it finds no problem and exits 0", async () => {
    await db.sql.unsafe(cdrIndex.create);
    try {
      const lines: string[] = [];
      expect(await doctor((l) => lines.push(l), { env: env() })).toBe(0);
      expect(lines).toContain(`ok       index v_xml_cdr (domain_uuid, end_stamp): present as ${cdrIndex.name}`);
      expect(lines.at(-1)).toBe("doctor: no problem found");
      expect(lines.filter((l) => l.startsWith("PROBLEM"))).toEqual([]);
    } finally {
      await db.sql.unsafe(`DROP INDEX ${cdrIndex.name}`);
    }
  });

  test("memcache mode is read from FusionPBX's settings", async () => {
    await db.sql`insert into v_default_settings (default_setting_uuid, default_setting_category, default_setting_subcategory, default_setting_name, default_setting_value, default_setting_enabled)
      values (${crypto.randomUUID()}, 'cache', 'method', 'text', 'memcache', true)`;
    try {
      const findings = await diagnose({ env: env() });
      expect(findings.map((f) => f.text)).toContain(
        "cache: memcache (FusionPBX setting cache.method); Switchboard clears entries with FreeSWITCH's memcache delete",
      );
    } finally {
      await db.sql`delete from v_default_settings where default_setting_category = 'cache' and default_setting_subcategory = 'method'`;
    }
  });

  test("a wrong event-socket password is a problem", async () => {
    const wrong = join(dir, "wrong-password.conf");
    writeFileSync(wrong, configConf(db, fake, "not-the-password"));
    const findings = await diagnose({ env: { FUSIONPBX_CONFIG: wrong } });
    const line = findings.find((f) => f.text.startsWith(`switch ${fake.host}:${fake.port}`));
    expect(line?.ok).toBe(false);
    expect(line?.text).toContain("refused the event-socket password");
  });

  test("a clock more than 2 s off the database's is a problem", async () => {
    const findings = await diagnose({ env: env(), now: () => Date.now() + 5_000 });
    const line = findings.find((f) => f.text.startsWith("clock:"));
    expect(line?.ok).toBe(false);
    expect(line?.text).toMatch(/^clock: this machine is [45]\.\d s ahead of the database; /);
  });

  test("switchboard tables not migrated yet are a problem with the command to run", async () => {
    const bare = await createTestDatabase({ prefix: "sb_doctor_bare" });
    try {
      const findings = await diagnose({
        env: { DATABASE_URL: bare.url, ESL_HOST: fake.host, ESL_PORT: String(fake.port), ESL_PASSWORD: fake.password },
        configPaths: [join(dir, "absent.conf")],
      });
      expect(findings.map((f) => `${f.ok} ${f.text}`)).toEqual(
        expect.arrayContaining([
          `true config.conf: none at ${join(dir, "absent.conf")}; DATABASE_URL is used instead`,
          "false FusionPBX: this database has no FusionPBX tables (v_domains, v_extensions); is it FusionPBX's database?",
          `false Switchboard tables: ${switchboardMigrations.map((m) => m.id).join(", ")} not applied; run: switchboard migrate (the API also applies them at start)`,
        ]),
      );
    } finally {
      await bare.drop();
    }
  }, 30_000);
});

describe("switchboard doctor on a database FusionPBX created", () => {
  test("Switchboard's migrations are all it expects (FusionPBX's tables are FusionPBX's)", async () => {
    const db = await createTestDatabase({ prefix: "sb_doctor_real", dump: "fusionpbx-5.6-master", migrate: true });
    try {
      expect(db.migration?.skipped.map((s) => s.id)).toEqual(["0001-fusionpbx-tables"]);
      const findings = await diagnose({
        env: { DATABASE_URL: db.url, ESL_HOST: "127.0.0.1", ESL_PORT: "1" },
        configPaths: [],
      });
      expect(findings).toContainEqual({
        ok: true,
        text: `Switchboard tables: all ${switchboardMigrations.length} migrations applied`,
      });
    } finally {
      await db.drop();
    }
  }, 30_000);
});

describe("switchboard doctor without a usable database", () => {
  test("an unreachable database is one problem line and exit 1", async () => {
    const lines: string[] = [];
    const code = await doctor((l) => lines.push(l), {
      env: { DATABASE_URL: "postgres://fusionpbx@127.0.0.1:1/fusionpbx" },
      configPaths: ["/nonexistent/config.conf"],
    });
    expect(code).toBe(1);
    expect(lines).toEqual([
      "ok       config.conf: none at /nonexistent/config.conf; DATABASE_URL is used instead",
      "PROBLEM  database: cannot use PostgreSQL at 127.0.0.1:1 (DATABASE_URL): connection refused",
      "doctor: 1 problem",
    ]);
  });

  test("a config.conf that cannot be read, and no database at all, are problems", async () => {
    const dir = mkdtempSync(join(tmpdir(), "switchboard-doctor-"));
    try {
      // A directory where the file should be: unreadable even for root.
      const findings = await diagnose({ env: { FUSIONPBX_CONFIG: dir } });
      expect(findings[0]).toEqual({ ok: false, text: `config.conf: ${dir} is a directory` });
      const none = await diagnose({ env: {}, configPaths: [join(dir, "absent.conf")] });
      expect(none.map((f) => f.text)).toEqual([
        `config.conf: none at ${join(dir, "absent.conf")}, and DATABASE_URL is not set`,
        "database: none configured; set DATABASE_URL or run on the FusionPBX server (it reads /etc/fusionpbx/config.conf)",
      ]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("switchboard doctor on a FusionPBX 5.1 database", () => {
  test("tells 5.1 by its schema", async () => {
    const db = await createTestDatabase({ prefix: "sb_doctor51", dump: "fusionpbx-5.1.0" });
    try {
      const findings = await diagnose({
        env: { DATABASE_URL: db.url, ESL_HOST: "127.0.0.1", ESL_PORT: "1" },
        configPaths: [],
      });
      expect(findings.map((f) => f.text)).toContainEqual(
        expect.stringMatching(/^FusionPBX 5\.1 schema \(v_extensions\.enabled is text, v_settings present\)$/),
      );
    } finally {
      await db.drop();
    }
  }, 30_000);
});
