// `bun run bench` (root): seeds a tenant on a real PostgreSQL, starts the fake switch, the API, the
// slackbot and a bare Bun.serve ceiling as separate processes, drives each over loopback with autocannon
// and writes bench/RESULTS.md. `bun run bench --soak` runs the 5-minute memory soak instead.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { CASES } from "./src/cases.ts";
import { type CdrBenchResults, runCdrBench } from "./src/cdr-bench.ts";
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
  type VariantResults,
} from "./src/results.ts";
import { type EmbeddedResults, renderEmbeddedSection } from "./src/embedded-results.ts";
import { type EventsBenchResults, renderEventsSection } from "./src/events-results.ts";
import { renderWebhookSection, type WebhookBenchResults } from "./src/webhook-results.ts";
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
    rounds: { type: "string", default: "1" },
    only: { type: "string" },
    "no-write": { type: "boolean", default: false },
    render: { type: "boolean", default: false },
    profile: { type: "string" },
    variants: { type: "boolean", default: false },
    variant: { type: "string" },
    "soak-cases": { type: "string" },
    heap: { type: "boolean", default: false },
    cdr: { type: "boolean", default: false },
    cdrs: { type: "string", default: "1000000" },
    samples: { type: "string", default: "200" },
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
    // One API process, like the bare handler it is compared with (and whose memory is read from /proc);
    // workers = 1 vs 2 is measured by `bun bench/embedded.ts --workers`.
    SWITCHBOARD_WORKERS: "1",
  };
}

async function startStack(withSlack: boolean, apiFlags: string[] = []): Promise<Stack> {
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
      cmd: [process.execPath, ...apiFlags, join(root, "apps/api/src/server.ts")],
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
            const res = await fetch(`${slackUrl}/slack/events`, {
              method: "POST",
              body: "",
              signal: AbortSignal.timeout(1000),
            });
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
async function preflight(
  target: ReturnType<(typeof CASES)[number]["target"]>,
): Promise<{ status: number; body: string }> {
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
  const rounds = Math.max(1, Number(args.rounds));
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
      if (benchCase.setupSql) await stack.db.sql.unsafe(benchCase.setupSql).simple();
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
        // Rounds interleave the API and its ceilings; the best round of each is kept (the machine is shared).
        let measurement: Measurement | null = null;
        const better = <T extends { rps: number }>(a: T | undefined, b: T): T => (a && a.rps >= b.rps ? a : b);
        for (let round = 0; round < rounds; round++) {
          const api = await loadTest(target, { connections, seconds, warmupSeconds, pid: stack.api.pid });
          const next: Measurement = { connections, api: better(measurement?.api, api) };
          if (benchCase.ceiling) {
            const direct = await directSql(stack.db.sql, benchCase.ceiling, ctx.domainUuid, {
              connections,
              seconds,
              warmupSeconds,
            });
            const bare = await loadTest(
              {
                method: "POST",
                url: `${stack.bareUrl}/${benchCase.ceiling}`,
                body: JSON.stringify({ domain_uuid: ctx.domainUuid }),
              },
              { connections, seconds, warmupSeconds, pid: stack.bare.pid },
            );
            next.direct = better(measurement?.direct, direct);
            next.bare = better(measurement?.bare, bare);
          }
          measurement = next;
        }
        result.measurements.push(measurement!);
        console.log(consoleLine(result, measurement!));
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
        rounds,
        connections: connectionsList,
        apiPoolMax: `the bench's direct-SQL and bare-server ceilings use porsager with max=${API_POOL_MAX}`,
      },
      bcryptVerifyMs: await bcryptVerifyMs(),
      apiRssKiB: { start: apiRssStart, end: apiRssEnd },
      cases: results,
      verdicts: [],
    };
    run.verdicts = evaluateTargets(run);
    for (const v of run.verdicts)
      log(`target: ${v.target} → ${v.measured} → ${v.met === null ? "not measured" : v.met ? "met" : "MISSED"}`);
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

