import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createTestDatabase, type TestDatabase } from "@switchboard/db/testing";
import { parseHostList, resolveSwitchConfig, SwitchConfigError } from "./config.ts";

let dir: string;
const none = () => join(dir, "missing.conf");

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "esl-config-"));
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

function conf(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

describe("resolveSwitchConfig", () => {
  test("defaults: 127.0.0.1:8021 / ClueCon", async () => {
    const config = await resolveSwitchConfig({ env: {}, configFiles: [none()] });
    expect(config.switches).toEqual([{ host: "127.0.0.1", port: 8021, password: "ClueCon", name: "127.0.0.1:8021" }]);
    expect(config.source).toBe("default");
  });

  test("ESL_HOST / ESL_PORT / ESL_PASSWORD win over the config file", async () => {
    const file = conf(
      "a.conf",
      "switch.event_socket.host = 10.0.0.9\nswitch.event_socket.port = 8022\nswitch.event_socket.password = fromfile\n",
    );
    const config = await resolveSwitchConfig({
      env: { ESL_HOST: "10.0.0.5", ESL_PASSWORD: "secret" },
      configFiles: [file],
    });
    expect(config.switches).toEqual([{ host: "10.0.0.5", port: 8022, password: "secret", name: "10.0.0.5:8022" }]);
    expect(config.sources).toEqual({ host: "env", port: "config.conf", password: "env" });
  });

  test("ESL_HOSTS wins over ESL_HOST and lists several switches", async () => {
    const config = await resolveSwitchConfig({
      env: {
        ESL_HOSTS: "10.0.0.1:8021, 10.0.0.2:9021,[::1]:8021,fs3.example.com",
        ESL_HOST: "10.9.9.9",
        ESL_PASSWORD: "pw",
      },
      configFiles: [none()],
    });
    expect(config.source).toBe("ESL_HOSTS");
    expect(config.switches.map((s) => [s.host, s.port, s.password, s.name])).toEqual([
      ["10.0.0.1", 8021, "pw", "10.0.0.1:8021"],
      ["10.0.0.2", 9021, "pw", "10.0.0.2:9021"],
      ["::1", 8021, "pw", "[::1]:8021"],
      ["fs3.example.com", 8021, "pw", "fs3.example.com:8021"],
    ]);
  });

  test("FusionPBX config.conf: new keys, then the old event_socket.* keys; FUSIONPBX_CONFIG selects the file", async () => {
    const old = conf(
      "old.conf",
      "# comment\nevent_socket.ip_address = 192.0.2.7\nevent_socket.port = 8025\nevent_socket.password = oldpw\n",
    );
    const config = await resolveSwitchConfig({ env: { FUSIONPBX_CONFIG: old } });
    expect(config.switches[0]).toMatchObject({ host: "192.0.2.7", port: 8025, password: "oldpw" });
    expect(config.configFile).toBe(old);
    const both = conf("both.conf", "event_socket.ip_address = 192.0.2.7\nswitch.event_socket.host = 192.0.2.8\n");
    expect((await resolveSwitchConfig({ env: {}, configFiles: [both] })).switches[0]!.host).toBe("192.0.2.8");
  });

  test("invalid values are a clear SwitchConfigError", async () => {
    await expect(resolveSwitchConfig({ env: { ESL_PORT: "80x" }, configFiles: [none()] })).rejects.toBeInstanceOf(
      SwitchConfigError,
    );
    await expect(resolveSwitchConfig({ env: { ESL_HOST: "a b" }, configFiles: [none()] })).rejects.toBeInstanceOf(
      SwitchConfigError,
    );
    await expect(resolveSwitchConfig({ env: { ESL_PASSWORD: "a\nb" }, configFiles: [none()] })).rejects.toBeInstanceOf(
      SwitchConfigError,
    );
    expect(() => parseHostList("10.0.0.1:0")).toThrow(SwitchConfigError);
    expect(() => parseHostList(" , ")).toThrow(SwitchConfigError);
  });
});

describe("v_settings (FusionPBX 5.1)", () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase({ dump: "fusionpbx-5.1.0" });
  }, 120_000);
  afterAll(async () => {
    await db?.drop();
  }, 30_000);

  test("the v_settings row is used when env and config.conf say nothing", async () => {
    await db.sql`insert into v_settings (setting_uuid, event_socket_ip_address, event_socket_port, event_socket_password)
      values (gen_random_uuid(), '198.51.100.4', '8030', 'dbpw')`;
    const config = await resolveSwitchConfig({ env: {}, configFiles: [none()], sql: db.sql });
    expect(config.switches[0]).toMatchObject({ host: "198.51.100.4", port: 8030, password: "dbpw" });
    expect(config.source).toBe("v_settings");
    const overridden = await resolveSwitchConfig({
      env: { ESL_PASSWORD: "envpw" },
      configFiles: [none()],
      sql: db.sql,
    });
    expect(overridden.sources).toEqual({ host: "v_settings", port: "v_settings", password: "env" });
  });

  test("a database without v_settings (5.2+) falls through to the defaults", async () => {
    await db.sql`drop table v_settings`;
    const config = await resolveSwitchConfig({ env: {}, configFiles: [none()], sql: db.sql });
    expect(config.source).toBe("default");
    expect(config.warnings).toEqual([]);
  });
});
