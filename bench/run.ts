// `bun run bench` (root): seeds a tenant on a real PostgreSQL, starts the fake switch, the API, the
// slackbot and a bare Bun.serve ceiling as separate processes, drives each over loopback with autocannon
// and writes bench/RESULTS.md. `bun run bench --soak` runs the 5-minute memory soak instead.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { CASES } from "./src/cases.ts";
import { type Child, freePort, startChild } from "./src/child.ts";
import { type BenchDatabase, prepareBenchDatabase, TENANT_SHAPE } from "./src/database.ts";
import { directSql } from "./src/direct-sql.ts";
import { loadTest } from "./src/load.ts";
import { loadAverage, machineInfo } from "./src/machine.ts";
import {
  type CaseResult,
  consoleLine,
  type Measurement,
  type RunResults,
  readJson,
  renderResults,
  type SoakResults,
} from "./src/results.ts";
import { runSoak } from "./src/soak.ts";
import type { TargetContext } from "./src/targets.ts";
import { evaluateTargets } from "./src/verdicts.ts";

const { values: args } = parseArgs({
  options: {
    soak: { type: "boolean", default: false },
    minutes: { type: "string", default: "5" },
    seconds: { type: "string", default: "5" },
    warmup: { type: "string", default: "1" },
    connections: { type: "string", default: "1,10,50" },
    only: { type: "string" },
    "no-write": { type: "boolean", default: false },
    render: { type: "boolean", default: false },
  },
});

const benchDir = import.meta.dir;
const root = join(benchDir, "..");
const resultsDir = join(benchDir, "results");
const log = (line: string) => console.log(`[bench] ${line}`);
const SLACK_SIGNING_SECRET = "bench-signing-secret-0123456789abcdef";
const API_POOL_MAX = process.env.SWITCHBOARD_BENCH_POOL_MAX ?? "10";

interface Stack {
  db: BenchDatabase;
  fakeSwitch: Child;
  api: Child;
  apiUrl: string;
  bare: Child;
  bareUrl: string;
  slack: Child | null;
  slackUrl: string | null;
  fakeSlack: Child | null;
  fakeSlackUrl: string | null;
  slackSkipped: string | null;
}

const children: Child[] = [];
async function stopAll(): Promise<void> {
  await Promise.all(children.splice(0).map((c) => c.stop().catch(() => {})));
}
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    void stopAll().finally(() => process.exit(130));
  });
}

async function httpOk(url: string): Promise<boolean> {
  const res = await fetch(url, { signal: AbortSignal.timeout(1000) });
  await res.arrayBuffer();
  return res.status < 500;
}

function serviceEnv(db: BenchDatabase, fakeSwitch: Child, port: number): Record<string, string | undefined> {
  return {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    NODE_ENV: "production",
    HOST: "127.0.0.1",
    PORT: String(port),
    DATABASE_URL: db.url,
    ESL_HOST: "127.0.0.1",
    ESL_PORT: String(fakeSwitch.hello?.port),
    ESL_PASSWORD: String(fakeSwitch.hello?.password),
  };
}

