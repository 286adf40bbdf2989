import { type CdrBenchResults, cdrSection } from "./cdr-bench.ts";
import { existsSync, readFileSync } from "node:fs";
import type { LoadResult } from "./load.ts";
import type { MachineInfo } from "./machine.ts";
import type { ReadName } from "./reads.ts";

export interface Measurement {
  connections: number;
  api: LoadResult;
  /** Same SQL, same client, no HTTP. */
  direct?: LoadResult;
  /** Same SQL behind a bare Bun.serve handler. */
  bare?: LoadResult;
}

export interface CaseResult {
  id: string;
  title: string;
  /** What one request is, in a few words. */
  request: string;
  ceiling?: ReadName;
  skipped?: string;
  measurements: Measurement[];
}

export interface Verdict {
  target: string;
  measured: string;
  met: boolean | null;
}

export interface RunResults {
  startedAt: string;
  finishedAt: string;
  machine: MachineInfo;
  loadAverageBefore: string;
  loadAverageAfter: string;
  database: { description: string; seedSeconds: number; tenant: string };
  settings: { seconds: number; warmupSeconds: number; rounds?: number; connections: number[]; apiPoolMax: string };
  bcryptVerifyMs: number;
  apiRssKiB: { start: number; end: number };
  cases: CaseResult[];
  verdicts: Verdict[];
}

export interface SoakResults {
  startedAt: string;
  minutes: number;
  connections: number;
  requests: string;
  totalRequests: number;
  rps: number;
  non2xx: number;
  samples: Array<{ seconds: number; rssKiB: number }>;
  /** Mean RSS over the first minute after warm-up, and over the last minute. */
  baselineKiB: number;
  finalKiB: number;
  minKiB: number;
  maxKiB: number;
  driftPercent: number;
  flat: boolean;
  machine: MachineInfo;
  /** switchboard_audit rows when the load stopped, and 10 s later (the audit sink's backlog). */
  auditRowsAtEnd?: number;
  auditRowsTenSecondsLater?: number;
}

const ms = (v: number) => (Number.isFinite(v) ? (v < 10 ? v.toFixed(2) : v.toFixed(1)) : "–");
const rate = (v: number | undefined) =>
  v === undefined || !Number.isFinite(v) ? "–" : Math.round(v).toLocaleString("en-US");
const ratio = (a: number, b: number | undefined) =>
  b && Number.isFinite(b) && b > 0 ? `${((a / b) * 100).toFixed(0)}%` : "–";

function failures(r: LoadResult): string {
  const parts = Object.entries(r.unexpected).map(([status, n]) => `${n}×${status}`);
  if (r.errors) parts.push(`${r.errors} errors`);
  if (r.timeouts) parts.push(`${r.timeouts} timeouts`);
  return parts.length ? parts.join(", ") : "0";
}

export function caseTable(c: CaseResult): string {
  if (c.skipped) return `_Not measured: ${c.skipped}_\n`;
  const hasCeiling = c.measurements.some((m) => m.direct || m.bare);
  const head = hasCeiling
    ? "| connections | req/s | p50 ms | p99 ms | failed | direct SQL req/s (p99) | bare Bun.serve req/s (p99) | vs bare | vs direct |\n|---:|---:|---:|---:|---|---:|---:|---:|---:|"
    : "| connections | req/s | p50 ms | p99 ms | max ms | failed |\n|---:|---:|---:|---:|---:|---|";
  const rows = c.measurements.map((m) =>
    hasCeiling
      ? `| ${m.connections} | ${rate(m.api.rps)} | ${ms(m.api.p50Ms)} | ${ms(m.api.p99Ms)} | ${failures(m.api)} | ${rate(m.direct?.rps)} (${ms(m.direct?.p99Ms ?? Number.NaN)}) | ${rate(m.bare?.rps)} (${ms(m.bare?.p99Ms ?? Number.NaN)}) | ${ratio(m.api.rps, m.bare?.rps)} | ${ratio(m.api.rps, m.direct?.rps)} |`
      : `| ${m.connections} | ${rate(m.api.rps)} | ${ms(m.api.p50Ms)} | ${ms(m.api.p99Ms)} | ${ms(m.api.maxMs)} | ${failures(m.api)} |`,
  );
  return [head, ...rows].join("\n") + "\n";
}

