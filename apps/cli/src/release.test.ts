/**
 * `npm run release` builds one executable; this builds it the same way (scripts/release.ts) and runs it as a
 * FusionPBX box would: no Bun, no node_modules, only the binary, a database and a switch.
 */
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DEMO_DOMAIN_NAME, DEMO_KEY_ID, DEMO_KEY_SECRET, seedDemo } from "@switchboard/db";
import { createTestDatabase, type TestDatabase } from "@switchboard/db/testing";
import { type FakeSwitch, startFakeSwitch } from "@switchboard/esl/testing";
import { buildRelease } from "../../../scripts/release.ts";

// Real PostgreSQL and child processes on a shared machine: a loaded minute must not fail a test.
setDefaultTimeout(30_000);

const rootPackage = JSON.parse(readFileSync(join(import.meta.dir, "../../../package.json"), "utf8")) as {
  version: string;
};

let out: string;
let binary: string;
let archive: string;
let db: TestDatabase;
let fake: FakeSwitch;

/** Only what a systemd unit would give it: no Bun on PATH, no HOME, nothing of the repository. */
const bareEnv = (extra: Record<string, string>) => ({ PATH: "/usr/bin:/bin", ...extra });

async function run(
  args: string[],
  env: Record<string, string>,
): Promise<{ code: number; stdout: string; stderr: string }> {
  const proc = Bun.spawn([binary, ...args], {
    cwd: out,
    env: bareEnv(env),
    stdout: "pipe",
    stderr: "pipe",
    stdin: "ignore",
  });
  const [stdout, stderr, code] = await Promise.all([
    new Response(proc.stdout).text(),
    new Response(proc.stderr).text(),
    proc.exited,
  ]);
  return { code, stdout, stderr };
}

beforeAll(async () => {
  out = mkdtempSync(join(tmpdir(), "switchboard-release-"));
  ({ binary, archive } = await buildRelease(out));
  db = await createTestDatabase({ prefix: "sb_release" });
  fake = await startFakeSwitch();
}, 600_000);
afterAll(async () => {
  await fake?.stop();
  await db?.drop();
  rmSync(out, { recursive: true, force: true });
}, 60_000);

