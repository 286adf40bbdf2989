import autocannon from "autocannon";
import { CASES } from "./cases.ts";
import type { Child } from "./child.ts";
import { toAutocannonRequest } from "./load.ts";
import type { MachineInfo } from "./machine.ts";
import type { SoakResults } from "./results.ts";
import type { TargetContext } from "./targets.ts";

const SOAK_CASES = ["legacy domain-details", "trpc domains.details", "legacy extension-list", "legacy cdr-list", "trpc calls.originate async"];
const WARMUP_SECONDS = 30;
const SAMPLE_EVERY_MS = 5000;

/**
 * Memory soak: a mix of reads and async originates at `connections` for `minutes`, the API's RSS read
 * from /proc every 5 s. Flat means the last minute's mean RSS is within ±10% of the first minute's
 * after a 30 s warm-up (JIT, pools and caches filled).
 */
export async function runSoak(options: {
  ctx: TargetContext;
  api: Child;
  minutes: number;
  connections: number;
  machine: MachineInfo;
  log: (line: string) => void;
}): Promise<SoakResults> {
  const targets = CASES.filter((c) => SOAK_CASES.includes(c.id)).map((c) => c.target(options.ctx));
  const origin = new URL(options.ctx.apiUrl).origin;
  const requests = targets.map(toAutocannonRequest);
  const startedAt = new Date().toISOString();
  const seconds = Math.round(options.minutes * 60);
  const samples: Array<{ seconds: number; rssKiB: number }> = [];
  const t0 = performance.now();
  const sample = () => samples.push({ seconds: Math.round((performance.now() - t0) / 1000), rssKiB: options.api.rssKiB() });
  sample();
  const timer = setInterval(() => {
    sample();
    const last = samples[samples.length - 1]!;
    if (last.seconds % 30 === 0) options.log(`soak ${last.seconds}s: API RSS ${(last.rssKiB / 1024).toFixed(1)} MiB`);
  }, SAMPLE_EVERY_MS);
  let non2xx = 0;
  const instance = autocannon({ url: origin, connections: options.connections, duration: seconds, timeout: 10, requests });
  instance.on("response", (_c: unknown, status: number) => {
    if (status < 200 || status > 299) non2xx++;
  });
  const result = await instance;
  clearInterval(timer);
  sample();

  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);
  const afterWarmup = samples.filter((s) => s.seconds >= WARMUP_SECONDS);
  const baseline = mean(afterWarmup.filter((s) => s.seconds < WARMUP_SECONDS + 60).map((s) => s.rssKiB));
  const final = mean(samples.filter((s) => s.seconds >= seconds - 60).map((s) => s.rssKiB));
  const all = afterWarmup.map((s) => s.rssKiB);
  const drift = ((final - baseline) / baseline) * 100;
  return {
    startedAt,
    minutes: options.minutes,
    connections: options.connections,
    requests: SOAK_CASES.join(", "),
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
