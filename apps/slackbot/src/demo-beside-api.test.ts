import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  connectDatabase,
  type Database,
  DEMO_DOMAIN_NAME,
  DEMO_DOMAIN_UUID,
  DEMO_KEY_ID,
  DEMO_KEY_SECRET,
} from "@switchboard/db";
import { type CaptureServer, startCaptureServer } from "./testing/capture-server.ts";
import { signedHeaders } from "./testing/signing.ts";

// The case that used to break the embedded demo: the Slack app and the API on one demo database, /call
// from Slack while API clients work, then one of them stopping.
const SECRET = "demo-beside-api-signing-secret";
const dataRoot = mkdtempSync(join(tmpdir(), "sb-slack-api-demo-"));
const baseEnv = {
  PATH: process.env.PATH ?? "",
  HOME: process.env.HOME ?? "",
  SWITCHBOARD_DATA_DIR: dataRoot,
  PORT: "0",
  SWITCHBOARD_WORKERS: "1",
};

interface Started {
  child: ReturnType<typeof Bun.spawn>;
  url: string;
  output: string[];
}

function start(cwd: string, cmd: string[], env: Record<string, string>, pattern: RegExp): Promise<Started> {
  const child = Bun.spawn(cmd, { cwd, env: { ...baseEnv, ...env }, stdout: "pipe", stderr: "pipe" });
  const output: string[] = [];
  return new Promise((resolve, reject) => {
    const read = async (stream: ReadableStream<Uint8Array>) => {
      const decoder = new TextDecoder();
      for await (const chunk of stream) {
        output.push(decoder.decode(chunk));
        const match = pattern.exec(output.join(""));
        if (match) resolve({ child, url: match[1]!, output });
      }
    };
    void read(child.stdout as ReadableStream<Uint8Array>);
    void read(child.stderr as ReadableStream<Uint8Array>);
    void child.exited.then((code) => reject(new Error(`${cmd.join(" ")} exited with ${code}:\n${output.join("")}`)));
  });
}

let db: Database;
let responses: CaptureServer;
let webApi: CaptureServer;
let slack: Started;
let api: Started;

beforeAll(async () => {
  responses = startCaptureServer();
  webApi = startCaptureServer(() => ({ ok: true, team_id: "T0TEAM", user_id: "U0BOT", bot_id: "B0BOT" }));
  // Both start at once: one creates the database, the other waits for it and joins.
  [slack, api] = await Promise.all([
    start(
      join(import.meta.dir, ".."),
      ["bun", "run", "start"],
      { SLACK_SIGNING_SECRET: SECRET, SLACK_BOT_TOKEN: "xoxb-demo", SLACK_API_URL: `${webApi.url}/api/` },
      /listening at (http:\/\/[^"\s]+)/,
    ),
    start(
      join(import.meta.dir, "..", "..", "api"),
      ["bun", "run", "src/server.ts"],
      {},
      /listening on (http:\/\/127\.0\.0\.1:\d+)/,
    ),
  ]);
  // The test reads the audit log as one more user of the demo database.
  db = await connectDatabase({ env: {}, configPaths: [], dataDir: join(dataRoot, "postgres") });
}, 120_000);

afterAll(async () => {
  for (const p of [slack, api]) if (p && p.child.exitCode === null) p.child.kill("SIGKILL");
  await db?.close();
  responses?.stop();
  webApi?.stop();
  rmSync(dataRoot, { recursive: true, force: true });
}, 60_000);

async function slashCall(number: string, index = 0): Promise<string> {
  const trigger = `demo.${crypto.randomUUID()}`;
  // One Slack user per call: the call policy allows 5 calls a minute per user (30 per domain).
  const body = new URLSearchParams({
    team_id: "T0TEAM",
    user_id: `U0USER${index}`,
    command: "/call",
    text: `100 ${number}`,
    response_url: `${responses.url}/r/${trigger}`,
    trigger_id: trigger,
  }).toString();
  const response = await fetch(slack.url, { method: "POST", headers: signedHeaders(SECRET, body), body });
  expect(response.status).toBe(200);
  await response.arrayBuffer();
  const answered = await responses.waitForMatch(
    `/r/${trigger}`,
    (b) => String(b.text).startsWith("Answered") || String(b.text).includes("rror"),
    60_000,
  );
  return String(answered.body.text);
}

async function apiClient(i: number): Promise<string | null> {
  const response = await fetch(`${api.url}/app/rest_api/rest.php`, {
    method: "POST",
    headers: { authorization: `Basic ${btoa(`${DEMO_KEY_ID}:${DEMO_KEY_SECRET}`)}` },
    body: JSON.stringify({ action: "domain-details", domain_name: DEMO_DOMAIN_NAME }),
  });
  const text = await response.text();
  return response.status === 200 && text.includes(DEMO_DOMAIN_UUID) ? null : `client ${i}: ${response.status} ${text}`;
}

describe("the Slack app and the API on one demo database", () => {
  test("16 simultaneous /call from Slack beside 34 API clients: every one answered", async () => {
    const numbers = Array.from({ length: 16 }, (_, i) => `55500${String(i).padStart(2, "0")}`);
    const [calls, clients] = await Promise.all([
      Promise.all(numbers.map((n, i) => slashCall(n, i))),
      Promise.all(Array.from({ length: 34 }, (_, i) => apiClient(i))),
    ]);
    expect(calls).toEqual(numbers.map((n) => `Answered: 100 → ${n}`));
    expect(clients.filter((c) => c !== null)).toEqual([]);
  }, 120_000);

  test("the API stopping leaves the Slack app working", async () => {
    api.child.kill("SIGTERM");
    expect(await api.child.exited).toBe(0);
    expect(await slashCall("5559999")).toBe("Answered: 100 → 5559999");
  }, 60_000);

  test("SIGTERM ends the Slack app with status 0, and every /call is in the audit log", async () => {
    slack.child.kill("SIGTERM");
    expect(await slack.child.exited).toBe(0);
    const [row] = await db.sql<
      { n: number }[]
    >`select count(*)::int as n from switchboard_audit where face = 'slack' and action = 'originate'`;
    expect(row?.n).toBe(17);
  }, 60_000);
});
