/**
 * `bun run bench --cdr`: `cdr-list` on a tenant with 1,000,000 CDRs, the newest page and a cursor page deep
 * in the past, without and with the index `migrate --indexes` creates. Requests go through the real API
 * (legacy route and tRPC) in this process, one at a time, so the figures are the action's latency.
 */
import { createAuditSink, createAuthenticator } from "../../packages/core/src/index.ts";
import { encodeCursor } from "../../packages/core/src/lists/cursor.ts";
import { createRecommendedIndexes, createSql, loadSchemaInfo, migrate } from "../../packages/db/src/index.ts";
import { createSwitchPool } from "../../packages/esl/src/index.ts";
import { startFakeSwitch } from "../../packages/esl/src/testing/index.ts";
import { silentLogger } from "../../packages/runtime/src/index.ts";
import { createApp } from "../../apps/api/src/app.ts";
import { loadAverage } from "./machine.ts";
import { seedKey, seedTenant } from "./seed.ts";
import { summarise } from "./stats.ts";

export interface CdrPageFigures {
  page: string;
  face: string;
  samples: number;
  p50Ms: number;
  maxMs: number;
  p99Ms: number;
  rows: number;
}

export interface CdrBenchResults {
  startedAt: string;
  loadBefore: string;
  loadAfter: string;
  cdrs: number;
  neighbourCdrs: number;
  seedSeconds: number;
  indexSeconds: number;
  /** Position of the deep cursor page (rows newer than it). */
  deepOffset: number;
  without: CdrPageFigures[];
  with: CdrPageFigures[];
  plans: { newest: string; deep: string };
}

const BASE = "postgres://postgres@127.0.0.1:5432/postgres";

export async function runCdrBench(options: {
  cdrs: number;
  samples: number;
  log: (line: string) => void;
}): Promise<CdrBenchResults> {
  const { log } = options;
  const name = `switchboard_bench_cdr_${Date.now()}`;
  const admin = createSql(BASE, { max: 1 });
  await admin.unsafe(`create database "${name}"`);
  await admin.end();
  const url = new URL(BASE);
  url.pathname = `/${name}`;
  const sql = createSql(url.toString(), { max: 10 });
  const fake = await startFakeSwitch();
  const switches = createSwitchPool({
    switches: [{ host: fake.host, port: fake.port, password: fake.password, name: fake.name }],
  });
  const audit = createAuditSink(sql);
  const authenticator = createAuthenticator(sql);
  let server: ReturnType<typeof Bun.serve> | null = null;
  try {
    await migrate(sql, { fusionpbx: "create-if-empty" });
    const seedStarted = performance.now();
    const neighbourCdrs = 100_000;
    const tenant = await seedTenant(sql, {
      domainName: "cdr.bench.switchboard.test",
      extensions: 100,
      destinations: 10,
      ringGroups: 2,
      cdrs: options.cdrs,
      firstExtension: 1000,
      didPrefix: "1206557",
    });
    await seedTenant(sql, {
      domainName: "neighbour.bench.switchboard.test",
      extensions: 10,
      destinations: 10,
      ringGroups: 1,
      cdrs: neighbourCdrs,
      firstExtension: 1000,
      didPrefix: "1206558",
    });
    const key = await seedKey(sql, "cdr bench");
    await sql`analyze v_xml_cdr`;
    const seedSeconds = (performance.now() - seedStarted) / 1000;
    log(
      `seeded ${options.cdrs.toLocaleString("en-US")} CDRs (+${neighbourCdrs.toLocaleString("en-US")} next door) in ${seedSeconds.toFixed(1)} s`,
    );

    const app = createApp({
      sql,
      schema: await loadSchemaInfo(sql),
      switches,
      audit,
      authenticator,
      logger: silentLogger,
    });
    server = Bun.serve({ hostname: "127.0.0.1", port: 0, fetch: app.fetch });
    const origin = `http://127.0.0.1:${server.port}`;

    // A cursor deep in the past: as if the client had paged to 90% of the tenant's history.
    const deepOffset = Math.floor(options.cdrs * 0.9);
    const [mark] = await sql<{ end_stamp: string; xml_cdr_uuid: string }[]>`
      select end_stamp, xml_cdr_uuid from v_xml_cdr where domain_uuid = ${tenant.domainUuid} and end_stamp is not null
      order by end_stamp desc offset ${deepOffset} limit 1`;
    if (!mark) throw new Error("no CDR at the deep offset");
    const deepCursor = encodeCursor([mark.end_stamp, mark.xml_cdr_uuid]);

    const pages = [
      { page: "newest 100", face: "legacy", body: { action: "cdr-list", domain_uuid: tenant.domainUuid } },
      {
        page: `cursor at row ${deepOffset.toLocaleString("en-US")}`,
        face: "legacy",
        body: { action: "cdr-list", domain_uuid: tenant.domainUuid, cursor: deepCursor },
      },
      { page: "newest 100", face: "tRPC", trpc: { domain_uuid: tenant.domainUuid } },
      {
        page: `cursor at row ${deepOffset.toLocaleString("en-US")}`,
        face: "tRPC",
        trpc: { domain_uuid: tenant.domainUuid, cursor: deepCursor },
      },
    ];
    const request = async (p: (typeof pages)[number]): Promise<number> => {
      const res = p.body
        ? await fetch(`${origin}/app/rest_api/rest.php`, {
            method: "POST",
            headers: { authorization: key.authorization },
            body: JSON.stringify(p.body),
          })
        : await fetch(`${origin}/trpc/cdr.list?input=${encodeURIComponent(JSON.stringify(p.trpc))}`, {
            headers: { authorization: key.authorization },
          });
      const text = await res.text();
      if (res.status !== 200) throw new Error(`${p.face} ${p.page}: status ${res.status}: ${text.slice(0, 200)}`);
      const parsed = JSON.parse(text) as unknown[] | { result: { data: { items: unknown[] } } };
      return Array.isArray(parsed) ? parsed.length : parsed.result.data.items.length;
    };
    const measure = async (samples: number): Promise<CdrPageFigures[]> => {
      const figures: CdrPageFigures[] = [];
      for (const p of pages) {
        const rows = await request(p); // warm-up, and the row count
        const times: number[] = [];
        for (let i = 0; i < samples; i++) {
          const started = performance.now();
          await request(p);
          times.push(performance.now() - started);
        }
        const { p50Ms, p99Ms, maxMs } = summarise(times);
        const f = { page: p.page, face: p.face, samples, p50Ms, p99Ms, maxMs, rows };
        log(
          `${f.face} ${f.page}: p50 ${f.p50Ms.toFixed(1)} ms, p99 ${f.p99Ms.toFixed(1)} ms (${samples} requests, ${rows} rows)`,
        );
        figures.push(f);
      }
      return figures;
    };

    const loadBefore = loadAverage();
    log("without the index:");
    const without = await measure(Math.max(5, Math.floor(options.samples / 20)));
    const indexStarted = performance.now();
    await createRecommendedIndexes(sql, (line) => log(line));
    await sql`analyze v_xml_cdr`;
    const indexSeconds = (performance.now() - indexStarted) / 1000;
    log("with the index:");
    const withIndex = await measure(options.samples);
    const explain = async (cursor: boolean) => {
      const cursorSql = cursor
        ? sql`and end_stamp <= ${mark.end_stamp}::timestamptz and (end_stamp < ${mark.end_stamp}::timestamptz or (end_stamp = ${mark.end_stamp}::timestamptz and xml_cdr_uuid <> all(${`{${mark.xml_cdr_uuid}}`}::uuid[])))`
        : sql``;
      const rows = await sql<{ "QUERY PLAN": string }[]>`explain (analyze, costs off, timing off, summary off)
        select * from v_xml_cdr where domain_uuid = ${tenant.domainUuid} ${cursorSql} order by end_stamp desc limit 100`;
      return rows.map((r) => r["QUERY PLAN"]).join("\n");
    };
    const plans = { newest: await explain(false), deep: await explain(true) };
    return {
      startedAt: new Date().toISOString(),
      loadBefore,
      loadAfter: loadAverage(),
      cdrs: options.cdrs,
      neighbourCdrs,
      seedSeconds,
      indexSeconds,
      deepOffset,
      without,
      with: withIndex,
      plans,
    };
  } finally {
    await server?.stop(true);
    await audit.flush().catch(() => {});
    authenticator.close();
    await switches.close();
    await fake.stop();
    await sql.end({ timeout: 1 });
    const dropper = createSql(BASE, { max: 1 });
    await dropper.unsafe(`drop database if exists "${name}" with (force)`);
    await dropper.end();
  }
}

