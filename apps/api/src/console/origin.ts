import type { Context } from "hono";
import type { AppDeps } from "../env.ts";
import { publicOrigin } from "../middleware/client-address.ts";

/** The scheme, host and port the browser reaches the console at (PUBLIC_URL, else the request's own). */
export function consoleOrigin(c: Context, deps: AppDeps): string {
  const origin = publicOrigin(c, deps.publicUrl, deps.trustedProxies);
  try {
    return new URL(origin).origin;
  } catch {
    return origin;
  }
}

export const isHttps = (origin: string) => origin.startsWith("https:");

/**
 * A form post must come from the console's own origin: the browser's `Origin` header (sent on every POST by
 * current browsers), else its `Referer`. A post with neither, or from anywhere else, is refused.
 */
export function sameOrigin(c: Context, expected: string): boolean {
  const origin = c.req.header("origin");
  if (origin) return origin === expected;
  const referer = c.req.header("referer");
  if (!referer) return false;
  try {
    return new URL(referer).origin === expected;
  } catch {
    return false;
  }
}