/** One line per measurement, for the console. */
export function consoleLine(c: CaseResult, m: Measurement): string {
  const parts = [
    c.id.padEnd(28),
    `c=${String(m.connections).padStart(2)}`,
    `${rate(m.api.rps).padStart(7)} req/s`,
    `p50 ${ms(m.api.p50Ms).padStart(6)} ms`,
    `p99 ${ms(m.api.p99Ms).padStart(6)} ms`,
    `failed ${failures(m.api)}`,
  ];
  if (m.api.cpuUsPerRequest !== undefined) parts.push(`cpu ${Math.round(m.api.cpuUsPerRequest)} µs/req`);
  if (m.api.dbCpuUsPerRequest !== undefined) parts.push(`db ${Math.round(m.api.dbCpuUsPerRequest)}`);
  if (m.bare) parts.push(`| bare ${rate(m.bare.rps)} req/s → ${ratio(m.api.rps, m.bare.rps)}`);
  if (m.bare?.cpuUsPerRequest !== undefined) parts.push(`cpu ${Math.round(m.bare.cpuUsPerRequest)} µs/req`);
  if (m.bare?.dbCpuUsPerRequest !== undefined) parts.push(`db ${Math.round(m.bare.dbCpuUsPerRequest)}`);
  if (m.direct) parts.push(`| direct ${rate(m.direct.rps)} q/s → ${ratio(m.api.rps, m.direct.rps)}`);
  return parts.join("  ");
}

function machineSection(m: MachineInfo): string {
  const pkgs = Object.entries(m.packages)
    .map(([k, v]) => `${k} ${v}`)
    .join(", ");
  return [
    `- CPU: ${m.cpuModel}; ${m.logicalCpus} logical CPUs (\`nproc\`: ${m.nproc}); ${m.memoryGiB} GiB RAM`,
    `- OS: ${m.os}, kernel ${m.kernel}`,
    `- Bun ${m.bun}; Node ${m.node ?? "absent"}; PostgreSQL ${m.postgres}`,
    `- Packages: ${pkgs}`,
  ].join("\n");
}

export interface VariantResults {
  at: string;
  loadAverage: string;
  seconds: number;
  rows: Array<{
    connections: number;
    name: string;
    rps: number;
    p50Ms: number;
    p99Ms: number;
    cpuUsPerRequest?: number;
    dbCpuUsPerRequest?: number;
  }>;
}

const VARIANT_LABELS: Record<string, string> = {
  bare: "bare Bun.serve handler (ceiling)",
  "as-is": "the API as it is",
  "no-audit": "no audit rows",
  "no-log": "no log lines",
  neither: "no audit rows and no log lines",
};

const micros = (value: number | undefined) => (value === undefined ? "–" : String(Math.round(value)));

function variantSection(v: VariantResults): string[] {
  const out = [
    `Legacy \`domain-details\`, best of 2 interleaved rounds of ${v.seconds} s each (${v.at}, load average ${v.loadAverage}); `,
    "the variants are `bench/src/servers/api-variant-server.ts`: the API built as `apps/api/src/startup.ts` builds it, with one change each.",
    "",
    "| connections | variant | req/s | vs bare | p50 ms | p99 ms | server CPU µs/req | PostgreSQL CPU µs/req |",
    "|---:|---|---:|---:|---:|---:|---:|---:|",
  ];
  for (const row of v.rows) {
    const bare = v.rows.find((r) => r.connections === row.connections && r.name === "bare");
    out.push(
      `| ${row.connections} | ${VARIANT_LABELS[row.name] ?? row.name} | ${rate(row.rps)} | ${ratio(row.rps, bare?.rps)} | ${ms(row.p50Ms)} | ${ms(row.p99Ms)} | ${micros(row.cpuUsPerRequest)} | ${micros(row.dbCpuUsPerRequest)} |`,
    );
  }
  out.push("");
  return out;
}