async function mainCdr(): Promise<void> {
  const result = await runCdrBench({ cdrs: Number(args.cdrs), samples: Number(args.samples), log });
  if (args["no-write"]) return;
  mkdirSync(resultsDir, { recursive: true });
  writeFileSync(join(resultsDir, "cdr.json"), `${JSON.stringify(result, null, 2)}\n`);
  writeResultsMarkdown();
  log("wrote bench/RESULTS.md and bench/results/cdr.json");
}

function writeResultsMarkdown(): void {
  const run = readJson<RunResults>(join(resultsDir, "latest-run.json"));
  const soak = readJson<SoakResults>(join(resultsDir, "latest-soak.json"));
  const notesPath = join(benchDir, "notes.md");
  const notes = existsSync(notesPath) ? readFileSync(notesPath, "utf8") : null;
  const variants = readJson<VariantResults>(join(resultsDir, "variants.json"));
  const embedded = renderEmbeddedSection(readJson<EmbeddedResults>(join(resultsDir, "embedded.json")));
  const cdr = readJson<CdrBenchResults>(join(resultsDir, "cdr.json"));
  const events = renderEventsSection(readJson<EventsBenchResults>(join(resultsDir, "events.json")));
  const webhooks = renderWebhookSection(readJson<WebhookBenchResults>(join(resultsDir, "webhooks.json")));
  writeFileSync(
    join(benchDir, "RESULTS.md"),
    [renderResults(run, soak, notes, variants, cdr), ...embedded, ...events, ...webhooks].join("\n"),
  );
}

/** Transactions committed in the bench database so far (each autocommit statement is one). */
async function commits(db: BenchDatabase): Promise<number> {
  const [row] =
    (await db.sql`select xact_commit::int as n from pg_stat_database where datname = current_database()`) as unknown as [
      { n: number },
    ];
  return row.n;
}

/**
 * `--profile "<case id>"`: the API under Bun's sampling profiler (markdown output) while one case runs at
 * 10 connections, plus how many database transactions each request cost (pg_stat_database).
 */
async function mainProfile(caseId: string): Promise<void> {
  const benchCase = CASES.find((c) => c.id === caseId);
  if (!benchCase) throw new Error(`no case '${caseId}'; cases: ${CASES.map((c) => c.id).join(", ")}`);
  const dir = join(resultsDir, "profiles");
  mkdirSync(dir, { recursive: true });
  const name = `${caseId.replace(/[^a-z0-9]+/gi, "-")}.md`;
  const profileFlags = ["--cpu-prof", "--cpu-prof-md", `--cpu-prof-dir=${dir}`, `--cpu-prof-name=${name}`];
  const variant = args.variant;
  const stack = await startStack(!!benchCase.slack, variant ? [] : profileFlags);
  try {
    const ctx = targetContext(stack);
    if (variant) {
      await stack.api.stop();
      const port = freePort();
      ctx.apiUrl = `http://127.0.0.1:${port}`;
      const child = await startChild({
        name: `API variant ${variant}`,
        cmd: [process.execPath, ...profileFlags, join(benchDir, "src/servers/api-variant-server.ts")],
        env: { ...serviceEnv(stack.db, stack.fakeSwitch, port), SWITCHBOARD_BENCH_VARIANT: variant },
        ready: () => httpOk(`${ctx.apiUrl}/health`),
      });
      children.push(child);
    }
    stack.fakeSwitch.send(`delay ${benchCase.switchDelayMs ?? 0}`);
    const target = benchCase.target(ctx);
    await loadTest(target, { connections: 10, seconds: 2 });
    await Bun.sleep(1500);
    const before = await commits(stack.db);
    const result = await loadTest(target, { connections: 10, seconds: Number(args.seconds) * 2 });
    await Bun.sleep(1500);
    const after = await commits(stack.db);
    const requests = result.rps * result.seconds;
    log(
      `${caseId}: ${Math.round(result.rps)} req/s, p50 ${result.p50Ms.toFixed(2)} ms, p99 ${result.p99Ms.toFixed(2)} ms`,
    );
    log(
      `database transactions per request: ${((after - before) / requests).toFixed(2)} (${after - before} for ${Math.round(requests)} requests)`,
    );
  } finally {
    await stopAll();
    await stack.db.close();
  }
  log(`profile: ${join(dir, name)}`);
}

