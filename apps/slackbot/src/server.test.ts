import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createTestDatabase, type TestDatabase } from "@switchboard/db/testing";
import { type FakeSwitch, startFakeSwitch } from "@switchboard/esl/testing";
import { type CaptureServer, startCaptureServer } from "./testing/capture-server.ts";
import { signedHeaders } from "./testing/signing.ts";

const SECRET = "start-up-test-signing-secret";

/**
 * `bun run start` as a user runs it: a separate process configured only through the environment, against
 * a FusionPBX 5.6 database and a switch; the README's three "done when" commands go through it.
 */
describe("bun run start", () => {
  let db: TestDatabase;
  let fakeSwitch: FakeSwitch;
  let responses: CaptureServer;
  let webApi: CaptureServer;
  let child: ReturnType<typeof Bun.spawn> | null = null;
  let eventsUrl = "";
  const output: string[] = [];

  beforeAll(async () => {
    db = await createTestDatabase({ dump: "fusionpbx-5.6-master", prefix: "sb_slack_start" });
    const domainUuid = crypto.randomUUID();
    await db.sql`insert into v_domains (domain_uuid, domain_name, domain_enabled) values (${domainUuid}, 'pbx.example.com', true)`;
    // The call policy rings only extensions of the domain first.
    await db.sql`insert into v_extensions (extension_uuid, domain_uuid, extension, enabled) values (${crypto.randomUUID()}, ${domainUuid}, '100', true)`;
    fakeSwitch = await startFakeSwitch();
    fakeSwitch.setRegistrations([
      { reg_user: "105", realm: "pbx.example.com", network_ip: "192.0.2.5", network_port: "5060" },
    ]);
    responses = startCaptureServer();
    webApi = startCaptureServer((path) =>
      path === "/api/auth.test" ? { ok: true, team_id: "T0TEAM", user_id: "U0BOT", bot_id: "B0BOT" } : { ok: true },
    );
    child = Bun.spawn(["bun", "run", "start"], {
      cwd: join(import.meta.dir, ".."),
      env: {
        PATH: process.env.PATH ?? "",
        HOME: process.env.HOME ?? "",
        DATABASE_URL: db.url,
        FUSIONPBX_CONFIG: "/nonexistent/config.conf",
        ESL_HOST: fakeSwitch.host,
        ESL_PORT: String(fakeSwitch.port),
        ESL_PASSWORD: fakeSwitch.password,
        SLACK_SIGNING_SECRET: SECRET,
        SLACK_BOT_TOKEN: "xoxb-start-up",
        SLACK_API_URL: `${webApi.url}/api/`,
        SLACK_DOMAIN: "pbx.example.com",
        SLACK_DEFAULT_SCOPES: "read,write,calls,calls-any",
        PORT: "0",
        HOST: "127.0.0.1",
      },
      stdout: "pipe",
      stderr: "pipe",
    });
    eventsUrl = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`the bot did not start:\n${output.join("")}`)), 45_000);
      const read = async (stream: ReadableStream<Uint8Array>) => {
        const decoder = new TextDecoder();
        for await (const chunk of stream) {
          output.push(decoder.decode(chunk));
          const match = /listening at (http:\/\/[^"\s]+)/.exec(output.join(""));
          if (match) {
            clearTimeout(timer);
            resolve(match[1]!);
          }
        }
      };
      void read(child!.stdout as ReadableStream<Uint8Array>);
      void read(child!.stderr as ReadableStream<Uint8Array>);
    });
  }, 60_000);

  afterAll(async () => {
    if (child) {
      child.kill("SIGTERM");
      await child.exited;
    }
    responses?.stop();
    webApi?.stop();
    await fakeSwitch?.stop();
    await db?.drop();
  }, 30_000);

  async function slash(command: string, text: string) {
    const trigger = `${command.slice(1)}.${crypto.randomUUID()}`;
    const body = new URLSearchParams({
      team_id: "T0TEAM",
      user_id: "U0USER",
      command,
      text,
      response_url: `${responses.url}/r/${trigger}`,
      trigger_id: trigger,
    }).toString();
    const response = await fetch(eventsUrl, { method: "POST", headers: signedHeaders(SECRET, body), body });
    return { status: response.status, ack: (await response.json()) as { text: string }, path: `/r/${trigger}` };
  }

  test("prints where it listens and has created Switchboard's Slack tables", async () => {
    expect(eventsUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/slack\/events$/);
    const tables =
      await db.sql`select table_name from information_schema.tables where table_name like 'switchboard_slack_%' order by 1`;
    expect(tables.map((t) => t.table_name)).toEqual([
      "switchboard_slack_channel_subscriptions",
      "switchboard_slack_notifications",
      "switchboard_slack_notify_cursor",
      "switchboard_slack_users",
      "switchboard_slack_workspaces",
    ]);
  });

  test("/call 100 5551234 places the call and reports it answered", async () => {
    const { status, ack, path } = await slash("/call", "100 5551234");
    expect(status).toBe(200);
    expect(ack.text).toBe("Calling 100…");
    const answered = await responses.waitForMatch(path, (b) => String(b.text).startsWith("Answered"));
    expect(answered.body.text).toBe("Answered: 100 → 5551234");
    expect(fakeSwitch.originates.some((o) => o.raw.includes("loopback/100/pbx.example.com"))).toBe(true);
  });

  test('/ext create 105 "Front Desk" creates the extension', async () => {
    const { path } = await slash("/ext", 'create 105 "Front Desk"');
    const [reply] = await responses.waitFor(path);
    expect(String(reply!.body.text)).toContain("Extension 105 created");
    const rows = await db.sql`select effective_caller_id_name from v_extensions where extension = '105'`;
    expect(rows[0]?.effective_caller_id_name).toBe("Front Desk");
  });

  test("/pbx regs shows the domain's registrations", async () => {
    const { path } = await slash("/pbx", "regs");
    const [reply] = await responses.waitFor(path);
    expect(String(reply!.body.text)).toContain("105@pbx.example.com");
  });

  test("writes one audit row per action with the Slack ids", async () => {
    const deadline = Date.now() + 10_000;
    let rows: { action: string }[] = [];
    // The audit sink writes in batches every 200 ms; wait for the batch rather than for a fixed time.
    while (Date.now() < deadline) {
      rows = [
        ...(await db.sql<
          { action: string }[]
        >`select action from switchboard_audit where slack_user_id = 'U0USER' and slack_team_id = 'T0TEAM'`),
      ];
      if (rows.some((r) => r.action === "registrations")) break;
      await Bun.sleep(100);
    }
    expect(rows.map((r) => r.action)).toEqual(
      expect.arrayContaining(["originate", "extension-create", "registrations"]),
    );
  });
});

