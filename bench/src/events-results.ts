import type { MachineInfo } from "./machine.ts";

/** What `bun bench/events.ts` records in results/events.json. */
export interface EventsBenchResults {
  measuredAt: string;
  loadAverage: string;
  machine: MachineInfo;
  minutes: number;
  callsPerMinute: number;
  calls: number;
  outcomes: { answered: number; busy: number; cancelled: number };
  elapsedSeconds: number;
  eventsExpected: number;
  eventsLogged: number;
  eventsPerCall: number;
  logBytesPerCall: number;
  logBytesPerEvent: number;
  dataBytesPerEvent: number;
  ingestLatencyMs: Latency;
  streamLatencyMs: Latency;
  rssMiB: { start: number; end: number; samples: Array<{ atSeconds: number; rssMiB: number }> };
}

interface Latency {
  count: number;
  p50: number;
  p99: number;
  max: number;
}

/** The PBX events section of RESULTS.md. */
export function renderEventsSection(r: EventsBenchResults | null): string[] {
  if (!r) return [];
  return [
    "## PBX events (`bun bench/events.ts`)",
    "",
    `- ${r.measuredAt}, load average ${r.loadAverage}; PostgreSQL ${r.machine.postgres}; one process runs the fake switch, the ingest and a live-stream subscriber`,
    `- ${r.calls} calls at ${r.callsPerMinute} a minute for ${r.minutes} min (${r.outcomes.answered} answered, ${r.outcomes.busy} busy, ${r.outcomes.cancelled} cancelled carrier calls); ${r.elapsedSeconds} s until the last call ended`,
    "",
    "| what | measured |",
    "|---|---:|",
    `| events logged / expected | ${r.eventsLogged} / ${r.eventsExpected} |`,
    `| events per call | ${r.eventsPerCall} |`,
    `| event-log growth per call (table, indexes, TOAST) | ${r.logBytesPerCall} bytes |`,
    `| per event (of which \`data\`) | ${r.logBytesPerEvent} bytes (${r.dataBytesPerEvent}) |`,
    `| ingest latency, switch event → committed in the log: p50 / p99 / max | ${r.ingestLatencyMs.p50} / ${r.ingestLatencyMs.p99} / ${r.ingestLatencyMs.max} ms |`,
    `| live stream latency, switch event → subscriber: p50 / p99 / max | ${r.streamLatencyMs.p50} / ${r.streamLatencyMs.p99} / ${r.streamLatencyMs.max} ms |`,
    `| process memory (RSS) start → end | ${r.rssMiB.start} → ${r.rssMiB.end} MiB |`,
    ...settled(r),
    "",
  ];
}

/** RSS after the first minute (the calls in flight have built up): flat means no leak per call. */
function settled(r: EventsBenchResults): string[] {
  const after = r.rssMiB.samples.filter((s) => s.atSeconds >= 60).map((s) => s.rssMiB);
  if (after.length < 2) return [];
  return [`| RSS from the first minute on, every 5 s: min – max | ${Math.min(...after)} – ${Math.max(...after)} MiB |`];
}
