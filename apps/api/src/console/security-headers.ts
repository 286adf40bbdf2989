import type { MiddlewareHandler } from "hono";
import type { AppEnv } from "../env.ts";

/**
 * The console runs no script at all: every page is a server-rendered form, its one stylesheet from 'self'.
 * Nothing may frame it, and no page (a freshly shown secret above all) is kept in a cache.
 */
export const CONSOLE_CSP =
  "default-src 'self'; script-src 'none'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

export function securityHeaders(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    await next();
    c.header("Content-Security-Policy", CONSOLE_CSP);
    c.header("X-Frame-Options", "DENY");
    c.header("X-Content-Type-Options", "nosniff");
    c.header("Referrer-Policy", "same-origin");
    c.header("Cross-Origin-Opener-Policy", "same-origin");
    c.header("Cache-Control", "no-store");
  };
}