export function cdrSection(r: CdrBenchResults): string[] {
  const row = (f: CdrPageFigures) =>
    `| ${f.face} | ${f.page} | ${f.p50Ms.toFixed(1)} | ${f.p99Ms.toFixed(1)} | ${f.maxMs.toFixed(1)} | ${f.samples} | ${f.rows} |`;
  const header = [
    "| face | page | p50 ms | p99 ms | max ms | requests | rows |",
    "| --- | --- | ---: | ---: | ---: | ---: | ---: |",
  ];
  return [
    `- ${r.startedAt}; load average before ${r.loadBefore}, after ${r.loadAfter}`,
    `- Tenant with ${r.cdrs.toLocaleString("en-US")} CDRs (and a neighbour with ${r.neighbourCdrs.toLocaleString("en-US")}), seeded in ${r.seedSeconds.toFixed(0)} s; requests one at a time through the API (HTTP on loopback, Basic auth).`,
    `- The deep page is the one after a cursor ${r.deepOffset.toLocaleString("en-US")} rows into the tenant's history.`,
    "",
    "Without the index (FusionPBX's own `(domain_uuid)` only):",
    "",
    ...header,
    ...r.without.map(row),
    "",
    `With \`npm run migrate -- --indexes\` (\`CREATE INDEX CONCURRENTLY … (domain_uuid, end_stamp DESC)\`, built in ${r.indexSeconds.toFixed(1)} s on ${(r.cdrs + r.neighbourCdrs).toLocaleString("en-US")} rows):`,
    "",
    ...header,
    ...r.with.map(row),
    "",
    "Plans with the index (newest page, then the deep cursor page):",
    "",
    "```",
    r.plans.newest,
    "",
    r.plans.deep,
    "```",
    "",
  ];
}
