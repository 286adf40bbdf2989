import {
  type AnyAction,
  createActionContext,
  missingParameterReply,
  phpJsonEncode,
  phpTruthy,
  runLegacyAction,
} from "@switchboard/core";
import type { Hono } from "hono";
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
 * The original `rest.php` (docs/original-api.md §2): any method; Basic auth; the raw body JSON-decoded
 * whatever the Content-Type; `action` lower-cased; `app` refused; only registry actions, never a path.
 */
export function mountLegacyRoute(app: Hono<AppEnv>, deps: AppDeps, list: readonly AnyAction[]): void {
  const byName = new Map(list.map((a) => [a.name, a]));
  app.all(LEGACY_PATH, async (c) => {
    const auth = c.get("auth");
    if (!auth?.caller) {
      const failure = auth?.failure;
      if (failure?.code === "SERVICE_UNAVAILABLE") return legacyResponse(503, { error: failure.message });
      if (failure?.code === "TOO_MANY_REQUESTS") {
        return legacyResponse(
          429,
          { error: "too many failed authentication attempts" },
          { "Retry-After": String(failure.retryAfterSeconds) },
        );
      }
      return legacyResponse(401, { error: "unauthorized" });
    }

    const body = decodeLegacyBody(await c.req.arrayBuffer());
    if (!body || !phpTruthy(body.action)) {
      c.set("refusal", body ? "missing_action" : "malformed_body");
      const reply = missingParameterReply("action");
      return legacyResponse(reply.status, reply.body);
    }
    const name = legacyActionName(body.action);
    if (phpTruthy(body.app)) {
      c.set("refusal", "unknown_app");
      return legacyResponse(400, { error: { error: "unknown app" } });
    }
    const action = name === null ? undefined : byName.get(name);
    if (!action) {
      c.set("refusal", "unknown_action");
      return legacyResponse(400, { error: "unknown action" });
    }
    c.set("action", action.name);
    c.set("actionRan", true);

    const ctx = createActionContext(deps, auth.caller);
    const reply = await runLegacyAction(action, ctx, body, {
      audit: deps.audit,
      onUnexpectedError: (error) =>
        deps.logger.error(
          {
            request_id: c.get("requestId"),
            error: error instanceof Error ? `${error.name}: ${error.message}` : String(error),
          },
          `legacy action ${action.name} failed`,
        ),
    });
    return legacyResponse(reply.status, reply.body);
  });
}
