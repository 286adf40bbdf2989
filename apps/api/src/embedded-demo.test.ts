import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  connectDatabase,
  type Database,
  DEMO_DOMAIN_NAME,
  DEMO_DOMAIN_UUID,
  DEMO_KEY_ID,
  DEMO_KEY_SECRET,
  runningPort,
} from "@switchboard/db";
import { type ApiProcess, startApiProcess } from "./testing/api-process.ts";

// The embedded demo used by several programs at once: two API processes, the keys command and this test
// (which holds its own connection to read the tables), all on one data directory.
const apiDir = join(import.meta.dir, "..");
const dataRoot = mkdtempSync(join(tmpdir(), "sb-demo-processes-"));
const pgData = join(dataRoot, "postgres");
const env = {
  PATH: process.env.PATH ?? "",
  HOME: process.env.HOME ?? "",
  SWITCHBOARD_DATA_DIR: dataRoot,
  PORT: "0",
  SWITCHBOARD_WORKERS: "1",
};
const legacyAuth = `Basic ${btoa(`${DEMO_KEY_ID}:${DEMO_KEY_SECRET}`)}`;

const startApi = () => startApiProcess(env);

async function keys(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const child = Bun.spawn(["bun", "run", "src/cli/keys.ts", ...args], {
    cwd: apiDir,
    env,
    stdout: "pipe",
    stderr: "pipe",
  });
  const [code, stdout, stderr] = await Promise.all([
    child.exited,
    new Response(child.stdout).text(),
    new Response(child.stderr).text(),
  ]);
  return { code, stdout, stderr };
}

/** One client's work: the legacy domain-details and a tRPC originate on the demo's fake switch. */
async function clientRound(origin: string, index: number): Promise<string[]> {
  const problems: string[] = [];
  const details = await fetch(`${origin}/app/rest_api/rest.php`, {
    method: "POST",
    headers: { authorization: legacyAuth },
    body: JSON.stringify({ action: "domain-details", domain_name: DEMO_DOMAIN_NAME }),
  });
  const detailsBody = await details.text();
  if (details.status !== 200 || !detailsBody.includes(DEMO_DOMAIN_UUID))
    problems.push(`domain-details ${details.status}: ${detailsBody}`);
  const call = await fetch(`${origin}/trpc/calls.originate`, {
    method: "POST",
    headers: { authorization: `Bearer ${DEMO_KEY_ID}:${DEMO_KEY_SECRET}`, "content-type": "application/json" },
    body: JSON.stringify({
      domain_uuid: DEMO_DOMAIN_UUID,
      caller_id_number: "100",
      ring_first: "101",
      connect_to: `555${String(index).padStart(4, "0")}`,
    }),
  });
  const callBody = await call.text();
  if (call.status !== 200 || !callBody.includes('"success":true'))
    problems.push(`originate ${call.status}: ${callBody}`);
  return problems;
}

let db: Database;
let first: ApiProcess;
let second: ApiProcess;

beforeAll(async () => {
  // The test is one more user of the demo database: it reads the audit table after the others stop.
  db = await connectDatabase({ env: {}, configPaths: [], dataDir: pgData });
  [first, second] = await Promise.all([startApi(), startApi()]);
}, 120_000);

afterAll(async () => {
  for (const api of [first, second]) if (api && api.child.exitCode === null) api.child.kill("SIGKILL");
  await db?.close();
  rmSync(dataRoot, { recursive: true, force: true });
}, 60_000);

describe("the demo database shared by several programs", () => {
  test("50 concurrent clients across two API processes while the keys command starts and stops: no error", async () => {
    const clients = Array.from({ length: 50 }, (_, i) => clientRound(i % 2 === 0 ? first.origin : second.origin, i));
    const cli = keys(["create", "--name", "made-during-load"]);
    const problems = (await Promise.all(clients)).flat();
    const made = await cli;
    expect(problems).toEqual([]);
    expect(made.stderr).toBe("");
    expect(made.code).toBe(0);
    expect(made.stdout).toMatch(/^key id: {2}[0-9a-f-]{36}$/m);
    // The keys command leaving does not break the API processes.
    expect(await clientRound(first.origin, 100)).toEqual([]);
    expect(await clientRound(second.origin, 101)).toEqual([]);
  }, 120_000);

  test("SIGTERM stops one API process; the other keeps serving and the server keeps running", async () => {
    expect(await first.stop()).toBe(0);
    expect(runningPort(pgData)).not.toBeNull();
    const after = await Promise.all(Array.from({ length: 10 }, (_, i) => clientRound(second.origin, 200 + i)));
    expect(after.flat()).toEqual([]);
  }, 60_000);

  test("every request of every process is in the audit log once both have stopped", async () => {
    expect(await second.stop()).toBe(0);
    // 50 clients × 2 requests + 2 × 2 after the keys command + 10 × 2 after the first stopped.
    const [api] = await db.sql<{ n: number }[]>`
      select count(*)::int as n from switchboard_audit where face in ('legacy', 'trpc') and key_uuid = ${DEMO_KEY_ID}`;
    expect(api?.n).toBe(124);
    const [cli] = await db.sql<
      { n: number }[]
    >`select count(*)::int as n from switchboard_audit where face = 'cli' and action = 'key-create'`;
    expect(cli?.n).toBe(1);
  }, 60_000);

  test("the demo refuses a non-loopback HOST with one line and exit code 1", async () => {
    const child = Bun.spawn(["bun", "run", "src/server.ts"], {
      cwd: apiDir,
      env: { ...env, HOST: "0.0.0.0" },
      stdout: "pipe",
      stderr: "pipe",
    });
    const [code, stdout, stderr] = await Promise.all([
      child.exited,
      new Response(child.stdout).text(),
      new Response(child.stderr).text(),
    ]);
    expect(code).toBe(1);
    expect(stdout).not.toContain(DEMO_KEY_SECRET);
    expect(
      stderr
        .trim()
        .split("\n")
        .filter((l) => l.startsWith("switchboard:")),
    ).toEqual([
      "switchboard: refusing to serve the embedded demo on 0.0.0.0: its API key is published, so the demo listens on this machine only (unset HOST or set HOST=127.0.0.1), or set DATABASE_URL to your own database",
    ]);
  }, 60_000);

  test("Ctrl-C of the keys command leaves no lock file", async () => {
    for (let round = 0; round < 3; round++) {
      const child = Bun.spawn(["bun", "run", "src/cli/keys.ts", "list"], {
        cwd: apiDir,
        env,
        stdout: "pipe",
        stderr: "pipe",
      });
      // Interrupt it while it starts (when it takes the start-up lock) rather than after it is done.
      const reader = (child.stdout as ReadableStream<Uint8Array>).getReader();
      if (round > 0) await reader.read();
      child.kill("SIGINT");
      await child.exited;
      expect(existsSync(`${pgData}.lock`)).toBe(false);
    }
  }, 60_000);
});
