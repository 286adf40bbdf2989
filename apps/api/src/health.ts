import type { Context, Hono } from "hono";
import { REFERENCE_PREFIX } from "./docs/docs-page.ts";
import { withDeadline } from "./deadline.ts";
import type { AppDeps, AppEnv } from "./env.ts";

async function databaseHealth(deps: AppDeps): Promise<{ up: boolean; latency_ms: number | null; error?: string }> {
  const started = performance.now();
  try {
    await withDeadline(deps.sql`select 1`.execute(), deps.databaseDeadlineMs ?? 3_000);
    return { up: true, latency_ms: Math.round((performance.now() - started) * 10) / 10 };
  } catch (error) {
    // Unauthenticated endpoint: say what is wrong, not where the database is.
    const code = (error as { code?: unknown } | null)?.code;
    return {
      up: false,
      latency_ms: null,
      error: code === "CONNECT_TIMEOUT" || code === "ETIMEDOUT" ? "no answer" : "unreachable",
    };
  }
}

/** `GET /health`: the database and each switch, up or down with latency; 503 when the database is down. */
export function mountHealth(app: Hono<AppEnv>, deps: AppDeps): void {
  app.get("/health", (c) => healthAnswer(c, deps));
  app.get(`${REFERENCE_PREFIX}health`, (c) => healthAnswer(c, deps));
}

async function healthAnswer(c: Context<AppEnv>, deps: AppDeps): Promise<Response> {
  const [database, switches] = await Promise.all([
    databaseHealth(deps),
    withDeadline(deps.switches.health(), 5_000, "switch health").catch(() =>
      deps.switches.switches.map((s) => ({ switch: s.name, up: false, latencyMs: null, error: "no answer" })),
    ),
  ]);
  const body = {
    status: database.up && switches.every((s) => s.up) ? "ok" : database.up ? "degraded" : "down",
    database,
    switches: switches.map((s) => ({
      name: s.switch,
      up: s.up,
      latency_ms: s.latencyMs,
      ...(s.error ? { error: s.error } : {}),
    })),
  };
  return c.json(body, database.up ? 200 : 503);
}
