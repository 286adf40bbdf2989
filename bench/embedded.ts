// `bun bench/embedded.ts`: measures the embedded demo database (start-up cold, warm and joining, stop,
// disk, memory, several API processes at once) and, with `--workers`, the API at SWITCHBOARD_WORKERS=1 vs 2.
// Writes results/embedded.json; `bun run bench --render` puts the figures in RESULTS.md.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import {
  connectDatabase,
  findPostgresBinaries,
  DEMO_DOMAIN_NAME,
  DEMO_DOMAIN_UUID,
  DEMO_KEY_ID,
  DEMO_KEY_SECRET,
  stopEmbeddedServer,
} from "../packages/db/src/index.ts";
import { type LoadResult, loadTest } from "./src/load.ts";
import { loadAverage, machineInfo } from "./src/machine.ts";

const { values: args } = parseArgs({
  options: {
    rounds: { type: "string", default: "3" },
    seconds: { type: "string", default: "5" },
    workers: { type: "boolean", default: false },
  },
});
const rounds = Number(args.rounds);
const seconds = Number(args.seconds);
const benchDir = import.meta.dir;
const apiDir = join(benchDir, "..", "apps", "api");
const resultsPath = join(benchDir, "results", "embedded.json");
const log = (line: string) => console.log(`[bench embedded] ${line}`);

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
};

async function timed<T>(fn: () => Promise<T>): Promise<[number, T]> {
  const started = performance.now();
  const value = await fn();
  return [performance.now() - started, value];
}

const duKiB = (path: string) => Number(execFileSync("du", ["-sk", path], { encoding: "utf8" }).split("\t")[0]);

/** Proportional set size (shared pages split between the processes using them) of the server and its children. */
function serverPssKiB(pgData: string): { pssKiB: number; processes: number } {
  const postmaster = Number(readFileSync(join(pgData, "postmaster.pid"), "utf8").split("\n")[0]);
  const pids = [postmaster];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const ppid = Number(/^PPid:\s+(\d+)/m.exec(readFileSync(`/proc/${entry}/status`, "utf8"))?.[1]);
      if (ppid === postmaster) pids.push(Number(entry));
    } catch {
      // gone meanwhile
    }
  }
  let pssKiB = 0;
  for (const pid of pids) {
    try {
      pssKiB += Number(/^Pss:\s+(\d+)/m.exec(readFileSync(`/proc/${pid}/smaps_rollup`, "utf8"))?.[1] ?? 0);
    } catch {
      // gone meanwhile
    }
  }
  return { pssKiB, processes: pids.length };
}

interface ApiProcess {
  child: ReturnType<typeof Bun.spawn>;
  origin: string;
}

async function startApi(env: Record<string, string>): Promise<ApiProcess> {
  const child = Bun.spawn(["bun", "run", "src/server.ts"], {
    cwd: apiDir,
    env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", NODE_ENV: "production", ...env },
    stdout: "pipe",
    stderr: "pipe",
  });
  let text = "";
  const origin = await new Promise<string>((resolve, reject) => {
    const read = async (stream: ReadableStream<Uint8Array>) => {
      const decoder = new TextDecoder();
      for await (const chunk of stream) {
        text += decoder.decode(chunk);
        const match = /(http:\/\/127\.0\.0\.1:\d+)/.exec(text);
        if (match) resolve(match[1]!);
      }
    };
    void read(child.stdout as ReadableStream<Uint8Array>);
    void read(child.stderr as ReadableStream<Uint8Array>);
    void child.exited.then((code) => reject(new Error(`API exited with ${code}: ${text}`)));
  });
  return { child, origin };
}

async function stopApi(api: ApiProcess): Promise<void> {
  api.child.kill("SIGTERM");
  await api.child.exited;
}

const legacyDetails = (origin: string) => ({
  method: "POST" as const,
  url: `${origin}/app/rest_api/rest.php`,
  headers: { authorization: `Basic ${btoa(`${DEMO_KEY_ID}:${DEMO_KEY_SECRET}`)}` },
  body: JSON.stringify({ action: "domain-details", domain_name: DEMO_DOMAIN_NAME }),
});
const trpcDetails = (origin: string) => ({
  method: "GET" as const,
  url: `${origin}/trpc/domains.details?input=${encodeURIComponent(JSON.stringify({ domain_uuid: DEMO_DOMAIN_UUID }))}`,
  headers: { authorization: `Bearer ${DEMO_KEY_ID}:${DEMO_KEY_SECRET}` },
});

const brief = (r: LoadResult) => ({
  rps: Math.round(r.rps),
  p50: Number(r.p50Ms.toFixed(2)),
  p99: Number(r.p99Ms.toFixed(2)),
  non200: Object.values(r.unexpected).reduce((a, b) => a + b, 0),
  errors: r.errors + r.timeouts,
});

