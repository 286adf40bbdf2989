// `bun bench/webhooks.ts [--minutes 5] [--calls-per-minute 1000]`: calls' events appended to the event log at
// a steady rate, delivered by one webhook delivery worker (its own process) to a local receiver. Measures
// event → delivery latency, the worker's memory over the run and the tables' growth. Writes
// results/webhooks.json; `bun run bench --render` puts the figures in RESULTS.md.
import { spawn } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { parseArgs } from "node:util";
import { createTestDatabase } from "../packages/db/src/testing/index.ts";
import { loadAverage } from "./src/machine.ts";
import type { WebhookBenchResults } from "./src/webhook-results.ts";

const { values: args } = parseArgs({
  options: {
    minutes: { type: "string", default: "5" },
    "calls-per-minute": { type: "string", default: "1000" },
  },
});
const minutes = Number(args.minutes);
const callsPerMinute = Number(args["calls-per-minute"]);
const EVENTS = ["call.started", "call.ringing", "call.answered", "call.ended"];
const log = (line: string) => console.error(`[webhooks bench] ${line}`);

const loadBefore = loadAverage();
const db = await createTestDatabase({ migrate: true, prefix: "switchboard_bench_webhooks" });
const appendedAt = new Map<string, number>();
const latencies: number[] = [];
const seen = new Set<string>();
let duplicates = 0;

const receiver = Bun.serve({
  hostname: "127.0.0.1",
  port: 0,
  async fetch(request) {
    const id = request.headers.get("webhook-id") ?? "";
    await request.text();
    const sent = appendedAt.get(id);
    if (seen.has(id)) duplicates++;
    else if (sent !== undefined) {
      seen.add(id);
      latencies.push(performance.now() - sent);
    }
    return new Response("ok");
  },
});

const domain = crypto.randomUUID();
await db.sql`insert into v_domains (domain_uuid, domain_name, domain_enabled) values (${domain}::uuid, 'bench.example', true)`;
await db.sql`
  insert into switchboard_webhooks (webhook_uuid, domain_uuid, url, event_types, secret, start_seq)
  values (gen_random_uuid(), ${domain}::uuid, ${`http://127.0.0.1:${receiver.port}/hook`}, '{*}',
          'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw', 0)`;

const worker = spawn("bun", [join(import.meta.dir, "src/servers/webhook-worker.ts")], {
  env: { ...process.env, DATABASE_URL: db.url, NODE_ENV: "production" },
  stdio: ["pipe", "pipe", "inherit"],
});
const lines = createInterface({ input: worker.stdout! });
const pending: Array<(line: string) => void> = [];
lines.on("line", (line) => pending.shift()?.(line));
const nextLine = () => new Promise<string>((resolve) => pending.push(resolve));
const ready = await nextLine();
if (ready !== "ready") throw new Error(`worker said ${ready}`);

const memory: WebhookBenchResults["memory"] = [];
const started = performance.now();
async function sampleMemory() {
  worker.stdin!.write("rss\n");
  const [, rss, heap] = (await nextLine()).split(" ");
  memory.push({
    seconds: Math.round((performance.now() - started) / 1000),
    rssKiB: Number(rss),
    heapKiB: Number(heap),
  });
}

// Calls start at a steady rate; each call's four events follow 1 s apart (like ringing, answer, hang-up).
const totalCalls = Math.round(minutes * callsPerMinute);
const intervalMs = 60_000 / callsPerMinute;
let appended = 0;
async function append(callId: string, step: number) {
  const id = `evt_${callId}_${step}`;
  appendedAt.set(id, performance.now());
  const [row] = await db.sql<{ seq: number }[]>`
    insert into switchboard_events (event_id, type, domain_uuid, call_id, call_seq, occurred_at, data)
    values (${id}, ${EVENTS[step]!}, ${domain}::uuid, ${callId}::uuid, ${step + 1}, now(),
            ${JSON.stringify({ caller: "+12065550100", destination: "100" })}::jsonb)
    returning seq`;
  await db.sql`select pg_notify('switchboard_events', ${String(row!.seq)})`;
  appended++;
}

log(`${totalCalls} calls over ${minutes} min`);
const memoryTimer = setInterval(() => void sampleMemory(), 10_000);
await sampleMemory();
const inFlight = new Set<Promise<void>>();
for (let i = 0; i < totalCalls; i++) {
  const due = started + i * intervalMs;
  const wait = due - performance.now();
  if (wait > 0) await Bun.sleep(wait);
  const callId = crypto.randomUUID();
  const call = (async () => {
    for (let step = 0; step < EVENTS.length; step++) {
      await append(callId, step);
      if (step < EVENTS.length - 1) await Bun.sleep(1000);
    }
  })();
  inFlight.add(call);
  void call.finally(() => inFlight.delete(call));
  if (i % callsPerMinute === 0 && i > 0) log(`${i} calls, ${appended} events appended, ${seen.size} delivered`);
}
await Promise.all(inFlight);
const deadline = performance.now() + 60_000;
while (seen.size < appended && performance.now() < deadline) await Bun.sleep(200);
clearInterval(memoryTimer);
await sampleMemory();
worker.stdin!.write("stop\n");
await new Promise((resolve) => worker.once("exit", resolve));

const [sizes] = await db.sql<{ events: number; events_bytes: number; deliveries: number; deliveries_bytes: number }[]>`
  select (select count(*) from switchboard_events)::int as events,
         pg_total_relation_size('switchboard_events')::float8 as events_bytes,
         ((select count(*) from switchboard_webhook_deliveries) + (select count(*) from switchboard_webhook_attempts))::int as deliveries,
         (pg_total_relation_size('switchboard_webhook_deliveries') + pg_total_relation_size('switchboard_webhook_attempts'))::float8 as deliveries_bytes`;
receiver.stop(true);
await db.drop();

latencies.sort((a, b) => a - b);
const pick = (p: number) => latencies[Math.min(latencies.length - 1, Math.ceil((p / 100) * latencies.length) - 1)] ?? 0;
const result: WebhookBenchResults = {
  measuredAt: new Date().toISOString(),
  loadAverageBefore: loadBefore,
  loadAverageAfter: loadAverage(),
  minutes,
  callsPerMinute,
  eventsPerCall: EVENTS.length,
  eventsAppended: appended,
  delivered: seen.size,
  duplicates,
  missing: appended - seen.size,
  latencyMs: { p50: pick(50), p90: pick(90), p99: pick(99), max: latencies[latencies.length - 1] ?? 0 },
  memory,
  eventLogRows: sizes!.events,
  eventLogBytes: sizes!.events_bytes,
  deliveryRows: sizes!.deliveries,
  deliveryBytes: sizes!.deliveries_bytes,
};
writeFileSync(join(import.meta.dir, "results", "webhooks.json"), `${JSON.stringify(result, null, 2)}\n`);
log(
  `delivered ${result.delivered}/${appended}, p99 ${result.latencyMs.p99.toFixed(1)} ms; wrote bench/results/webhooks.json`,
);
process.exit(0);
