import { timingSafeEqual } from "node:crypto";

/**
 * The per-session token every console form carries, compared in constant time. With SameSite=Strict on the
 * session cookie and the origin check (origin.ts), a page elsewhere cannot make a signed-in browser change
 * anything: it can neither send the cookie nor know the token.
 */
export function csrfTokenMatches(expected: string, sent: unknown): boolean {
  if (typeof sent !== "string" || sent.length !== expected.length) return false;
  return timingSafeEqual(Buffer.from(sent), Buffer.from(expected));
}
