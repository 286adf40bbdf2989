import { createSql, type Sql } from "../../packages/db/src/index.ts";
import { migrate } from "../../packages/db/src/migrate.ts";
import { type SeededKey, type SeededTenant, seedKey, seedTenant } from "./seed.ts";

const DEFAULT_SERVER = "postgres://postgres@127.0.0.1:5432/postgres";

export interface BenchDatabase {
  url: string;
  /** A human description without credentials. */
  description: string;
  sql: Sql;
  tenant: SeededTenant;
  /** Smaller neighbours, so that nothing is single-tenant by accident. */
  neighbours: SeededTenant[];
  key: SeededKey;
  serverVersion: string;
  seedSeconds: number;
  /** Drops the database if the bench created it. */
  close(): Promise<void>;
}

export const TENANT_SHAPE = {
  domainName: "bench.switchboard.test",
  extensions: 1000,
  destinations: 1000,
  ringGroups: 100,
  cdrs: 100_000,
  firstExtension: 1000,
  didPrefix: "1206555",
} as const;

/**
 * A database for one bench run: a fresh one on 127.0.0.1:5432 (dropped afterwards), or `DATABASE_URL`
 * as given (kept; the bench adds its own tenant next to whatever is there). Migrated with Switchboard's
 * migrations (FusionPBX's tables created if it has none), seeded, analysed.
 */
export async function prepareBenchDatabase(log: (line: string) => void): Promise<BenchDatabase> {
  const given = process.env.DATABASE_URL;
  let url: string;
  let dropName: string | null = null;
  if (given) {
    url = given;
  } else {
    dropName = `switchboard_bench_${Date.now()}`;
    const admin = createSql(DEFAULT_SERVER, { max: 1 });
    try {
      await admin.unsafe(`create database "${dropName}"`);
    } finally {
      await admin.end();
    }
    const u = new URL(DEFAULT_SERVER);
    u.pathname = `/${dropName}`;
    url = u.toString();
  }
  const parsed = new URL(url);
  const description = dropName
    ? `fresh database ${dropName} on ${parsed.host}`
    : `DATABASE_URL (${parsed.host}${parsed.pathname})`;
  log(`database: ${description}`);

  const sql = createSql(url, { max: Number(process.env.SWITCHBOARD_BENCH_POOL_MAX ?? 10) });
  try {
    const migration = await migrate(sql, { fusionpbx: "create-if-empty" });
    log(`migrations applied: ${migration.applied.length}, FusionPBX tables created: ${migration.fusionpbxCreated}`);
    const started = performance.now();
    const suffix = dropName ? "" : `-${Date.now()}`;
    const tenant = await seedTenant(sql, { ...TENANT_SHAPE, domainName: `${TENANT_SHAPE.domainName}${suffix}` });
    const neighbours: SeededTenant[] = [];
    for (let n = 1; n <= 4; n++) {
      neighbours.push(
        await seedTenant(sql, {
          domainName: `neighbour${n}.switchboard.test${suffix}`,
          extensions: 50,
          destinations: 50,
          ringGroups: 5,
          cdrs: 5_000,
          firstExtension: 1000,
          didPrefix: `120655${n}`,
        }),
      );
    }
    const key = await seedKey(sql, "bench");
    await sql`analyze`;
    const seedSeconds = (performance.now() - started) / 1000;
    log(
      `seeded tenant ${tenant.domainName} (${tenant.domainUuid}) and ${neighbours.length} neighbours in ${seedSeconds.toFixed(1)} s`,
    );
    const [{ version }] = (await sql`select current_setting('server_version') as version`) as unknown as [
      { version: string },
    ];
    return {
      url,
      description,
      sql,
      tenant,
      neighbours,
      key,
      serverVersion: version,
      seedSeconds,
      async close() {
        await sql.end({ timeout: 2 });
        if (dropName) {
          const admin = createSql(DEFAULT_SERVER, { max: 1 });
          try {
            await admin.unsafe(`drop database if exists "${dropName}" with (force)`);
          } finally {
            await admin.end();
          }
        }
      },
    };
  } catch (error) {
    await sql.end({ timeout: 1 });
    throw error;
  }
}