async function startStack(withSlack: boolean): Promise<Stack> {
  const db = await prepareBenchDatabase(log);
  try {
    const fakeSwitch = await startChild({
      name: "fake switch",
      cmd: [process.execPath, join(benchDir, "src/servers/fake-switch-server.ts")],
      env: { PATH: process.env.PATH },
      expectHello: true,
    });
    children.push(fakeSwitch);
    log(`fake switch on 127.0.0.1:${fakeSwitch.hello?.port}`);

    const apiPort = freePort();
    const apiUrl = `http://127.0.0.1:${apiPort}`;
    const api = await startChild({
      name: "API",
      cmd: [process.execPath, join(root, "apps/api/src/server.ts")],
      env: serviceEnv(db, fakeSwitch, apiPort),
      ready: () => httpOk(`${apiUrl}/health`),
    });
    children.push(api);
    log(`API (pid ${api.pid}) on ${apiUrl}`);

    const bare = await startChild({
      name: "bare Bun.serve",
      cmd: [process.execPath, join(benchDir, "src/servers/bare-server.ts")],
      env: { PATH: process.env.PATH, DATABASE_URL: db.url, SWITCHBOARD_BENCH_POOL_MAX: API_POOL_MAX },
      expectHello: true,
    });
    children.push(bare);
    const bareUrl = `http://127.0.0.1:${bare.hello?.port}`;

    let slack: Child | null = null;
    let slackUrl: string | null = null;
    let fakeSlack: Child | null = null;
    let fakeSlackUrl: string | null = null;
    let slackSkipped: string | null = null;
    const slackEntry = join(root, "apps/slackbot/src/server.ts");
    if (!withSlack) {
      slackSkipped = "not requested";
    } else if (!existsSync(slackEntry)) {
      slackSkipped = "apps/slackbot/src/server.ts does not exist yet";
    } else {
      fakeSlack = await startChild({
        name: "fake Slack",
        cmd: [process.execPath, join(benchDir, "src/servers/fake-slack-server.ts")],
        env: { PATH: process.env.PATH },
        expectHello: true,
      });
      children.push(fakeSlack);
      fakeSlackUrl = `http://127.0.0.1:${fakeSlack.hello?.port}`;
      const slackPort = freePort();
      slackUrl = `http://127.0.0.1:${slackPort}`;
      try {
        slack = await startChild({
          name: "slackbot",
          cmd: [process.execPath, slackEntry],
          env: {
            ...serviceEnv(db, fakeSwitch, slackPort),
            SLACK_SIGNING_SECRET,
            SLACK_BOT_TOKEN: "xoxb-bench-token",
            SLACK_API_URL: `${fakeSlackUrl}/api/`,
            SLACK_DOMAIN: db.tenant.domainName,
            SLACK_DEFAULT_SCOPES: "read,calls",
          },
          ready: async () => {
            const res = await fetch(`${slackUrl}/slack/events`, { method: "POST", body: "", signal: AbortSignal.timeout(1000) });
            await res.arrayBuffer();
            return res.status > 0;
          },
        });
        children.push(slack);
        log(`slackbot (pid ${slack.pid}) on ${slackUrl}`);
      } catch (error) {
        slackSkipped = `the slackbot did not start: ${(error as Error).message.split("\n").slice(0, 6).join(" / ")}`;
        slackUrl = null;
      }
    }
    return { db, fakeSwitch, api, apiUrl, bare, bareUrl, slack, slackUrl, fakeSlack, fakeSlackUrl, slackSkipped };
  } catch (error) {
    await stopAll();
    await db.close();
    throw error;
  }
}

function targetContext(stack: Stack): TargetContext {
  return {
    apiUrl: stack.apiUrl,
    authorization: stack.db.key.authorization,
    domainUuid: stack.db.tenant.domainUuid,
    domainName: stack.db.tenant.domainName,
    firstExtension: stack.db.tenant.firstExtension,
    slackUrl: stack.slackUrl,
    fakeSlackUrl: stack.fakeSlackUrl,
    slackSigningSecret: SLACK_SIGNING_SECRET,
    slackTeamId: "TBENCH",
    slackUserId: "UBENCH",
  };
}

/** One real request before the load, so a broken case is reported with its answer instead of measured. */
async function preflight(target: ReturnType<(typeof CASES)[number]["target"]>): Promise<{ status: number; body: string }> {
  const dynamic = target.dynamic?.();
  const res = await fetch(target.url, {
    method: target.method,
    headers: { ...target.headers, ...dynamic?.headers },
    body: dynamic?.body ?? target.body,
    signal: AbortSignal.timeout(15_000),
  });
  return { status: res.status, body: await res.text() };
}

async function bcryptVerifyMs(): Promise<number> {
  const hash = await Bun.password.hash("bench-secret-20chars", { algorithm: "bcrypt", cost: 10 });
  const started = performance.now();
  for (let i = 0; i < 5; i++) await Bun.password.verify("bench-secret-20chars", hash);
  return (performance.now() - started) / 5;
}

