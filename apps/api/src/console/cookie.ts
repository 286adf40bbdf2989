import type { Context } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";

export const SESSION_COOKIE = "switchboard_console";
export const CONSOLE_PATH = "/console";

/**
 * HttpOnly (no script reads it), SameSite=Strict (no other site's page sends it), Path=/console (the API's
 * other routes never see it), Secure when the console is reached over https (PUBLIC_URL, or a trusted
 * proxy's X-Forwarded-Proto).
 */
export function setSessionCookie(c: Context, token: string, expires: Date, secure: boolean): void {
  setCookie(c, SESSION_COOKIE, token, {
    path: CONSOLE_PATH,
    httpOnly: true,
    sameSite: "Strict",
    secure,
    expires,
  });
}

export function clearSessionCookie(c: Context, secure: boolean): void {
  deleteCookie(c, SESSION_COOKIE, { path: CONSOLE_PATH, httpOnly: true, sameSite: "Strict", secure });
}

export function sessionToken(c: Context): string | undefined {
  return getCookie(c, SESSION_COOKIE);
}
