import { readdirSync, readFileSync } from "node:fs";
import autocannon, { type AutocannonRequest } from "autocannon";
import { type LatencySummary, summarise } from "./stats.ts";

/** One HTTP request shape; `dynamic` makes every request unique (creates, signed Slack requests). */
export interface HttpTarget {
  method: "GET" | "POST";
  url: string;
  headers?: Record<string, string>;
  body?: string;
  dynamic?: () => { body: string; headers?: Record<string, string> };
}

export interface LoadResult extends LatencySummary {
  connections: number;
  seconds: number;
  /** Completed responses per second (any status). */
  rps: number;
  /** Responses whose status was not the expected one, by status. */
  unexpected: Record<string, number>;
  errors: number;
  timeouts: number;
  /**
   * CPU time the server process spent per completed response (user + system, from /proc), when its pid is
   * known. Unlike the rate, it hardly moves when other processes compete for the cores.
   */
  cpuUsPerRequest?: number;
  /** CPU time every `postgres` process on this machine spent per completed response (the server's share). */
  dbCpuUsPerRequest?: number;
}

/** User + system CPU time of a process so far, in microseconds (Linux clock ticks of 10 ms). */
function cpuMicros(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    // Fields 14 and 15 of proc(5) (utime, stime); the slice starts at field 3.
    return (Number(fields[11]) + Number(fields[12])) * 10_000;
  } catch {
    return null;
  }
}

/** User + system CPU time of each process named `postgres` (the server and its backends), in microseconds. */
function postgresCpuMicros(): Map<number, number> {
  const byPid = new Map<number, number>();
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      if (stat.slice(stat.indexOf("(") + 1, stat.lastIndexOf(")")) !== "postgres") continue;
      byPid.set(Number(entry), cpuMicros(Number(entry)) ?? 0);
    } catch {
      // The process ended between the listing and the read.
    }
  }
  return byPid;
}

/** CPU PostgreSQL spent between two readings: backends that ended in between are not counted. */
function postgresCpuBetween(before: Map<number, number>, after: Map<number, number>): number {
  let total = 0;
  for (const [pid, micros] of after) total += micros - (before.get(pid) ?? 0);
  return total;
}

/**
 * Drives `target` with autocannon for `seconds` at `connections`, after an unmeasured warm-up.
 * Latencies are recorded from autocannon's per-response hrtime (sub-millisecond), not its 1 ms histogram.
 */
export async function loadTest(
  target: HttpTarget,
  options: { connections: number; seconds: number; warmupSeconds?: number; expectStatus?: number; pid?: number },
): Promise<LoadResult> {
  if (options.warmupSeconds && options.warmupSeconds > 0) {
    await runOnce(target, options.connections, options.warmupSeconds, options.expectStatus ?? 200);
  }
  const cpuBefore = options.pid === undefined ? null : cpuMicros(options.pid);
  const dbBefore = postgresCpuMicros();
  const result = await runOnce(target, options.connections, options.seconds, options.expectStatus ?? 200);
  const cpuAfter = options.pid === undefined ? null : cpuMicros(options.pid);
  const dbAfter = postgresCpuMicros();
  const completed = result.rps * result.seconds;
  if (cpuBefore !== null && cpuAfter !== null && completed > 0) {
    result.cpuUsPerRequest = (cpuAfter - cpuBefore) / completed;
  }
  if (completed > 0) result.dbCpuUsPerRequest = postgresCpuBetween(dbBefore, dbAfter) / completed;
  return result;
}

async function runOnce(
  target: HttpTarget,
  connections: number,
  seconds: number,
  expectStatus: number,
): Promise<LoadResult> {
  const url = new URL(target.url);
  const request = toAutocannonRequest(target);

  const latencies: number[] = [];
  const unexpected: Record<string, number> = {};
  const started = performance.now();
  const instance = autocannon({
    url: url.origin,
    connections,
    duration: seconds,
    timeout: 10,
    requests: [request],
  });
  instance.on("response", (_client: unknown, statusCode: number, _bytes: number, responseTime: number) => {
    if (statusCode === expectStatus) latencies.push(responseTime);
    else unexpected[String(statusCode)] = (unexpected[String(statusCode)] ?? 0) + 1;
  });
  const result = await instance;
  const elapsed = (performance.now() - started) / 1000;
  const completed = latencies.length + Object.values(unexpected).reduce((a, b) => a + b, 0);
  return {
    connections,
    seconds: elapsed,
    rps: completed / elapsed,
    unexpected,
    errors: result.errors,
    timeouts: result.timeouts,
    ...summarise(latencies),
  };
}

/** The target as one autocannon request; `dynamic` targets are rebuilt before every request. */
export function toAutocannonRequest(target: HttpTarget): AutocannonRequest {
  const url = new URL(target.url);
  const path = url.pathname + url.search;
  const dynamic = target.dynamic;
  if (!dynamic) return { method: target.method, path, headers: target.headers ?? {}, body: target.body ?? "" };
  return {
    method: target.method,
    path,
    headers: target.headers ?? {},
    setupRequest: (req) => {
      const next = dynamic();
      return { ...req, body: next.body, headers: { ...target.headers, ...next.headers } };
    },
  };
}
