import type { MiddlewareHandler } from "hono";
import type { AppEnv } from "../env.ts";

/** One JSON line per request, written after the response is ready. */
export function requestLog(log: (line: string) => void): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const started = performance.now();
    await next();
    log(
      JSON.stringify({
        time: new Date().toISOString(),
        level: c.res.status >= 500 ? "error" : "info",
        request_id: c.get("requestId"),
        method: c.req.method,
        path: c.req.path,
        status: c.res.status,
        duration_ms: Math.round((performance.now() - started) * 10) / 10,
        address: c.get("address"),
        key_id: c.get("keyId") ?? null,
        action: c.get("action") ?? null,
      }),
    );
  };
}