export function renderResults(
  run: RunResults | null,
  soak: SoakResults | null,
  notes: string | null,
  variants: VariantResults | null = null,
  cdr: CdrBenchResults | null = null,
): string {
  const out: string[] = ["# Switchboard benchmark results", ""];
  out.push(
    "Generated by `bun run bench` (and `bun run bench --soak` for the memory section) from `bench/results/*.json`; ",
    "the findings section is `bench/notes.md`, written by hand after reading the figures. Everything runs on ",
    "one machine over loopback: the load generator (autocannon, in the bench process), the API, PostgreSQL and ",
    "the fake switch share the same cores, so absolute figures are lower than on a dedicated server; the ratios ",
    "compare like with like (same generator, same machine, same minute).",
    "",
  );
  if (run) {
    out.push("## Run", "");
    out.push(
      `- ${run.startedAt} → ${run.finishedAt}; load average before ${run.loadAverageBefore}, after ${run.loadAverageAfter}`,
    );
    out.push(machineSection(run.machine));
    out.push(
      `- Database: ${run.database.description}; tenant: ${run.database.tenant}; seeded in ${run.database.seedSeconds.toFixed(1)} s`,
    );
    out.push(
      `- Each measurement: ${run.settings.warmupSeconds} s warm-up (not counted), then ${run.settings.seconds} s at ${run.settings.connections.join(", ")} connections${(run.settings.rounds ?? 1) > 1 ? `, ${run.settings.rounds} interleaved rounds (API, direct SQL, bare handler), the best round of each kept` : ""}; latencies are per request from autocannon's hrtime, percentiles by nearest rank over every successful response`,
    );
    out.push(`- Database pool: ${run.settings.apiPoolMax}`);
    out.push(`- One bcrypt verification of a \`$2y$10$\` key on this machine: ${ms(run.bcryptVerifyMs)} ms`);
    out.push(
      `- API resident memory: ${Math.round(run.apiRssKiB.start / 1024)} MiB after start-up, ${Math.round(run.apiRssKiB.end / 1024)} MiB at the end`,
      "",
    );
    out.push("## Targets", "", "| target | measured | met |", "|---|---|---|");
    for (const verdict of run.verdicts) {
      const v =
        verdict.target.startsWith("API memory flat") && soak
          ? {
              target: verdict.target,
              measured: `RSS ${(soak.baselineKiB / 1024).toFixed(0)} → ${(soak.finalKiB / 1024).toFixed(0)} MiB (${soak.driftPercent >= 0 ? "+" : ""}${soak.driftPercent.toFixed(1)}%) over ${soak.minutes} min, ${soak.totalRequests.toLocaleString("en-US")} requests`,
              met: soak.flat,
            }
          : verdict;
      out.push(`| ${v.target} | ${v.measured} | ${v.met === null ? "not measured" : v.met ? "yes" : "**no**"} |`);
    }
    out.push("");
    out.push("## Cases", "");
    for (const c of run.cases) {
      out.push(
        `### ${c.title}`,
        "",
        `${c.request}${c.ceiling ? ` Ceiling: the \`${c.ceiling}\` SQL.` : ""}`,
        "",
        caseTable(c),
      );
    }
  } else {
    out.push("_No benchmark run recorded yet._", "");
  }
  out.push("## Memory soak", "");
  if (soak) {
    out.push(
      `- ${soak.startedAt}: ${soak.minutes} min at ${soak.connections} connections of ${soak.requests}; ${soak.totalRequests.toLocaleString("en-US")} requests (${rate(soak.rps)} req/s), ${soak.non2xx} non-2xx`,
      ...(soak.auditRowsAtEnd !== undefined
        ? [
            `- Audit rows written when the load stopped: ${soak.auditRowsAtEnd.toLocaleString("en-US")} of ${soak.totalRequests.toLocaleString("en-US")} requests; 10 s later: ${soak.auditRowsTenSecondsLater?.toLocaleString("en-US")}`,
          ]
        : []),
      `- API RSS: first minute after warm-up ${(soak.baselineKiB / 1024).toFixed(1)} MiB, last minute ${(soak.finalKiB / 1024).toFixed(1)} MiB (drift ${soak.driftPercent.toFixed(1)}%), min ${(soak.minKiB / 1024).toFixed(1)}, max ${(soak.maxKiB / 1024).toFixed(1)} MiB → ${soak.flat ? "flat within ±10%" : "**not flat**"}`,
      "",
      "| t (s) | RSS MiB |",
      "|---:|---:|",
      ...soak.samples.filter((_, i) => i % 6 === 0).map((s) => `| ${s.seconds} | ${(s.rssKiB / 1024).toFixed(1)} |`),
      "",
    );
  } else {
    out.push("_No soak recorded yet (`bun run bench --soak`)._", "");
  }
  if (variants) out.push("## What the proposed fixes buy (measured)", "", ...variantSection(variants));
  if (cdr) out.push("## `cdr-list` on 1,000,000 CDRs (`bun run bench --cdr`)", "", ...cdrSection(cdr));
  if (notes) out.push("## Findings", "", notes.trim(), "");
  return out.join("\n");
}

export function readJson<T>(path: string): T | null {
  return existsSync(path) ? (JSON.parse(readFileSync(path, "utf8")) as T) : null;
}