const VARIANTS = ["as-is", "no-audit", "no-log", "neither"] as const;

/**
 * `--variants`: legacy domain-details against the API as it is and against variants with one proposed fix
 * each (src/servers/api-variant-server.ts), next to the bare handler, in interleaved rounds.
 */
async function mainVariants(): Promise<void> {
  const seconds = Number(args.seconds);
  const connectionsList = args.connections!.split(",").map(Number);
  const stack = await startStack(false);
  const variants: Array<{ name: string; url: string; pid: number }> = [];
  try {
    await stack.api.stop();
    for (const variant of VARIANTS) {
      const port = freePort();
      const url = `http://127.0.0.1:${port}`;
      const child = await startChild({
        name: `API variant ${variant}`,
        cmd: [process.execPath, join(benchDir, "src/servers/api-variant-server.ts")],
        env: { ...serviceEnv(stack.db, stack.fakeSwitch, port), SWITCHBOARD_BENCH_VARIANT: variant },
        ready: () => httpOk(`${url}/health`),
      });
      children.push(child);
      variants.push({ name: variant, url, pid: child.pid });
    }
    const ctx = targetContext(stack);
    const benchCase = CASES.find((c) => c.id === "legacy domain-details")!;
    type Row = { rps: number; p50Ms: number; p99Ms: number; cpuUsPerRequest?: number; dbCpuUsPerRequest?: number };
    const rows: Array<Row & { connections: number; name: string }> = [];
    for (const connections of connectionsList) {
      const best = new Map<string, Row>();
      for (let round = 0; round < 2; round++) {
        const bare = await loadTest(
          {
            method: "POST",
            url: `${stack.bareUrl}/domain-details`,
            body: JSON.stringify({ domain_uuid: ctx.domainUuid }),
          },
          { connections, seconds, warmupSeconds: 1, pid: stack.bare.pid },
        );
        if ((best.get("bare")?.rps ?? 0) < bare.rps) best.set("bare", bare);
        for (const v of variants) {
          const r = await loadTest(benchCase.target({ ...ctx, apiUrl: v.url }), {
            connections,
            seconds,
            warmupSeconds: 1,
            pid: v.pid,
          });
          if ((best.get(v.name)?.rps ?? 0) < r.rps) best.set(v.name, r);
        }
      }
      for (const [name, r] of best) {
        const { rps, p50Ms, p99Ms, cpuUsPerRequest, dbCpuUsPerRequest } = r;
        rows.push({ connections, name, rps, p50Ms, p99Ms, cpuUsPerRequest, dbCpuUsPerRequest });
        const bareRps = best.get("bare")!.rps;
        log(
          `c=${connections} ${name.padEnd(10)} ${Math.round(r.rps)} req/s (${Math.round((r.rps / bareRps) * 100)}% of bare) p50 ${r.p50Ms.toFixed(2)} p99 ${r.p99Ms.toFixed(2)} ms, CPU per request: server ${Math.round(cpuUsPerRequest ?? Number.NaN)} µs, PostgreSQL ${Math.round(dbCpuUsPerRequest ?? Number.NaN)} µs`,
        );
      }
    }
    if (!args["no-write"]) {
      mkdirSync(resultsDir, { recursive: true });
      writeFileSync(
        join(resultsDir, "variants.json"),
        `${JSON.stringify({ at: new Date().toISOString(), loadAverage: loadAverage(), seconds, rows }, null, 2)}\n`,
      );
      writeResultsMarkdown();
    }
  } finally {
    await stopAll();
    await stack.db.close();
  }
}

