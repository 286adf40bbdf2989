import { createSql, type Sql } from "./client.ts";
import {
  type DatabaseConfig,
  type DatabaseSource,
  type Env,
  resolveDatabaseConfig,
  type ResolveOptions,
} from "./config.ts";
import { seedDemo } from "./demo-seed.ts";
import { type EmbeddedDatabase, startEmbeddedDatabase } from "./embedded.ts";
import { DatabaseConnectError, oneLine } from "./errors.ts";
import { type FusionpbxMode, type MigrateResult, migrate } from "./migrate.ts";
import { loadSchemaInfo, type SchemaInfo } from "./schema-info.ts";

export interface ConnectOptions extends ResolveOptions {
  /** Environment to read DATABASE_URL / FUSIONPBX_CONFIG / SWITCHBOARD_DATA_DIR from; process.env by default. */
  env?: Env;
  /** Pool size for a real PostgreSQL (default 10); the embedded server gets at most its own connection limit. */
  max?: number;
  /** How long to wait for the first `select 1` (default 5 s). */
  connectTimeoutSeconds?: number;
  /**
   * Whether FusionPBX's tables may be created when the database has none. Default: "create-if-empty" for
   * the embedded database, "never" for a configured one (the `migrate` command does that explicitly).
   */
  fusionpbx?: FusionpbxMode;
  /** Overrides the embedded data directory (default .data/postgres or SWITCHBOARD_DATA_DIR/postgres). */
  dataDir?: string;
  /** Progress lines (embedded start-up, migrations applied). */
  log?: (line: string) => void;
}

export interface Database {
  sql: Sql;
  /** Live column types, read after migrating. */
  schema: SchemaInfo;
  source: DatabaseSource;
  description: string;
  embedded: boolean;
  /** The connection URL used (password included: never print it; use `description`). */
  url: string;
  migration: MigrateResult;
  /** True when the embedded database was created (and seeded with demo data) by this start. */
  created: boolean;
  close(): Promise<void>;
}

function addressOf(url: string): string {
  try {
    const u = new URL(url);
    return `${u.hostname}:${u.port || "5432"}`;
  } catch {
    return "<unparseable address>";
  }
}

function sourceLabel(config: DatabaseConfig): string {
  if (config.source === "config.conf") return `from FusionPBX config ${config.configPath}`;
  if (config.source === "embedded") return `embedded PostgreSQL at ${config.dataDir}`;
  return "from DATABASE_URL";
}

/** Turns a porsager/socket failure into a short reason. */
export function connectFailureReason(err: unknown, timeoutSeconds: number): string {
  const e = err as { code?: string; message?: string; severity?: string };
  switch (e?.code) {
    case "ECONNREFUSED":
      return "connection refused";
    case "ENOTFOUND":
    case "EAI_AGAIN":
      return "host not found";
    case "EHOSTUNREACH":
    case "ENETUNREACH":
      return "host unreachable";
    case "ETIMEDOUT":
    case "CONNECT_TIMEOUT":
      return `no answer within ${timeoutSeconds} s`;
    case "ECONNRESET":
    case "CONNECTION_CLOSED":
    case "CONNECTION_ENDED":
    case "CONNECTION_DESTROYED":
      return "the server closed the connection";
  }
  return oneLine(e?.message ?? String(err));
}

export function describeConnectFailure(
  err: unknown,
  config: DatabaseConfig,
  url: string,
  timeoutSeconds: number,
): string {
  const e = err as { severity?: string; code?: string };
  const where = `PostgreSQL at ${addressOf(url)} (${sourceLabel(config)})`;
  const reason = connectFailureReason(err, timeoutSeconds);
  // A PostgresError carries a severity: the server answered and refused (auth, missing database, …).
  return e?.severity ? `${where} refused the connection: ${reason}` : `cannot reach ${where}: ${reason}`;
}

async function checkReachable(sql: Sql, timeoutSeconds: number): Promise<void> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(Object.assign(new Error("timeout"), { code: "CONNECT_TIMEOUT" })),
      timeoutSeconds * 1000,
    );
  });
  try {
    await Promise.race([sql`select 1`, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Connects to the configured database (DATABASE_URL, FusionPBX's config.conf, or the embedded PostgreSQL
 * default), checks it answers, applies Switchboard's migrations and reads the live schema.
 * Failures throw DatabaseConnectError with a one-line message naming what was tried.
 */
export async function connectDatabase(options: ConnectOptions = {}): Promise<Database> {
  const env = options.env ?? process.env;
  const config = resolveDatabaseConfig(env, options);
  const timeoutSeconds = options.connectTimeoutSeconds ?? 5;
  const log = options.log ?? (() => {});

  let embedded: EmbeddedDatabase | null = null;
  let url: string;
  const max = options.max ?? 10;
  if (config.source === "embedded") {
    const dataDir = options.dataDir ?? config.dataDir!;
    config.dataDir = dataDir;
    config.description = config.description.replace(/^embedded PostgreSQL at \S+/, `embedded PostgreSQL at ${dataDir}`);
    embedded = await startEmbeddedDatabase({ dataDir, log });
    url = embedded.url;
  } else {
    url = config.url!;
  }

  const sql = createSql(url, { max, connectTimeoutSeconds: timeoutSeconds });
  const fail = async (err: unknown, message: string): Promise<never> => {
    await sql.end({ timeout: 0 }).catch(() => {});
    await embedded?.stop().catch(() => {});
    throw new DatabaseConnectError(message, { cause: err });
  };

  try {
    await checkReachable(sql, timeoutSeconds);
  } catch (err) {
    return fail(err, describeConnectFailure(err, config, url, timeoutSeconds));
  }

  let migration: MigrateResult;
  try {
    const mode = options.fusionpbx ?? (embedded ? "create-if-empty" : "never");
    // The demo seed runs in the same transaction that creates FusionPBX's tables, so an interrupted
    // first start never leaves an embedded database without its demo data.
    migration = await migrate(sql, {
      fusionpbx: mode,
      onFusionpbxCreated: embedded ? (tx) => seedDemo(tx) : undefined,
    });
    for (const id of migration.applied) log(`migration applied: ${id}`);
    if (embedded && migration.fusionpbxCreated) log("demo data seeded (domain fusionpbx.example.net, demo API key)");
  } catch (err) {
    return fail(
      err,
      `cannot prepare ${config.source === "embedded" ? "the embedded database" : `PostgreSQL at ${addressOf(url)} (${sourceLabel(config)})`}: ${oneLine(err instanceof Error ? err.message : String(err))}`,
    );
  }

  const schema = await loadSchemaInfo(sql);
  let closed = false;
  return {
    sql,
    schema,
    source: config.source,
    description: config.description,
    embedded: embedded !== null,
    url,
    migration,
    created: embedded !== null && migration.fusionpbxCreated,
    async close() {
      if (closed) return;
      closed = true;
      await sql.end({ timeout: 5 });
      await embedded?.stop();
    },
  };
}
