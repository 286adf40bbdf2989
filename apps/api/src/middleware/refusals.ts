import type { RefusalReason, RefusalSink } from "@switchboard/core";
import type { Context, MiddlewareHandler } from "hono";
import type { AppEnv } from "../env.ts";
import { presentedCredentials } from "./credentials.ts";

/** The route a request came to, as written in `switchboard_refusals.face`; null for every other path. */
function faceOf(path: string): string | null {
  if (path === "/app/rest_api/rest.php") return "legacy";
  if (path === "/trpc" || path.startsWith("/trpc/")) return "trpc";
  if (path === "/health" || path === "/switchboard/health") return "health";
  if (path === "/console" || path.startsWith("/console/")) return "console";
  return null;
}

/** Why a face's 4xx was refused when no middleware said: from the status (and, for tRPC, the batch). */
function reasonOf(c: Context<AppEnv>, face: string, maxBatch: number): RefusalReason {
  const status = c.res.status;
  if (status === 413) return "body_too_large";
  if (status === 429) return "rate_limited";
  if (status === 401) return c.req.header("authorization") ? "bad_credentials" : "no_credentials";
  if (face === "trpc") {
    if (status === 404) return "unknown_procedure";
    if (status === 405) return "method_not_allowed";
    if (status === 400) {
      const batch = c.req.query("batch") === "1" || c.req.query("batch") === "true";
      const calls = c.req.path.slice("/trpc/".length).split(",").length;
      return batch && calls > maxBatch ? "batch_too_large" : "malformed_body";
    }
  }
  return "bad_request";
}

/**
 * Every refused request is counted in `switchboard_refusals` (see core's refusal sink): who presented which
 * key id from where, on which face, and why, before any action ran. (Requests that reached an action are
 * in the audit log.) Also sets `presentedKeyId` early, so the request log names the key on every refusal.
 */
export function refusals(sink: RefusalSink, maxBatch: number): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    // Set before the route runs, so the request log names the key on every refusal.
    const presented = presentedCredentials(c, { allowBearer: true }).keyId;
    await next();
    const face = faceOf(c.req.path);
    const explicit = c.get("refusal") as RefusalReason | undefined;
    const refused = c.res.status >= 400 && c.res.status < 500 && !c.get("actionRan");
    // The console's pages answer their own 4xx (a missing page, a form error); only what it names is counted.
    if (!explicit && !(refused && face && face !== "console")) return;
    sink.record({
      face: face ?? "http",
      reason: explicit ?? reasonOf(c, face ?? "http", maxBatch),
      keyId: c.get("keyId") ?? c.get("presentedKeyId") ?? presented,
      address: c.get("address"),
    });
  };
}
