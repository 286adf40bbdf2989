import type { MiddlewareHandler } from "hono";
import type { AppEnv } from "../env.ts";

const CLIENT_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** Every response carries `X-Request-Id`: the client's own if it sent a sane one, else a fresh uuid. */
export function requestId(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const offered = c.req.header("x-request-id");
    const id = offered && CLIENT_ID.test(offered) ? offered : crypto.randomUUID();
    c.set("requestId", id);
    await next();
    c.res.headers.set("X-Request-Id", id);
  };
}
