import { outageError } from "@switchboard/core";
import type { SwitchHealth } from "@switchboard/esl";
import type { Context, Hono } from "hono";
import { withDeadline } from "./deadline.ts";
import { REFERENCE_PREFIX } from "./docs/docs-page.ts";
import type { AppDeps, AppEnv } from "./env.ts";
import { presentedCredentials } from "./middleware/credentials.ts";

/** How long one probe of the database and the switches answers every /health request (default 2 s). */
export const HEALTH_CACHE_MS = 2_000;
/** The audit sink counts as failing for this long after a write failed. */
const AUDIT_FAILURE_WINDOW_MS = 60_000;

interface DatabaseProbe {
  up: boolean;
  latency_ms: number | null;
  error?: string;
}

interface Probe {
  database: DatabaseProbe;
  switches: SwitchHealth[];
  checkedAt: Date;
}

/** What anyone may see: up or down per component, no names, addresses or errors. */
export interface PublicHealth {
  status: "ok" | "degraded" | "down";
  checked_at: string;
  database: { up: boolean };
  switches: { up: boolean }[];
  audit: { up: boolean };
}

/** What an admin key sees besides: latencies, switch names (host:port), causes, the audit sink's counters. */
export interface DetailedHealth {
  status: PublicHealth["status"];
  checked_at: string;
  database: DatabaseProbe;
  switches: { name: string; up: boolean; latency_ms: number | null; error?: string }[];
  audit: {
    up: boolean;
    written: number;
    failed: number;
    dropped: number;
    buffered: number;
    last_error: { message: string; at: string } | null;
  } | null;
}

async function databaseHealth(deps: AppDeps): Promise<DatabaseProbe> {
  const started = performance.now();
  try {
    await withDeadline(deps.sql`select 1`.execute(), deps.databaseDeadlineMs ?? 3_000);
    return { up: true, latency_ms: Math.round((performance.now() - started) * 10) / 10 };
  } catch (error) {
    const code = (error as { code?: unknown } | null)?.code;
    return {
      up: false,
      latency_ms: null,
      error: code === "CONNECT_TIMEOUT" || code === "ETIMEDOUT" ? "no answer" : "unreachable",
    };
  }
}

async function probe(deps: AppDeps): Promise<Probe> {
  const [database, switches] = await Promise.all([
    databaseHealth(deps),
    withDeadline(deps.switches.health(), 5_000, "switch health").catch(() =>
      deps.switches.switches.map((s) => ({ switch: s.name, up: false, latencyMs: null, error: "no answer" })),
    ),
  ]);
  return { database, switches, checkedAt: new Date() };
}

/**
 * One probe at a time, reused for `ttlMs` after it finished: a flood of /health requests costs at most one
 * `select 1` and one switch command per switch every `ttlMs`, and concurrent requests share the probe in flight.
 */
export function cachedProbe<T>(run: () => Promise<T>, ttlMs: number): () => Promise<T> {
  let last: { value: T; at: number } | null = null;
  let inFlight: Promise<T> | null = null;
  return () => {
    if (last && performance.now() - last.at < ttlMs) return Promise.resolve(last.value);
    inFlight ??= run()
      .then((value) => {
        last = { value, at: performance.now() };
        return value;
      })
      .finally(() => {
        inFlight = null;
      });
    return inFlight;
  };
}

function auditHealth(deps: AppDeps): DetailedHealth["audit"] {
  const stats = deps.audit.stats?.();
  if (!stats) return null;
  const failedAt = stats.lastError ? Date.parse(stats.lastError.at) : Number.NaN;
  return {
    up: !(Date.now() - failedAt < AUDIT_FAILURE_WINDOW_MS),
    written: stats.written,
    failed: stats.failed,
    dropped: stats.dropped,
    buffered: stats.buffered,
    last_error: stats.lastError,
  };
}

function detailed(result: Probe, deps: AppDeps): DetailedHealth {
  const audit = auditHealth(deps);
  const up = result.switches.every((s) => s.up) && (audit?.up ?? true);
  return {
    status: !result.database.up ? "down" : up ? "ok" : "degraded",
    checked_at: result.checkedAt.toISOString(),
    database: result.database,
    switches: result.switches.map((s) => ({
      name: s.switch,
      up: s.up,
      latency_ms: s.latencyMs,
      ...(s.error ? { error: s.error } : {}),
    })),
    audit,
  };
}

/** The admin's view, probed now (no cache): what the web console's health page shows. */
export async function detailedHealth(deps: AppDeps): Promise<DetailedHealth> {
  return detailed(await probe(deps), deps);
}

function publicView(health: DetailedHealth): PublicHealth {
  return {
    status: health.status,
    checked_at: health.checked_at,
    database: { up: health.database.up },
    switches: health.switches.map((s) => ({ up: s.up })),
    audit: { up: health.audit?.up ?? true },
  };
}

/** Whether the request carries an admin key: only then are names, addresses and causes shown. */
async function isAdmin(
  c: Context<AppEnv>,
  deps: AppDeps,
): Promise<boolean | { refused: "unauthorized" } | { refused: "rate_limited"; retryAfterSeconds: number }> {
  const { credentials } = presentedCredentials(c, { allowBearer: true });
  if (!credentials) return false;
  try {
    const outcome = await withDeadline(
      deps.authenticator.authenticate(credentials, c.get("address")),
      deps.databaseDeadlineMs ?? 4_000,
    );
    if (!outcome.ok) {
      c.set("refusal", outcome.reason === "rate_limited" ? "rate_limited" : "bad_credentials");
      return outcome.reason === "rate_limited"
        ? { refused: "rate_limited", retryAfterSeconds: outcome.retryAfterSeconds }
        : { refused: "unauthorized" };
    }
    c.set("keyId", outcome.key.keyId);
    return outcome.key.scopes.has("admin");
  } catch (error) {
    if (outageError(error)) return false;
    throw error;
  }
}

/**
 * `GET /health`: up or down for the database, each switch and the audit sink (200, or 503 when the database
 * is down). An admin key (Basic or Bearer) also sees latencies, switch names and the audit sink's counters.
 */
export function mountHealth(app: Hono<AppEnv>, deps: AppDeps): void {
  const current = cachedProbe(() => probe(deps), deps.healthCacheMs ?? HEALTH_CACHE_MS);
  const answer = async (c: Context<AppEnv>) => {
    const [admin, result] = await Promise.all([isAdmin(c, deps), current()]);
    if (typeof admin === "object") {
      if (admin.refused === "unauthorized") return c.json({ error: "unauthorized" }, 401);
      c.header("Retry-After", String(admin.retryAfterSeconds));
      return c.json({ error: "too many failed authentication attempts" }, 429);
    }
    const health = detailed(result, deps);
    c.header("Cache-Control", "no-store");
    return c.json(admin ? health : publicView(health), result.database.up ? 200 : 503);
  };
  app.get("/health", answer);
  app.get(`${REFERENCE_PREFIX}health`, answer);
}