async function mainRun(): Promise<void> {
  const seconds = Number(args.seconds);
  const warmupSeconds = Number(args.warmup);
  const connectionsList = args.connections!.split(",").map(Number);
  const only = args.only ? new Set(args.only.split(",").map((s) => s.trim())) : null;
  const cases = CASES.filter((c) => !only || only.has(c.id));
  const startedAt = new Date().toISOString();
  const loadAverageBefore = loadAverage();
  const stack = await startStack(cases.some((c) => c.slack));
  const ctx = targetContext(stack);
  const apiRssStart = stack.api.rssKiB();
  const results: CaseResult[] = [];
  try {
    for (const benchCase of cases) {
      const result: CaseResult = {
        id: benchCase.id,
        title: benchCase.title,
        request: benchCase.request,
        ...(benchCase.ceiling ? { ceiling: benchCase.ceiling } : {}),
        measurements: [],
      };
      results.push(result);
      if (benchCase.slack && !stack.slackUrl) {
        result.skipped = stack.slackSkipped ?? "no slackbot";
        log(`${benchCase.id}: skipped (${result.skipped})`);
        continue;
      }
      stack.fakeSwitch.send(`delay ${benchCase.switchDelayMs ?? 0}`);
      await Bun.sleep(50);
      const target = benchCase.target(ctx);
      const probe = await preflight(target).catch((error: Error) => ({ status: 0, body: String(error.message) }));
      log(`${benchCase.id}: pre-flight ${probe.status} ${probe.body.slice(0, 160).replaceAll("\n", " ")}`);
      const problem = benchCase.check(probe.status, probe.body);
      if (problem) {
        result.skipped = `the pre-flight request failed: ${problem}`;
        log(`${benchCase.id}: skipped (${result.skipped})`);
        continue;
      }
      for (const connections of connectionsList) {
        const measurement: Measurement = {
          connections,
          api: await loadTest(target, { connections, seconds, warmupSeconds }),
        };
        if (benchCase.ceiling) {
          measurement.direct = await directSql(stack.db.sql, benchCase.ceiling, ctx.domainUuid, { connections, seconds, warmupSeconds });
          measurement.bare = await loadTest(
            { method: "POST", url: `${stack.bareUrl}/${benchCase.ceiling}`, body: JSON.stringify({ domain_uuid: ctx.domainUuid }) },
            { connections, seconds, warmupSeconds },
          );
        }
        result.measurements.push(measurement);
        console.log(consoleLine(result, measurement));
      }
    }
    stack.fakeSwitch.send("delay 0");
    const apiRssEnd = stack.api.rssKiB();
    const machine = machineInfo(stack.db.serverVersion);
    const run: RunResults = {
      startedAt,
      finishedAt: new Date().toISOString(),
      machine,
      loadAverageBefore,
      loadAverageAfter: loadAverage(),
      database: {
        description: stack.db.description,
        seedSeconds: stack.db.seedSeconds,
        tenant: `${TENANT_SHAPE.extensions} extensions with voicemail boxes, ${TENANT_SHAPE.destinations} destinations with dialplans, ${TENANT_SHAPE.ringGroups} ring groups, ${TENANT_SHAPE.cdrs.toLocaleString("en-US")} CDRs, plus 4 neighbour tenants (50/50/5/5,000)`,
      },
      settings: {
        seconds,
        warmupSeconds,
        connections: connectionsList,
        apiPoolMax: `the bench's direct-SQL and bare-server ceilings use porsager with max=${API_POOL_MAX}`,
      },
      bcryptVerifyMs: await bcryptVerifyMs(),
      apiRssKiB: { start: apiRssStart, end: apiRssEnd },
      cases: results,
      verdicts: [],
    };
    run.verdicts = evaluateTargets(run);
    for (const v of run.verdicts) log(`target: ${v.target} → ${v.measured} → ${v.met === null ? "not measured" : v.met ? "met" : "MISSED"}`);
    if (!args["no-write"]) {
      mkdirSync(resultsDir, { recursive: true });
      writeFileSync(join(resultsDir, "latest-run.json"), `${JSON.stringify(run, null, 2)}\n`);
      writeResultsMarkdown();
      log("wrote bench/RESULTS.md and bench/results/latest-run.json");
    }
  } catch (error) {
    console.error(`[bench] API output:\n${stack.api.tail()}`);
    throw error;
  } finally {
    await stopAll();
    await stack.db.close();
  }
}

function writeResultsMarkdown(): void {
  const run = readJson<RunResults>(join(resultsDir, "latest-run.json"));
  const soak = readJson<SoakResults>(join(resultsDir, "latest-soak.json"));
  const notesPath = join(benchDir, "notes.md");
  const notes = existsSync(notesPath) ? readFileSync(notesPath, "utf8") : null;
  writeFileSync(join(benchDir, "RESULTS.md"), renderResults(run, soak, notes));
}

async function mainSoak(): Promise<void> {
  const stack = await startStack(false);
  try {
    const soak = await runSoak({
      ctx: targetContext(stack),
      api: stack.api,
      minutes: Number(args.minutes),
      connections: 10,
      machine: machineInfo(stack.db.serverVersion),
      log,
    });
    if (!args["no-write"]) {
      mkdirSync(resultsDir, { recursive: true });
      writeFileSync(join(resultsDir, "latest-soak.json"), `${JSON.stringify(soak, null, 2)}\n`);
      writeResultsMarkdown();
      log("wrote bench/RESULTS.md and bench/results/latest-soak.json");
    }
  } finally {
    await stopAll();
    await stack.db.close();
  }
}

if (args.render) writeResultsMarkdown();
else if (args.soak) await mainSoak();
else await mainRun();
