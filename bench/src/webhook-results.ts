/** What `bun bench/webhooks.ts` records in results/webhooks.json. */
export interface WebhookBenchResults {
  measuredAt: string;
  loadAverageBefore: string;
  loadAverageAfter: string;
  minutes: number;
  callsPerMinute: number;
  eventsPerCall: number;
  eventsAppended: number;
  delivered: number;
  duplicates: number;
  missing: number;
  /** Event appended → delivery received, ms. */
  latencyMs: { p50: number; p90: number; p99: number; max: number };
  /** The worker process's memory, sampled every 10 s. */
  memory: { seconds: number; rssKiB: number; heapKiB: number }[];
  eventLogRows: number;
  eventLogBytes: number;
  deliveryRows: number;
  deliveryBytes: number;
}

export function renderWebhookSection(result: WebhookBenchResults | null): string[] {
  if (!result) return [];
  const first = result.memory.find((m) => m.seconds >= 60) ?? result.memory[0]!;
  const last = result.memory[result.memory.length - 1]!;
  const drift = ((last.rssKiB - first.rssKiB) / first.rssKiB) * 100;
  const mib = (kib: number) => (kib / 1024).toFixed(1);
  return [
    "## Webhook delivery (`bun bench/webhooks.ts`)",
    "",
    `- ${result.measuredAt}, load average before ${result.loadAverageBefore}, after ${result.loadAverageAfter}`,
    `- ${result.callsPerMinute.toLocaleString("en-US")} calls a minute for ${result.minutes} min, ${result.eventsPerCall} events each (call.started, call.ringing, call.answered, call.ended) appended to the event log; one endpoint subscribed to every event, a local receiver answering 200; one delivery worker process (the dispatcher every API process runs)`,
    `- ${result.eventsAppended.toLocaleString("en-US")} events appended, ${result.delivered.toLocaleString("en-US")} delivered, ${result.duplicates} duplicates, ${result.missing} missing`,
    `- Event appended → delivery received: p50 ${result.latencyMs.p50.toFixed(1)} ms, p90 ${result.latencyMs.p90.toFixed(1)} ms, **p99 ${result.latencyMs.p99.toFixed(1)} ms**, max ${result.latencyMs.max.toFixed(1)} ms`,
    `- Worker memory (RSS): ${mib(first.rssKiB)} MiB at ${first.seconds} s, ${mib(last.rssKiB)} MiB at ${last.seconds} s (${drift >= 0 ? "+" : ""}${drift.toFixed(1)}%); heap ${mib(first.heapKiB)} → ${mib(last.heapKiB)} MiB`,
    `- Growth: event log ${result.eventLogRows.toLocaleString("en-US")} rows, ${mib(result.eventLogBytes / 1024)} MiB; deliveries and attempts ${result.deliveryRows.toLocaleString("en-US")} rows, ${mib(result.deliveryBytes / 1024)} MiB (kept 30 days)`,
    "",
    "| t (s) | RSS MiB | heap MiB |",
    "|---:|---:|---:|",
    ...result.memory
      .filter((_, i) => i % 3 === 0)
      .map((m) => `| ${m.seconds} | ${mib(m.rssKiB)} | ${mib(m.heapKiB)} |`),
    "",
  ];
}