describe("the release binary", () => {
  test("prints the version from package.json", async () => {
    const r = await run(["--version"], {});
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(`switchboard ${rootPackage.version}\n`);
  });

  test("the archive holds the binary and the deploy files", async () => {
    const listing = Bun.spawnSync(["tar", "-tzf", archive]).stdout.toString().split("\n");
    const dir = `switchboard-${rootPackage.version}-${process.platform}-${process.arch}`;
    expect(listing).toEqual(
      expect.arrayContaining([
        `${dir}/switchboard`,
        `${dir}/README.md`,
        `${dir}/deploy/nginx/switchboard.conf`,
        `${dir}/deploy/nginx/switchboard-upstream.conf`,
        `${dir}/deploy/systemd/switchboard.service`,
      ]),
    );
  });

  test("without a database it says what to configure and exits 1", async () => {
    const r = await run(["serve"], { FUSIONPBX_CONFIG: join(out, "absent.conf") });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("FUSIONPBX_CONFIG names");
    const none = await run([], {});
    if (!existsSync("/etc/fusionpbx/config.conf") && !existsSync("/usr/local/etc/fusionpbx/config.conf")) {
      expect(none.code).toBe(1);
      expect(none.stderr).toStartWith("switchboard: no database configured: run it on the FusionPBX server");
    }
  });

  test("an unknown command is refused", async () => {
    const r = await run(["frobnicate"], {});
    expect(r.code).toBe(1);
    expect(r.stderr.trim()).toBe(
      "switchboard: unknown command 'frobnicate'; one of serve, slackbot, migrate, keys, doctor, or --help",
    );
  });

  test("migrate, keys, doctor and serve run from the one file", async () => {
    const migrated = await run(["migrate", "--indexes"], { DATABASE_URL: db.url });
    expect(migrated.stderr).toBe("");
    expect(migrated.code).toBe(0);
    expect(migrated.stdout).toContain("applied 0002-switchboard-tables");
    expect(migrated.stdout).toContain("index switchboard_xml_cdr_domain_end_stamp: created");
    await db.sql.begin((tx) => seedDemo(tx));

    const keys = await run(["keys", "list"], { DATABASE_URL: db.url });
    expect(keys.code).toBe(0);
    expect(keys.stdout).toContain(DEMO_KEY_ID);

    const eslEnv = { ESL_HOST: fake.host, ESL_PORT: String(fake.port), ESL_PASSWORD: fake.password };
    const doctor = await run(["doctor"], { DATABASE_URL: db.url, FUSIONPBX_CONFIG: "", ...eslEnv });
    expect(doctor.stdout).toContain("ok       FusionPBX 5.6 schema");
    expect(doctor.stdout).toContain(
      `ok       switch ${fake.host}:${fake.port} (from env): up, event-socket password accepted`,
    );
    expect(doctor.stdout).toContain(
      "ok       index v_xml_cdr (domain_uuid, end_stamp): present as switchboard_xml_cdr_domain_end_stamp",
    );

    const server = Bun.spawn([binary, "serve"], {
      cwd: out,
      env: bareEnv({ DATABASE_URL: db.url, ...eslEnv, HOST: "127.0.0.1", PORT: "0" }),
      stdout: "pipe",
      stderr: "pipe",
      stdin: "ignore",
    });
    try {
      const origin = await listeningOrigin(server.stdout);
      const health = (await (await fetch(`${origin}/health`)).json()) as { status: string };
      expect(health.status).toBe("ok");
      const res = await fetch(`${origin}/app/rest_api/rest.php`, {
        method: "POST",
        headers: { authorization: `Basic ${btoa(`${DEMO_KEY_ID}:${DEMO_KEY_SECRET}`)}` },
        body: JSON.stringify({ action: "domain-details", domain_name: DEMO_DOMAIN_NAME }),
      });
      expect(res.status).toBe(200);
      expect(((await res.json()) as { domain_name: string }).domain_name).toBe(DEMO_DOMAIN_NAME);
    } finally {
      server.kill("SIGTERM");
      expect(await server.exited).toBe(0);
    }
  }, 60_000);
});

const systemdAnalyze = Bun.which("systemd-analyze");
if (!systemdAnalyze) console.log("release.test: skipping the systemd unit check: systemd-analyze is not installed");
describe.skipIf(!systemdAnalyze)("deploy/systemd", () => {
  test("the units pass systemd-analyze verify with the built binary in place", () => {
    for (const unit of ["switchboard.service", "switchboard-slackbot.service"]) {
      const text = readFileSync(join(import.meta.dir, "../../../deploy/systemd", unit), "utf8");
      expect(text).toContain("ExecStart=/usr/local/bin/switchboard ");
      const copy = join(out, unit);
      writeFileSync(copy, text.replace("ExecStart=/usr/local/bin/switchboard ", `ExecStart=${binary} `));
      const verified = Bun.spawnSync([systemdAnalyze!, "verify", copy], { stdout: "pipe", stderr: "pipe" });
      expect(`${verified.stderr.toString()}${verified.stdout.toString()}`.trim()).toBe("");
      expect(verified.exitCode).toBe(0);
    }
  });
});

/** Reads the banner's first line, `Switchboard API listening on http://…`, for the origin. */
async function listeningOrigin(stream: ReadableStream<Uint8Array>): Promise<string> {
  const reader = stream.getReader();
  const decoder = new TextDecoder();
  let text = "";
  for (;;) {
    const match = /listening on (http:\/\/\S+)/.exec(text);
    if (match) {
      reader.releaseLock();
      return match[1]!;
    }
    const { value, done } = await reader.read();
    if (done) throw new Error(`the server stopped before listening: ${text}`);
    text += decoder.decode(value, { stream: true });
  }
}
