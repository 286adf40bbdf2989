import autocannon from "autocannon";
import { CASES } from "./cases.ts";
import type { Child } from "./child.ts";
import { toAutocannonRequest } from "./load.ts";
import type { MachineInfo } from "./machine.ts";
import type { SoakResults } from "./results.ts";
import type { TargetContext } from "./targets.ts";

// cdr-list is left out: at ~4 req/s (a sequential scan, see RESULTS.md) it would throttle every connection.
const SOAK_CASES = [
  "legacy domain-details",
  "trpc domains.details",
  "legacy extension-list",
  "trpc calls.originate async",
];
const WARMUP_SECONDS = 60;
const SAMPLE_EVERY_MS = 5000;

/**
 * Memory soak: a mix of reads and async originates at `connections` for `minutes`, the API's RSS read
 * from /proc every 5 s. Flat means the last minute's mean RSS is within ±10% of the first minute's
 * after a 60 s warm-up (JIT, pools and caches filled).
 */
export async function runSoak(options: {
  ctx: TargetContext;
  api: Child;
  minutes: number;
  connections: number;
  machine: MachineInfo;
  log: (line: string) => void;
  /** Case ids to cycle through (default: the mix above). */
  cases?: string[];
  /** Called after the warm-up and at the end (JS heap object counts, when the server can report them). */
  heapAt?: (label: string) => Promise<void>;
}): Promise<SoakResults> {
  const chosen = options.cases ?? SOAK_CASES;
  const targets = CASES.filter((c) => chosen.includes(c.id)).map((c) => c.target(options.ctx));
  if (targets.length === 0) throw new Error(`no soak case among ${chosen.join(", ")}`);
  const origin = new URL(options.ctx.apiUrl).origin;
  const requests = targets.map(toAutocannonRequest);
  const startedAt = new Date().toISOString();
  const seconds = Math.round(options.minutes * 60);
  const samples: Array<{ seconds: number; rssKiB: number }> = [];
  const t0 = performance.now();
  const sample = () =>
    samples.push({ seconds: Math.round((performance.now() - t0) / 1000), rssKiB: options.api.rssKiB() });
  sample();
  const timer = setInterval(() => {
    sample();
    const last = samples[samples.length - 1]!;
    if (samples.length % 6 === 1) options.log(`soak ${last.seconds}s: API RSS ${(last.rssKiB / 1024).toFixed(1)} MiB`);
  }, SAMPLE_EVERY_MS);
  let non2xx = 0;
  const heapTimer = options.heapAt
    ? setTimeout(
        () => void options.heapAt?.("after warm-up").catch(() => {}),
        Math.min(WARMUP_SECONDS, seconds / 4) * 1000,
      )
    : null;
  const instance = autocannon({
    url: origin,
    connections: options.connections,
    duration: seconds,
    timeout: 10,
    requests,
  });
  instance.on("response", (_c: unknown, status: number) => {
    if (status < 200 || status > 299) non2xx++;
  });
  const result = await instance;
  clearInterval(timer);
  if (heapTimer) clearTimeout(heapTimer);
  sample();
  await options.heapAt?.("at the end").catch(() => {});

  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);
  const warmup = Math.min(WARMUP_SECONDS, seconds / 4);
  const afterWarmup = samples.filter((s) => s.seconds >= warmup);
  const baseline = mean(afterWarmup.filter((s) => s.seconds < warmup + 60).map((s) => s.rssKiB));
  const final = mean(samples.filter((s) => s.seconds >= seconds - 60).map((s) => s.rssKiB));
  const all = afterWarmup.map((s) => s.rssKiB);
  const drift = ((final - baseline) / baseline) * 100;
  return {
    startedAt,
    minutes: options.minutes,
    connections: options.connections,
    requests: chosen.join(", "),
    totalRequests: result.requests.total,
    rps: result.requests.total / seconds,
    non2xx,
    samples,
    baselineKiB: baseline,
    finalKiB: final,
    minKiB: Math.min(...all),
    maxKiB: Math.max(...all),
    driftPercent: drift,
    flat: Math.abs(drift) <= 10,
    machine: options.machine,
  };
}