async function measureDatabase() {
  const cold: number[] = [];
  const warm: number[] = [];
  const joins: number[] = [];
  const stop: number[] = [];
  let diskKiB = 0;
  let idle = { pssKiB: 0, processes: 0 };
  for (let round = 0; round < rounds; round++) {
    const root = mkdtempSync(join(tmpdir(), "sb-bench-embedded-"));
    const pgData = join(root, "postgres");
    const options = { env: {}, configPaths: [] as string[], dataDir: pgData };
    try {
      const [coldMs, first] = await timed(() => connectDatabase(options));
      cold.push(coldMs);
      diskKiB = duKiB(pgData);
      const [joinMs, second] = await timed(() => connectDatabase(options));
      joins.push(joinMs);
      idle = serverPssKiB(pgData);
      await second.close();
      const [stopMs] = await timed(() => first.close());
      stop.push(stopMs);
      const [warmMs, again] = await timed(() => connectDatabase(options));
      warm.push(warmMs);
      await again.close();
    } finally {
      await stopEmbeddedServer(pgData).catch(() => {});
      rmSync(root, { recursive: true, force: true });
    }
    log(
      `round ${round + 1}: cold ${cold.at(-1)!.toFixed(0)} ms, warm ${warm.at(-1)!.toFixed(0)} ms, join ${joins.at(-1)!.toFixed(0)} ms, stop ${stop.at(-1)!.toFixed(0)} ms`,
    );
  }
  return {
    coldStartMs: Math.round(median(cold)),
    warmStartMs: Math.round(median(warm)),
    joinMs: Math.round(median(joins)),
    stopMs: Math.round(median(stop)),
    dataDiskMiB: Number((diskKiB / 1024).toFixed(1)),
    idleServerPssMiB: Number((idle.pssKiB / 1024).toFixed(1)),
    idleServerProcesses: idle.processes,
  };
}

/** Two API processes and the test's own reads on one demo database, 50 connections split across them. */
async function measureSharing() {
  const root = mkdtempSync(join(tmpdir(), "sb-bench-sharing-"));
  const pgData = join(root, "postgres");
  const holder = await connectDatabase({ env: {}, configPaths: [], dataDir: pgData });
  const env = { SWITCHBOARD_DATA_DIR: root, PORT: "0", SWITCHBOARD_WORKERS: "1" };
  try {
    const apis = await Promise.all([startApi(env), startApi(env)]);
    // No warm-up: every request of the run must be in the audit log afterwards.
    const [a, b] = await Promise.all(
      apis.map((api) => loadTest(legacyDetails(api.origin), { connections: 25, seconds })),
    );
    const busy = serverPssKiB(pgData);
    await Promise.all(apis.map(stopApi));
    const [audit] = await holder.sql<{ n: number }[]>`select count(*)::int as n from switchboard_audit`;
    return {
      twoProcesses: { a: brief(a!), b: brief(b!) },
      auditRows: audit?.n ?? 0,
      requestsServed: Math.round(a!.rps * a!.seconds + b!.rps * b!.seconds),
      busyServerPssMiB: Number((busy.pssKiB / 1024).toFixed(1)),
      busyServerProcesses: busy.processes,
    };
  } finally {
    await holder.close();
    await stopEmbeddedServer(pgData).catch(() => {});
    rmSync(root, { recursive: true, force: true });
  }
}

/**
 * The API at SWITCHBOARD_WORKERS=1 and 2 on the demo database, 50 connections, legacy and tRPC domain
 * details; `rounds` interleaved rounds (1, 2, 1, 2, …), the best round of each kept (a shared machine).
 */
async function measureWorkers() {
  const root = mkdtempSync(join(tmpdir(), "sb-bench-workers-"));
  const pgData = join(root, "postgres");
  const holder = await connectDatabase({ env: {}, configPaths: [], dataDir: pgData });
  const best: Record<string, { legacy: ReturnType<typeof brief>; trpc: ReturnType<typeof brief> }> = {};
  try {
    for (let round = 0; round < rounds; round++) {
      for (const workers of ["1", "2"]) {
        const api = await startApi({ SWITCHBOARD_DATA_DIR: root, PORT: "0", SWITCHBOARD_WORKERS: workers });
        const legacy = brief(await loadTest(legacyDetails(api.origin), { connections: 50, seconds, warmupSeconds: 1 }));
        const trpc = brief(await loadTest(trpcDetails(api.origin), { connections: 50, seconds, warmupSeconds: 1 }));
        await stopApi(api);
        const key = `workers=${workers}`;
        const kept = best[key];
        best[key] = {
          legacy: !kept || legacy.rps > kept.legacy.rps ? legacy : kept.legacy,
          trpc: !kept || trpc.rps > kept.trpc.rps ? trpc : kept.trpc,
        };
        log(
          `round ${round + 1}, workers=${workers}: legacy ${legacy.rps} req/s, tRPC ${trpc.rps} req/s (load ${loadAverage()})`,
        );
      }
    }
  } finally {
    await holder.close();
    await stopEmbeddedServer(pgData).catch(() => {});
    rmSync(root, { recursive: true, force: true });
  }
  return best;
}

const previous = (() => {
  try {
    return JSON.parse(readFileSync(resultsPath, "utf8"));
  } catch {
    return {};
  }
})();
const machine = machineInfo(`PostgreSQL ${findPostgresBinaries().version} (${findPostgresBinaries().packageName})`);
const result = args.workers
  ? {
      ...previous,
      workers: {
        measuredAt: new Date().toISOString(),
        loadAverage: loadAverage(),
        seconds,
        rounds,
        results: await measureWorkers(),
      },
    }
  : {
      ...previous,
      database: {
        measuredAt: new Date().toISOString(),
        machine,
        loadAverage: loadAverage(),
        rounds,
        ...(await measureDatabase()),
      },
      sharing: { seconds, ...(await measureSharing()) },
    };
writeFileSync(resultsPath, `${JSON.stringify(result, null, 2)}\n`);
log(`wrote ${resultsPath}`);
console.log(JSON.stringify(result, null, 2));
