import { readFileSync } from "node:fs";
import { cacheMethod } from "@switchboard/core";
import {
  checkRecommendedIndexes,
  connectFailureReason,
  createSql,
  type Env,
  FUSIONPBX_CONFIG_PATHS,
  MIGRATIONS,
  oneLine,
  resolveDatabaseConfig,
  type Sql,
} from "@switchboard/db";
import { createSwitchPool, resolveSwitchConfig } from "@switchboard/esl";

/** One finding: `ok` lines inform, the others are problems and make the command exit 1. */
export interface Finding {
  ok: boolean;
  text: string;
}

export interface DoctorOptions {
  env?: Env;
  /** config.conf locations when FUSIONPBX_CONFIG is unset (FusionPBX's own by default). */
  configPaths?: readonly string[];
  /** This machine's clock (ms since the epoch); tests shift it to see the clock check fail. */
  now?: () => number;
  /** Clock difference from the database above which the clock is a problem (default 2 s). */
  maxSkewMs?: number;
  connectTimeoutSeconds?: number;
}

const ok = (text: string): Finding => ({ ok: true, text });
const problem = (text: string): Finding => ({ ok: false, text });
const message = (error: unknown) => oneLine(error instanceof Error ? error.message : String(error));

function whoAmI(env: Env): string {
  return env.USER ?? env.LOGNAME ?? (process.getuid ? `uid ${process.getuid()}` : "this user");
}

/** FusionPBX's config.conf: which file, and whether this user can read it. */
function checkConfigFile(env: Env, paths: readonly string[]): Finding {
  const explicit = env.FUSIONPBX_CONFIG?.trim();
  const candidates = explicit ? [explicit] : paths;
  for (const path of candidates) {
    try {
      readFileSync(path, "utf8");
      return ok(`config.conf: ${path} is readable`);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === "ENOENT" || code === "ENOTDIR") continue;
      const reason =
        code === "EACCES"
          ? `not readable by ${whoAmI(env)} (add the user to the file's group, e.g. www-data)`
          : code === "EISDIR"
            ? "is a directory"
            : (code ?? message(error));
      return problem(`config.conf: ${path} ${reason}`);
    }
  }
  if (env.DATABASE_URL?.trim())
    return ok(`config.conf: none at ${candidates.join(" or ")}; DATABASE_URL is used instead`);
  return problem(`config.conf: none at ${candidates.join(" or ")}, and DATABASE_URL is not set`);
}

/** Which FusionPBX the schema is: 5.1 keeps its flags as text, 5.6 as boolean. */
async function fusionpbxVersion(sql: Sql): Promise<Finding> {
  const [facts] = await sql<{ domains: boolean; enabled: string | null; settings: boolean; software: boolean }[]>`
    select to_regclass('v_domains') is not null as domains,
      (select data_type from information_schema.columns where table_schema = current_schema() and table_name = 'v_extensions' and column_name = 'enabled') as enabled,
      to_regclass('v_settings') is not null as settings,
      to_regclass('v_software') is not null as software`;
  if (!facts?.domains || !facts.enabled)
    return problem(
      "FusionPBX: this database has no FusionPBX tables (v_domains, v_extensions); is it FusionPBX's database?",
    );
  // 5.6 turned 5.1's text flags ('true'/'false') into booleans; v_extensions.enabled is one of them.
  const version = facts.enabled === "boolean" ? "5.6" : facts.enabled === "text" ? "5.1" : null;
  const why = `v_extensions.enabled is ${facts.enabled}${facts.settings ? ", v_settings present" : ""}`;
  let recorded = "";
  if (facts.software) {
    const [row] = await sql<{ v: string | null }[]>`select software_version as v from v_software limit 1`;
    if (row?.v) recorded = `, v_software says ${row.v}`;
  }
  if (!version)
    return problem(`FusionPBX: a schema neither 5.1 nor 5.6 (${why}${recorded}); Switchboard is tested on 5.1 and 5.6`);
  return ok(`FusionPBX ${version} schema (${why}${recorded})`);
}

async function switchboardTables(sql: Sql): Promise<Finding> {
  const [present] = await sql<{ ok: boolean }[]>`select to_regclass('switchboard_schema_migrations') is not null as ok`;
  const applied = present?.ok
    ? (await sql<{ id: string }[]>`select id from switchboard_schema_migrations`).map((r) => r.id)
    : [];
  // FusionPBX's own tables are created by FusionPBX on a real install (the migration is skipped there).
  const ours = MIGRATIONS.filter((m) => m.kind === "switchboard");
  const missing = ours.filter((m) => !applied.includes(m.id)).map((m) => m.id);
  if (missing.length === 0) return ok(`Switchboard tables: all ${ours.length} migrations applied`);
  return problem(
    `Switchboard tables: ${missing.join(", ")} not applied; run: switchboard migrate (the API also applies them at start)`,
  );
}

