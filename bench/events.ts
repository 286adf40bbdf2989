// `bun bench/events.ts [--minutes 1] [--calls-per-minute 1000]`: PBX events through the pipeline. A fake
// FreeSWITCH plays calls (answered, busy, cancelled carrier calls) at the given rate to the event ingest
// (packages/core/src/events); measures the ingest latency (switch event time → committed in the event log),
// the live stream's latency (→ a subscriber of events.stream's generator), event-log growth per call and
// the process's memory. Writes results/events.json; `bun run bench --render` puts it in RESULTS.md.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { startEventIngest, streamEvents, type SwitchboardEvent } from "../packages/core/src/index.ts";
import { createTestDatabase } from "../packages/db/src/testing/index.ts";
import { fakePbx, startFakeSwitch } from "../packages/esl/src/testing/index.ts";
import type { EventsBenchResults } from "./src/events-results.ts";
import { loadAverage, machineInfo } from "./src/machine.ts";

const { values: args } = parseArgs({
  options: {
    minutes: { type: "string", default: "1" },
    "calls-per-minute": { type: "string", default: "1000" },
    "no-write": { type: "boolean", default: false },
  },
});
const minutes = Number(args.minutes);
const perMinute = Number(args["calls-per-minute"]);
const log = (line: string) => console.log(`[bench events] ${line}`);

const DOMAIN = { uuid: "be0c0000-0000-4000-8000-000000000001", name: "bench.example.com" };

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

function summary(values: number[]) {
  const sorted = [...values].sort((a, b) => a - b);
  return {
    count: sorted.length,
    p50: Number(percentile(sorted, 50).toFixed(2)),
    p99: Number(percentile(sorted, 99).toFixed(2)),
    max: Number((sorted.at(-1) ?? 0).toFixed(2)),
  };
}

const rssMiB = () => Math.round((process.memoryUsage().rss / 1024 / 1024) * 10) / 10;