async function mainSoak(): Promise<void> {
  const heapDir = join(resultsDir, "profiles");
  const cases = args["soak-cases"]?.split(",").map((c) => c.trim());
  const heapName = `heap-${(cases ?? ["mix"]).join("+").replace(/[^a-z0-9+]+/gi, "-")}`;
  if (args.heap) mkdirSync(heapDir, { recursive: true });
  const stack = await startStack(
    false,
    args.heap ? ["--heap-prof", "--heap-prof-md", `--heap-prof-dir=${heapDir}`, `--heap-prof-name=${heapName}`] : [],
  );
  try {
    const ctx = targetContext(stack);
    let api = stack.api;
    let heapAt: ((label: string) => Promise<void>) | undefined;
    if (args.variant) {
      // The variant server (the API as startup.ts builds it) can report JSC object counts after a full GC.
      await stack.api.stop();
      const port = freePort();
      ctx.apiUrl = `http://127.0.0.1:${port}`;
      api = await startChild({
        name: `API variant ${args.variant}`,
        cmd: [process.execPath, join(benchDir, "src/servers/api-variant-server.ts")],
        env: { ...serviceEnv(stack.db, stack.fakeSwitch, port), SWITCHBOARD_BENCH_VARIANT: args.variant },
        ready: () => httpOk(`${ctx.apiUrl}/health`),
      });
      children.push(api);
      const snapshots = new Map<string, Record<string, number>>();
      heapAt = async (label: string) => {
        const stats = (await (await fetch(`${ctx.apiUrl}/__bench/heap`)).json()) as {
          heapSize: number;
          objectTypeCounts: Record<string, number>;
        };
        snapshots.set(label, stats.objectTypeCounts);
        log(`heap ${label}: ${(stats.heapSize / 2 ** 20).toFixed(1)} MiB of JS heap after a full GC`);
        const first = snapshots.values().next().value as Record<string, number>;
        if (snapshots.size > 1) {
          const growth = Object.entries(stats.objectTypeCounts)
            .map(([type, n]) => [type, n - (first[type] ?? 0)] as const)
            .sort((a, b) => b[1] - a[1])
            .slice(0, 12);
          log(`objects grown since the first snapshot: ${growth.map(([t, n]) => `${t} +${n}`).join(", ")}`);
        }
      };
    }
    const soak = await runSoak({
      ctx,
      api,
      ...(heapAt ? { heapAt } : {}),
      minutes: Number(args.minutes),
      connections: 10,
      machine: machineInfo(stack.db.serverVersion),
      log,
      ...(cases ? { cases } : {}),
    });
    log(
      `RSS first minute ${(soak.baselineKiB / 1024).toFixed(1)} MiB → last minute ${(soak.finalKiB / 1024).toFixed(1)} MiB (${soak.driftPercent.toFixed(1)}%), ${soak.totalRequests} requests`,
    );
    const audited = async () =>
      ((await stack.db.sql`select count(*)::int as n from switchboard_audit`) as unknown as [{ n: number }])[0].n;
    soak.auditRowsAtEnd = await audited();
    await Bun.sleep(10_000);
    soak.auditRowsTenSecondsLater = await audited();
    log(
      `audit rows when the load stopped: ${soak.auditRowsAtEnd} of ${soak.totalRequests} requests; 10 s later: ${soak.auditRowsTenSecondsLater}`,
    );
    if (cases || args.heap) {
      writeFileSync(join(resultsDir, `soak-${heapName}.json`), `${JSON.stringify(soak, null, 2)}\n`);
    } else if (!args["no-write"]) {
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
else if (args.cdr) await mainCdr();
else if (args.profile) await mainProfile(args.profile);
else if (args.variants) await mainVariants();
else if (args.soak) await mainSoak();
else await mainRun();
