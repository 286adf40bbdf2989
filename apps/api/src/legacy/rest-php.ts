import { type ActionContext, type AnyAction, missingParameterReply, outageError, phpJsonEncode, phpTruthy, runLegacyAction } from "@switchboard/core";
import type { Hono } from "hono";
import { authenticateRequest, callerFor } from "../authenticate.ts";
import type { AppDeps, AppEnv } from "../env.ts";
import { decodeLegacyBody, legacyActionName } from "./decode-body.ts";

export const LEGACY_PATH = "/app/rest_api/rest.php";

/** A body exactly as PHP's json_encode writes it (no trailing newline), as JSON (a deliberate difference). */
function legacyResponse(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(phpJsonEncode(body), {
    status,
    headers: { "Content-Type": "application/json", "Cache-Control": "no-store", ...headers },
  });
}

/**
 * The original `rest.php` (original-actions.md §4.2): any method; Basic auth; the raw body JSON-decoded
 * whatever the Content-Type; `action` lower-cased; `app` refused; only registry actions, never a path.
 */
export function mountLegacyRoute(app: Hono<AppEnv>, deps: AppDeps, list: readonly AnyAction[]): void {
  const byName = new Map(list.map((a) => [a.name, a]));
  const log = deps.log ?? ((line: string) => console.log(line));
  app.all(LEGACY_PATH, async (c) => {
    let auth: Awaited<ReturnType<typeof authenticateRequest>>;
    try {
      auth = await authenticateRequest(c, deps, { allowBearer: false });
    } catch (error) {
      const outage = outageError(error);
      if (outage) return legacyResponse(503, { error: outage.message });
      throw error;
    }
    if (!auth.ok) {
      if (auth.reason === "rate_limited") {
        return legacyResponse(429, { error: "too many failed authentication attempts" }, { "Retry-After": String(auth.retryAfterSeconds) });
      }
      return legacyResponse(401, { error: "unauthorized" });
    }

    const body = decodeLegacyBody(await c.req.arrayBuffer());
    if (!body || !phpTruthy(body.action)) {
      const reply = missingParameterReply("action");
      return legacyResponse(reply.status, reply.body);
    }
    const name = legacyActionName(body.action);
    if (phpTruthy(body.app)) return legacyResponse(400, { error: { error: "unknown app" } });
    const action = name === null ? undefined : byName.get(name);
    if (!action) return legacyResponse(400, { error: "unknown action" });
    c.set("action", action.name);

    const ctx: ActionContext = {
      sql: deps.sql,
      schema: deps.schema,
      switches: deps.switches,
      caller: callerFor("legacy", c, auth),
      now: deps.now ?? (() => new Date()),
    };
    const reply = await runLegacyAction(action, ctx, body, {
      audit: deps.audit,
      onUnexpectedError: (error) =>
        log(
          JSON.stringify({
            time: new Date().toISOString(),
            level: "error",
            request_id: c.get("requestId"),
            message: `legacy action ${action.name} failed`,
            error: error instanceof Error ? `${error.name}: ${error.message}` : String(error),
          }),
        ),
    });
    return legacyResponse(reply.status, reply.body);
  });
}
