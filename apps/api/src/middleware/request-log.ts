import type { Logger } from "@switchboard/runtime";
import type { MiddlewareHandler } from "hono";
import type { AppEnv } from "../env.ts";

/**
 * One log line per request, written after the response is ready: request id, method, path, status,
 * duration, address, the key id presented (and whether it verified), the action(s) run, and why a request
 * was refused (see refusals.ts; the reason is set by the middleware or route that refused it).
 */
export function requestLog(logger: Logger): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const started = performance.now();
    await next();
    const fields = {
      request_id: c.get("requestId"),
      method: c.req.method,
      path: c.req.path,
      status: c.res.status,
      duration_ms: Math.round((performance.now() - started) * 10) / 10,
      address: c.get("address"),
      key_id: c.get("keyId") ?? c.get("presentedKeyId") ?? null,
      key_verified: c.get("keyId") !== undefined,
      action: c.get("action") ?? null,
      refusal: c.get("refusal") ?? null,
    };
    if (c.res.status >= 500) logger.error(fields, "request");
    else logger.info(fields, "request");
  };
}
