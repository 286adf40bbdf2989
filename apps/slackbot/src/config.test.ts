import { describe, expect, test } from "bun:test";
import { ConfigError, loadConfig } from "./config.ts";

const base = { SLACK_BOT_TOKEN: "xoxb-1", SLACK_SIGNING_SECRET: "secret" };

describe("loadConfig", () => {
  test("HTTP mode on port 3001 with read and calls for unknown users by default", () => {
    const config = loadConfig(base);
    expect(config.mode).toBe("http");
    expect(config.port).toBe(3001);
    expect(config.defaultScopes).toEqual(["read", "calls"]);
    expect(config.apiUrl).toBeNull();
    expect(config.fixedDomainName).toBeNull();
  });
  test("Socket Mode when an app token is set; the signing secret is then optional", () => {
    const config = loadConfig({ SLACK_BOT_TOKEN: "xoxb-1", SLACK_APP_TOKEN: "xapp-1-A" });
    expect(config.mode).toBe("socket");
    expect(config.appToken).toBe("xapp-1-A");
  });
  test("an empty SLACK_DEFAULT_SCOPES gives unknown users nothing", () => {
    expect(loadConfig({ ...base, SLACK_DEFAULT_SCOPES: "" }).defaultScopes).toEqual([]);
    expect(loadConfig({ ...base, SLACK_DEFAULT_SCOPES: " Read , write,read" }).defaultScopes).toEqual([
      "read",
      "write",
    ]);
  });
  test("admins, fixed domain, port and API URL are read", () => {
    const config = loadConfig({
      ...base,
      SLACK_ADMIN_USERS: "U01, W02 ,",
      SLACK_DOMAIN: "pbx.example.com",
      PORT: "4000",
      SLACK_API_URL: "http://127.0.0.1:9999/api",
    });
    expect([...config.adminUsers]).toEqual(["U01", "W02"]);
    expect(config.fixedDomainName).toBe("pbx.example.com");
    expect(config.port).toBe(4000);
    expect(config.apiUrl).toBe("http://127.0.0.1:9999/api/");
  });
  test("SLACK_TEAM_DOMAINS binds each listed workspace to its domain; a malformed entry is one clear error", () => {
    const config = loadConfig({ ...base, SLACK_TEAM_DOMAINS: " T1:A.example.com, E2 : b.example.com ," });
    expect([...config.teamDomains]).toEqual([
      ["T1", "a.example.com"],
      ["E2", "b.example.com"],
    ]);
    expect(loadConfig(base).teamDomains.size).toBe(0);
    expect(() => loadConfig({ ...base, SLACK_TEAM_DOMAINS: "T1" })).toThrow(
      /'T1', which is not <team id>:<domain name>/,
    );
    expect(() => loadConfig({ ...base, SLACK_TEAM_DOMAINS: "t1:a.example.com" })).toThrow(ConfigError);
    expect(() => loadConfig({ ...base, SLACK_TEAM_DOMAINS: "T1:a.example.com,T1:b.example.com" })).toThrow(
      /lists workspace T1 twice/,
    );
  });
  test("missing or malformed settings are clear errors", () => {
    expect(() => loadConfig({ SLACK_SIGNING_SECRET: "s" })).toThrow(/SLACK_BOT_TOKEN/);
    expect(() => loadConfig({ SLACK_BOT_TOKEN: "xoxb-1" })).toThrow(/SLACK_SIGNING_SECRET/);
    expect(() => loadConfig({ ...base, SLACK_APP_TOKEN: "xoxb-wrong" })).toThrow(/xapp/);
    expect(() => loadConfig({ ...base, PORT: "http" })).toThrow(ConfigError);
    expect(() => loadConfig({ ...base, SLACK_DEFAULT_SCOPES: "read,root" })).toThrow(/root/);
    expect(() => loadConfig({ ...base, SLACK_ADMIN_USERS: "bob" })).toThrow(/bob/);
    expect(() => loadConfig({ ...base, SLACK_API_URL: "ftp://x/" })).toThrow(/http/);
  });
});
