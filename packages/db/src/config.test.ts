import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseFusionpbxConfig, redactUrl, resolveDatabaseConfig } from "./config.ts";
import { DatabaseConfigError } from "./errors.ts";

let dir: string;
const stockConfig = `
#database system settings
database.0.type = pgsql
database.0.host = 10.0.0.5
database.0.port = 5433
database.0.sslmode = prefer
database.0.name = fusionpbx
database.0.username = fusionpbx
database.0.password = s3cr3t/p@ss

#switch settings
switch.event_socket.password = ClueCon
`;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "sb-config-"));
  writeFileSync(join(dir, "config.conf"), stockConfig);
  writeFileSync(join(dir, "other.conf"), "database.0.host = 127.0.0.9\ndatabase.0.name = other\n");
  writeFileSync(join(dir, "sqlite.conf"), "database.0.type = sqlite\n");
  mkdirSync(join(dir, "a-directory.conf"));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("resolveDatabaseConfig, first match wins", () => {
  test("DATABASE_URL wins over FUSIONPBX_CONFIG and config files", () => {
    const c = resolveDatabaseConfig(
      { DATABASE_URL: "postgres://sb:pw@db.local:6543/sb", FUSIONPBX_CONFIG: join(dir, "config.conf") },
      { configPaths: [join(dir, "other.conf")] },
    );
    expect(c.source).toBe("DATABASE_URL");
    expect(c.url).toBe("postgres://sb:pw@db.local:6543/sb");
    expect(c.description).toBe("DATABASE_URL postgres://sb:***@db.local:6543/sb");
  });

  test("FUSIONPBX_CONFIG is read when DATABASE_URL is unset, password hidden in the description", () => {
    const c = resolveDatabaseConfig(
      { FUSIONPBX_CONFIG: join(dir, "config.conf") },
      { configPaths: [join(dir, "other.conf")] },
    );
    expect(c.source).toBe("config.conf");
    expect(c.configPath).toBe(join(dir, "config.conf"));
    const url = new URL(c.url!);
    expect([
      url.hostname,
      url.port,
      url.pathname,
      decodeURIComponent(url.username),
      decodeURIComponent(url.password),
    ]).toEqual(["10.0.0.5", "5433", "/fusionpbx", "fusionpbx", "s3cr3t/p@ss"]);
    expect(url.searchParams.get("sslmode")).toBe("prefer");
    expect(c.description).toContain(join(dir, "config.conf"));
    expect(c.description).not.toContain("s3cr3t");
  });

  test("without FUSIONPBX_CONFIG the standard locations are tried in order", () => {
    const c = resolveDatabaseConfig(
      {},
      { configPaths: [join(dir, "missing.conf"), join(dir, "other.conf"), join(dir, "config.conf")] },
    );
    expect(c.source).toBe("config.conf");
    expect(c.configPath).toBe(join(dir, "other.conf"));
    expect(new URL(c.url!).hostname).toBe("127.0.0.9");
    expect(new URL(c.url!).pathname).toBe("/other");
  });

  test("nothing configured: the embedded default, naming what was tried", () => {
    const c = resolveDatabaseConfig({}, { configPaths: [join(dir, "missing.conf")] });
    expect(c.source).toBe("embedded");
    expect(c.url).toBeUndefined();
    expect(c.dataDir).toMatch(/\.data\/postgres$/);
    expect(c.description).toContain("DATABASE_URL unset");
    expect(c.description).toContain(join(dir, "missing.conf"));
  });

  test("SWITCHBOARD_DATA_DIR moves the embedded database", () => {
    const c = resolveDatabaseConfig({ SWITCHBOARD_DATA_DIR: join(dir, "data") }, { configPaths: [] });
    expect(c.dataDir).toBe(join(dir, "data", "postgres"));
  });

  test("a blank DATABASE_URL counts as unset", () => {
    expect(resolveDatabaseConfig({ DATABASE_URL: "  " }, { configPaths: [] }).source).toBe("embedded");
  });
});

describe("configuration errors are one clear line", () => {
  const cases: [string, Record<string, string>, RegExp][] = [
    [
      "not a URL",
      { DATABASE_URL: "not a url" },
      /^DATABASE_URL is not a valid URL; expected postgres:\/\/user:password@host:port\/database$/,
    ],
    [
      "wrong scheme",
      { DATABASE_URL: "mysql://u:p@h/db" },
      /^DATABASE_URL must start with postgres:\/\/ or postgresql:\/\/ \(got mysql:\/\/\)/,
    ],
    [
      "bad sslmode",
      { DATABASE_URL: "postgres://u@h/db?sslmode=sometimes" },
      /^DATABASE_URL has an unknown sslmode "sometimes"$/,
    ],
    [
      "FUSIONPBX_CONFIG missing",
      { FUSIONPBX_CONFIG: "/nonexistent/config.conf" },
      /^FUSIONPBX_CONFIG names \/nonexistent\/config.conf, which does not exist$/,
    ],
  ];
  for (const [name, env, pattern] of cases) {
    test(name, () => {
      let error: unknown;
      try {
        resolveDatabaseConfig(env, { configPaths: [] });
      } catch (err) {
        error = err;
      }
      expect(error).toBeInstanceOf(DatabaseConfigError);
      expect((error as Error).message).toMatch(pattern);
      expect((error as Error).message).not.toContain("\n");
    });
  }

  test("a config.conf for another database type", () => {
    expect(() => resolveDatabaseConfig({ FUSIONPBX_CONFIG: join(dir, "sqlite.conf") })).toThrow(
      /sqlite\.conf: database\.0\.type is "sqlite"; Switchboard needs PostgreSQL \(pgsql\)$/,
    );
  });

  test("an unreadable config path", () => {
    expect(() => resolveDatabaseConfig({ FUSIONPBX_CONFIG: join(dir, "a-directory.conf") })).toThrow(
      /^cannot read FusionPBX config .*a-directory\.conf: it is a directory/,
    );
  });
});

describe("parseFusionpbxConfig reads parse_ini_file's format", () => {
  test("comments, sections, quotes, inline comments and spacing", () => {
    const values = parseFusionpbxConfig(
      [
        "; a comment",
        "# another",
        "[database]",
        'database.0.password = "p;ss = word"',
        "database.0.username='fusion'",
        "database.0.host=127.0.0.1 ; the local server",
        "   database.0.port   =   5432   ",
        "not a setting",
      ].join("\r\n"),
    );
    expect(Object.fromEntries(values)).toEqual({
      "database.0.password": "p;ss = word",
      "database.0.username": "fusion",
      "database.0.host": "127.0.0.1",
      "database.0.port": "5432",
    });
  });

  test("redactUrl hides only the password", () => {
    expect(redactUrl("postgres://a:b@h:1/d?sslmode=require")).toBe("postgres://a:***@h:1/d?sslmode=require");
    expect(redactUrl("postgres://a@h/d")).toBe("postgres://a@h/d");
  });
});