async function clock(sql: Sql, now: () => number, maxSkewMs: number): Promise<Finding> {
  const before = now();
  const [row] = await sql<{ ms: string }[]>`select (extract(epoch from clock_timestamp()) * 1000)::text as ms`;
  const after = now();
  // Positive: the database is ahead, so this machine is behind.
  const skew = Number(row?.ms) - (before + after) / 2;
  const text = Math.abs(skew) < 1000 ? `${Math.round(Math.abs(skew))} ms` : `${(Math.abs(skew) / 1000).toFixed(1)} s`;
  if (Math.abs(skew) > maxSkewMs) {
    return problem(
      `clock: this machine is ${text} ${skew > 0 ? "behind" : "ahead of"} the database; key expiry and audit times compare both (turn on NTP: timedatectl set-ntp true)`,
    );
  }
  return ok(`clock: within ${text} of the database`);
}

async function indexes(sql: Sql): Promise<Finding[]> {
  const states = await checkRecommendedIndexes(sql);
  return states
    .filter((s) => s.state !== "no-table")
    .map((s) =>
      s.state === "present"
        ? ok(`index ${s.index.table} (${s.index.columns.join(", ")}): present as ${s.existing}`)
        : problem(
            `index ${s.index.table} (${s.index.columns.join(", ")}): ${s.state === "invalid" ? "invalid (an interrupted build)" : "missing"}, so ${s.index.why} slowly; run: ${s.index.create}; (or: switchboard migrate --indexes)`,
          ),
    );
}

async function switches(env: Env, sql: Sql): Promise<Finding[]> {
  let config: Awaited<ReturnType<typeof resolveSwitchConfig>>;
  try {
    config = await resolveSwitchConfig({ env, sql });
  } catch (error) {
    return [problem(`switch: ${message(error)}`)];
  }
  const pool = createSwitchPool({ switches: config.switches });
  try {
    const health = await pool.health();
    return health.map((h) =>
      h.up
        ? ok(
            `switch ${h.switch} (from ${config.source}): up, event-socket password accepted, answered in ${h.latencyMs} ms`,
          )
        : problem(`switch ${h.switch} (from ${config.source}): ${oneLine(h.error ?? "down")}`),
    );
  } finally {
    await pool.close();
  }
}

async function cache(sql: Sql): Promise<Finding> {
  const method = await cacheMethod(sql);
  return ok(
    method === "memcache"
      ? "cache: memcache (FusionPBX setting cache.method); Switchboard clears entries with FreeSWITCH's memcache delete"
      : "cache: file (FusionPBX setting cache.method); Switchboard clears entries through FreeSWITCH's clear_cache.lua",
  );
}

/** Every check, in order; checks that need the database are left out when it cannot be reached. */
export async function diagnose(options: DoctorOptions = {}): Promise<Finding[]> {
  const env = options.env ?? process.env;
  const findings: Finding[] = [checkConfigFile(env, options.configPaths ?? FUSIONPBX_CONFIG_PATHS)];
  let config: ReturnType<typeof resolveDatabaseConfig>;
  try {
    config = resolveDatabaseConfig(env, { configPaths: options.configPaths });
  } catch (error) {
    findings.push(problem(`database: ${message(error)}`));
    return findings;
  }
  if (config.source === "embedded" || !config.url) {
    findings.push(
      problem(
        "database: none configured; set DATABASE_URL or run on the FusionPBX server (it reads /etc/fusionpbx/config.conf)",
      ),
    );
    return findings;
  }
  const timeout = options.connectTimeoutSeconds ?? 5;
  const sql = createSql(config.url, { max: 2, connectTimeoutSeconds: timeout });
  try {
    const started = performance.now();
    let server: string;
    try {
      const [row] = await sql<{ v: string }[]>`select current_setting('server_version') as v`;
      server = row?.v ?? "?";
    } catch (error) {
      const where = new URL(config.url);
      findings.push(
        problem(
          `database: cannot use PostgreSQL at ${where.hostname}:${where.port || "5432"} (${config.source}): ${connectFailureReason(error, timeout)}`,
        ),
      );
      return findings;
    }
    const where = new URL(config.url);
    findings.push(
      ok(
        `database: PostgreSQL ${server} at ${where.hostname}:${where.port || "5432"}${where.pathname} (${config.source}) answered in ${Math.round(performance.now() - started)} ms`,
      ),
    );
    for (const check of [
      () => fusionpbxVersion(sql),
      () => switchboardTables(sql),
      () => cache(sql),
      () => clock(sql, options.now ?? Date.now, options.maxSkewMs ?? 2000),
    ]) {
      try {
        findings.push(await check());
      } catch (error) {
        findings.push(problem(`check failed: ${message(error)}`));
      }
    }
    findings.push(...(await switches(env, sql)));
    findings.push(...(await indexes(sql).catch((error) => [problem(`indexes: ${message(error)}`)])));
    return findings;
  } finally {
    await sql.end({ timeout: 2 });
  }
}

/** `switchboard doctor`: one line per finding, `ok` or `PROBLEM`; exit code 1 when there is a problem. */
export async function doctor(out: (line: string) => void, options: DoctorOptions = {}): Promise<number> {
  const findings = await diagnose(options);
  for (const f of findings) out(`${f.ok ? "ok      " : "PROBLEM "} ${f.text}`);
  const problems = findings.filter((f) => !f.ok).length;
  out(problems === 0 ? "doctor: no problem found" : `doctor: ${problems} problem${problems === 1 ? "" : "s"}`);
  return problems === 0 ? 0 : 1;
}
