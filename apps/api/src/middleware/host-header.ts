import type { MiddlewareHandler } from "hono";
import { getPath } from "hono/utils/url";
import type { AppEnv } from "../env.ts";

const LABEL = "[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?";
const NAME = `${LABEL}(?:\\.${LABEL})*\\.?`;
const IPV6 = "\\[[0-9A-Fa-f:.]{2,45}\\]";
const HOST = new RegExp(`^(?:${NAME}|${IPV6})(?::(\\d{1,5}))?$`);

/** A Host header that names a server: a DNS name, an IPv4 address or a bracketed IPv6 one, with an optional port. */
export function isValidHost(host: string): boolean {
  if (host.length === 0 || host.length > 260) return false;
  const match = HOST.exec(host);
  if (!match) return false;
  const port = match[1];
  return port === undefined || (Number(port) >= 1 && Number(port) <= 65535);
}

/**
 * The request's path for routing. Bun hands over a path-only URL (`/health`) when the Host header cannot
 * make an absolute one (or there is none, as HTTP/1.0 allows); Hono's own parser expects an absolute URL.
 */
export function requestPath(request: Request): string {
  const url = request.url;
  return getPath(url.startsWith("/") ? ({ url: `http://host${url}` } as Request) : request);
}

/**
 * A Host header that is not a host name is refused with 400 before anything reads it (it would otherwise
 * end up in URLs built from the request). A request without one (HTTP/1.0) goes on.
 */
export function hostHeader(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const host = c.req.header("host");
    if (host !== undefined && !isValidHost(host)) {
      c.set("refusal", "bad_host");
      return c.json({ error: "malformed Host header: send a host name like pbx.example.com or 127.0.0.1:3000" }, 400);
    }
    await next();
  };
}
