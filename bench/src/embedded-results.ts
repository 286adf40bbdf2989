/** What `bun bench/embedded.ts` records in results/embedded.json. */
export interface EmbeddedResults {
  database?: {
    measuredAt: string;
    loadAverage: string;
    rounds: number;
    machine: { postgres?: string };
    coldStartMs: number;
    warmStartMs: number;
    joinMs: number;
    stopMs: number;
    dataDiskMiB: number;
    idleServerPssMiB: number;
    idleServerProcesses: number;
  };
  sharing?: {
    seconds: number;
    twoProcesses: Record<"a" | "b", Brief>;
    auditRows: number;
    requestsServed: number;
    busyServerPssMiB: number;
    busyServerProcesses: number;
  };
  workers?: {
    measuredAt: string;
    loadAverage: string;
    seconds: number;
    rounds?: number;
    results: Record<string, { legacy: Brief; trpc: Brief }>;
  };
}

interface Brief {
  rps: number;
  p50: number;
  p99: number;
  non200: number;
  errors: number;
}

const row = (name: string, b: Brief) => `| ${name} | ${b.rps} | ${b.p50} | ${b.p99} | ${b.non200 + b.errors} |`;

/** The embedded-database and workers sections of RESULTS.md. */
export function renderEmbeddedSection(results: EmbeddedResults | null): string[] {
  if (!results) return [];
  const out: string[] = [];
  const d = results.database;
  if (d) {
    out.push(
      "## Embedded demo database (`bun bench/embedded.ts`)",
      "",
      `- ${d.measuredAt}, load average ${d.loadAverage}; ${d.machine.postgres ?? "PostgreSQL"}; median of ${d.rounds} rounds, each in a fresh data directory`,
      "",
      "| what | measured |",
      "|---|---:|",
      `| cold start: initdb, start, FusionPBX tables, demo seed, until the first query answers | ${d.coldStartMs} ms |`,
      `| warm start: server stopped, data kept | ${d.warmStartMs} ms |`,
      `| joining a server another process runs | ${d.joinMs} ms |`,
      `| stop by the last process leaving (fast shutdown) | ${d.stopMs} ms |`,
      `| data directory after the first start | ${d.dataDiskMiB} MiB |`,
      `| server memory, idle (PSS of ${d.idleServerProcesses} processes) | ${d.idleServerPssMiB} MiB |`,
      "",
    );
  }
  const s = results.sharing;
  if (s) {
    out.push(
      `Two API processes on the one demo database, 25 connections each at once, legacy \`domain-details\`, ${s.seconds} s, no warm-up:`,
      "",
      "| process | req/s | p50 ms | p99 ms | errors |",
      "|---|---:|---:|---:|---:|",
      row("API 1", s.twoProcesses.a),
      row("API 2", s.twoProcesses.b),
      "",
      `Audit rows after both stopped: ${s.auditRows} for ${s.requestsServed} requests completed within the ${s.seconds} s, plus the ${s.auditRows - s.requestsServed} still in flight when the generator stopped (50 connections: at most 50), answered and audited after. Server memory under that load: ${s.busyServerPssMiB} MiB PSS (${s.busyServerProcesses} processes).`,
      "",
    );
  }
  const w = results.workers;
  if (w) {
    out.push(
      "## Workers: `SWITCHBOARD_WORKERS` = 1 vs 2 (`bun bench/embedded.ts --workers`)",
      "",
      `- ${w.measuredAt}, load average ${w.loadAverage}; demo database, 50 connections, ${w.seconds} s after 1 s warm-up${w.rounds ? `, best of ${w.rounds} interleaved rounds` : ""}; the load generator and PostgreSQL share the same 2 cores`,
      "",
      "| workers | case | req/s | p50 ms | p99 ms | errors |",
      "|---|---|---:|---:|---:|---:|",
      ...Object.entries(w.results).flatMap(([workers, r]) => [
        row(`${workers} | legacy \`domain-details\``, r.legacy),
        row(`${workers} | tRPC \`domains.details\``, r.trpc),
      ]),
      "",
      "On this machine (2 cores shared by several sessions, load average near 40) a second worker does not",
      "speed the API up: it slows it. The API, PostgreSQL and the load generator already compete for the same",
      "two cores, so a second event loop adds its own overhead (its pool of connections, its caches warming, a",
      "second process to schedule) and no CPU. A hand check with autocannon against two independent API",
      "processes on one port (no supervisor) was slower than one process too, so the cost is not the",
      "supervisor's. The speed-up needs idle cores: on a small box that also runs FreeSWITCH and PostgreSQL,",
      "measure before keeping the default (one worker per core); `SWITCHBOARD_WORKERS=1` turns it off.",
      "",
    );
  }
  return out;
}