const started = new Date();
const loadBefore = loadAverage();
const db = await createTestDatabase({ prefix: "sb_bench_events", dump: "fusionpbx-5.6-master", migrate: true });
const fake = await startFakeSwitch();
try {
  await db.sql`insert into v_domains (domain_uuid, domain_name, domain_enabled) values (${DOMAIN.uuid}, ${DOMAIN.name}, true)`;
  await db.sql`insert into v_destinations (destination_uuid, domain_uuid, destination_number, destination_enabled)
    values (${crypto.randomUUID()}, ${DOMAIN.uuid}, '15550100', true)`;
  for (let i = 0; i < 100; i++) {
    await db.sql`insert into v_extensions (extension_uuid, domain_uuid, extension, enabled)
      values (${crypto.randomUUID()}, ${DOMAIN.uuid}, ${String(1000 + i)}, true)`;
  }

  const ingestMs: number[] = [];
  const streamMs: number[] = [];
  const ingest = startEventIngest({
    sql: db.sql,
    switches: [{ host: fake.host, port: fake.port, password: fake.password, name: "bench-switch" }],
    onLogged: (events: SwitchboardEvent[]) => {
      const now = Date.now();
      for (const event of events) if (!event.reconciled) ingestMs.push(now - Date.parse(event.occurred_at));
    },
  });
  for (let i = 0; i < 200 && !ingest.status()[0]?.connected; i++) await Bun.sleep(50);
  await fake.waitForCommand("CUSTOM sofia::register", 5000);
  await ingest.settled();

  const stop = new AbortController();
  const subscriber = (async () => {
    for await (const event of streamEvents(db.sql, {}, null, stop.signal, { pollMs: 1000 })) {
      streamMs.push(Date.now() - Date.parse(event.occurred_at));
    }
  })();
  await Bun.sleep(200);

  const [sizeBefore] = await db.sql`select pg_total_relation_size('switchboard_events')::int8 as bytes`;
  const rssStart = rssMiB();
  const rssSamples: Array<{ atSeconds: number; rssMiB: number }> = [{ atSeconds: 0, rssMiB: rssStart }];
  const pbx = fakePbx(fake);
  const total = Math.round(minutes * perMinute);
  const gapMs = 60_000 / perMinute;
  const outcomes = { answered: 0, busy: 0, cancelled: 0 };
  const timers = new Set<ReturnType<typeof setTimeout>>();
  const later = (ms: number, fn: () => void) => {
    const timer = setTimeout(() => {
      timers.delete(timer);
      fn();
    }, ms);
    timers.add(timer);
  };
  log(`${total} calls at ${perMinute}/min for ${minutes} min`);
  const t0 = Date.now();
  const sampler = setInterval(
    () => rssSamples.push({ atSeconds: Math.round((Date.now() - t0) / 1000), rssMiB: rssMiB() }),
    5000,
  );
  for (let n = 0; n < total; n++) {
    const due = t0 + n * gapMs;
    const wait = due - Date.now();
    if (wait > 0) await Bun.sleep(wait);
    const ext = String(1000 + (n % 100));
    const to = String(1000 + ((n + 1) % 100));
    const kind = n % 20 < 14 ? "answered" : n % 20 < 17 ? "busy" : "cancelled";
    outcomes[kind]++;
    const call =
      kind === "cancelled"
        ? pbx.call({ domain: DOMAIN, from: `+1555${String(n).padStart(7, "0")}`, to: "15550100", direction: "inbound" })
        : pbx.call({ domain: DOMAIN, from: ext, to });
    call.start();
    call.ring({ user: to });
    if (kind === "answered") {
      later(500 + (n % 10) * 200, () => {
        call.answer();
        later(2000 + (n % 7) * 1000, () => call.hangup("NORMAL_CLEARING", 30));
      });
    } else if (kind === "busy") {
      later(300, () => call.hangup("USER_BUSY", 1));
    } else {
      later(1500 + (n % 5) * 300, () => call.hangup("ORIGINATOR_CANCEL", 8));
    }
  }
  while (timers.size > 0) await Bun.sleep(100);
  const expected = outcomes.answered * 4 + outcomes.busy * 3 + outcomes.cancelled * 4;
  for (let i = 0; i < 600 && ingestMs.length < expected; i++) await Bun.sleep(100);
  await ingest.settled();
  for (let i = 0; i < 100 && streamMs.length < ingestMs.length; i++) await Bun.sleep(100);
  clearInterval(sampler);
  rssSamples.push({ atSeconds: Math.round((Date.now() - t0) / 1000), rssMiB: rssMiB() });
  const elapsed = (Date.now() - t0) / 1000;

  const [sizeAfter] = await db.sql`select pg_total_relation_size('switchboard_events')::int8 as bytes`;
  const [rows] = await db.sql`select count(*)::int as n, coalesce(avg(pg_column_size(data)), 0)::float8 as data_bytes
    from switchboard_events where switch_host = 'bench-switch'`;
  stop.abort();
  await subscriber;
  await ingest.stop();

  const bytes = Number(sizeAfter!.bytes) - Number(sizeBefore!.bytes);
  const results: EventsBenchResults = {
    measuredAt: started.toISOString(),
    loadAverage: `${loadBefore} → ${loadAverage()}`,
    machine: machineInfo(String((await db.sql`show server_version`)[0]!.server_version)),
    minutes,
    callsPerMinute: perMinute,
    calls: total,
    outcomes,
    elapsedSeconds: Math.round(elapsed),
    eventsExpected: expected,
    eventsLogged: Number(rows!.n),
    eventsPerCall: Number((Number(rows!.n) / total).toFixed(2)),
    logBytesPerCall: Math.round(bytes / total),
    logBytesPerEvent: Math.round(bytes / Math.max(1, Number(rows!.n))),
    dataBytesPerEvent: Math.round(Number(rows!.data_bytes)),
    ingestLatencyMs: summary(ingestMs),
    streamLatencyMs: summary(streamMs),
    rssMiB: { start: rssStart, end: rssSamples.at(-1)!.rssMiB, samples: rssSamples },
  };
  log(JSON.stringify({ ...results, machine: undefined, rssMiB: { ...results.rssMiB, samples: undefined } }));
  if (!args["no-write"]) {
    writeFileSync(join(import.meta.dir, "results", "events.json"), `${JSON.stringify(results, null, 2)}\n`);
    log("wrote bench/results/events.json (bun run bench --render puts it in RESULTS.md)");
  }
} finally {
  await fake.stop();
  await db.drop();
}