describe("bun run start with bad settings", () => {
  async function start(env: Record<string, string>) {
    const child = Bun.spawn(["bun", "run", "start"], {
      cwd: join(import.meta.dir, ".."),
      env: {
        PATH: process.env.PATH ?? "",
        HOME: process.env.HOME ?? "",
        FUSIONPBX_CONFIG: "/nonexistent/config.conf",
        ...env,
      },
      stdout: "pipe",
      stderr: "pipe",
    });
    const [code, stderr] = await Promise.all([child.exited, new Response(child.stderr as ReadableStream).text()]);
    return {
      code,
      lines: stderr
        .trim()
        .split("\n")
        .filter((l) => l.startsWith("switchboard")),
    };
  }

  test("a missing token is one clear line and exit code 1", async () => {
    const { code, lines } = await start({ SLACK_SIGNING_SECRET: "x" });
    expect(code).toBe(1);
    expect(lines).toEqual([expect.stringContaining("SLACK_BOT_TOKEN is not set")]);
  }, 30_000);

  test("an unreachable database is one clear line naming it, not a stack trace", async () => {
    const { code, lines } = await start({
      SLACK_SIGNING_SECRET: "x",
      SLACK_BOT_TOKEN: "xoxb-1",
      DATABASE_URL: "postgres://nobody@127.0.0.1:1/none",
    });
    expect(code).toBe(1);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain("127.0.0.1:1");
    expect(lines[0]).not.toContain("    at ");
  }, 30_000);
});

describe("bun run start against Slack and FusionPBX settings that are wrong", () => {
  let db: TestDatabase;
  let webApi: CaptureServer;
  beforeAll(async () => {
    db = await createTestDatabase({ dump: "fusionpbx-5.6-master", prefix: "sb_slack_wrong" });
    await db.sql`insert into v_domains (domain_uuid, domain_name, domain_enabled) values (${crypto.randomUUID()}, 'pbx.example.com', true)`;
    webApi = startCaptureServer(() => ({ ok: false, error: "invalid_auth" }));
  }, 60_000);
  afterAll(async () => {
    webApi?.stop();
    await db?.drop();
  }, 30_000);

  async function start(env: Record<string, string>) {
    const child = Bun.spawn(["bun", "run", "start"], {
      cwd: join(import.meta.dir, ".."),
      env: {
        PATH: process.env.PATH ?? "",
        HOME: process.env.HOME ?? "",
        FUSIONPBX_CONFIG: "/nonexistent/config.conf",
        DATABASE_URL: db.url,
        ESL_HOST: "127.0.0.1",
        ESL_PORT: "1",
        SLACK_SIGNING_SECRET: SECRET,
        SLACK_API_URL: `${webApi.url}/api/`,
        PORT: "0",
        HOST: "127.0.0.1",
        ...env,
      },
      stdout: "pipe",
      stderr: "pipe",
    });
    const [code, stdout, stderr] = await Promise.all([
      child.exited,
      new Response(child.stdout as ReadableStream).text(),
      new Response(child.stderr as ReadableStream).text(),
    ]);
    return { code, stdout, stderr: stderr.trim() };
  }

  test("a bot token Slack refuses is one clear line at start-up, and the bot never says it is listening", async () => {
    const { code, stdout, stderr } = await start({ SLACK_BOT_TOKEN: "xoxb-wrong", SLACK_DOMAIN: "pbx.example.com" });
    expect(code).toBe(1);
    expect(stderr.split("\n").filter((l) => l.startsWith("switchboard"))).toEqual([
      expect.stringContaining("SLACK_BOT_TOKEN was refused by Slack (invalid_auth)"),
    ]);
    expect(stderr).not.toContain("    at ");
    expect(stdout + stderr).not.toContain("listening");
  }, 60_000);

  test("SLACK_DOMAIN naming no domain of this FusionPBX stops start-up with one line", async () => {
    const { code, stdout, stderr } = await start({ SLACK_BOT_TOKEN: "xoxb-1", SLACK_DOMAIN: "typo.example.com" });
    expect(code).toBe(1);
    expect(stderr.split("\n").filter((l) => l.startsWith("switchboard"))).toEqual([
      "switchboard slackbot: SLACK_DOMAIN names 'typo.example.com', which is not a domain of this FusionPBX",
    ]);
    expect(stdout + stderr).not.toContain("listening");
  }, 60_000);
});

describe("bun run start on the embedded demo (no database or switch settings)", () => {
  const dataDir = mkdtempSync(join(tmpdir(), "sb-slack-demo-"));
  let responses: CaptureServer;
  let webApi: CaptureServer;
  let child: ReturnType<typeof Bun.spawn> | null = null;
  let eventsUrl = "";
  const output: string[] = [];

  beforeAll(async () => {
    responses = startCaptureServer();
    webApi = startCaptureServer(() => ({ ok: true, team_id: "T0TEAM", user_id: "U0BOT", bot_id: "B0BOT" }));
    child = Bun.spawn(["bun", "run", "start"], {
      cwd: join(import.meta.dir, ".."),
      env: {
        PATH: process.env.PATH ?? "",
        HOME: process.env.HOME ?? "",
        SWITCHBOARD_DATA_DIR: dataDir,
        SLACK_SIGNING_SECRET: SECRET,
        SLACK_BOT_TOKEN: "xoxb-demo",
        SLACK_API_URL: `${webApi.url}/api/`,
        PORT: "0",
      },
      stdout: "pipe",
      stderr: "pipe",
    });
    eventsUrl = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`the bot did not start:\n${output.join("")}`)), 90_000);
      const read = async (stream: ReadableStream<Uint8Array>) => {
        const decoder = new TextDecoder();
        for await (const chunk of stream) {
          output.push(decoder.decode(chunk));
          const match = /listening at (http:\/\/[^"\s]+)/.exec(output.join(""));
          if (match) {
            clearTimeout(timer);
            resolve(match[1]!);
          }
        }
      };
      void read(child!.stdout as ReadableStream<Uint8Array>);
      void read(child!.stderr as ReadableStream<Uint8Array>);
    });
  }, 120_000);

  afterAll(async () => {
    if (child) {
      child.kill("SIGTERM");
      await child.exited;
    }
    responses?.stop();
    webApi?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }, 30_000);

  async function slash(command: string, text: string) {
    const trigger = `demo.${crypto.randomUUID()}`;
    const body = new URLSearchParams({
      team_id: "T0TEAM",
      user_id: "U0USER",
      command,
      text,
      response_url: `${responses.url}/r/${trigger}`,
      trigger_id: trigger,
    }).toString();
    const response = await fetch(eventsUrl, { method: "POST", headers: signedHeaders(SECRET, body), body });
    expect(response.status).toBe(200);
    return `/r/${trigger}`;
  }

  test("listens on loopback only and works on the demo domain", async () => {
    expect(eventsUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/slack\/events$/);
    const [reply] = await responses.waitFor(await slash("/pbx", "status"));
    expect(String(reply!.body.text)).toContain("Domain: fusionpbx.example.net");
    expect(String(reply!.body.text)).toContain("demo-switch: up");
  });

  test("/call is answered by the demo's built-in fake switch", async () => {
    const answered = await responses.waitForMatch(await slash("/call", "100 5551234"), (b) =>
      String(b.text).startsWith("Answered"),
    );
    expect(answered.body.text).toBe("Answered: 100 → 5551234");
  });
});
