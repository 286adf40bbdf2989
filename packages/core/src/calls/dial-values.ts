import { z } from "zod";
import { badRequest } from "../errors.ts";
import { userText } from "../fusionpbx/text.ts";

/**
 * Every value that reaches a FreeSWITCH command is validated here (docs/original-api.md §7): no comma,
 * brace, bracket, quote, parenthesis, dollar, space or newline can ever reach a dial string.
 */

/** A dialable number: digits, `+`, `*`, `#` (`*9664`, `+15551234567`, `1001`). */
export const DIAL_NUMBER = /^[0-9+*#]{1,32}$/;

export const dialNumber = z
  .string({ error: "a number is required" })
  .regex(DIAL_NUMBER, { error: "a number may hold only digits, +, * and # (1 to 32 characters)" });

/** Caller id names are rawurlencoded before they reach a command, so any printable text is safe. */
export const callerIdName = userText(256, "a caller id name");

/** A FusionPBX dialplan context is the domain name: a host name or an address. */
const CONTEXT = /^[A-Za-z0-9](?:[A-Za-z0-9._-]{0,252}[A-Za-z0-9])?$/;

export function isSafeContext(value: string): boolean {
  return CONTEXT.test(value) && !value.includes("..");
}

/** Refuses a stored domain name that could not be placed in a dial string safely. */
export function dialplanContext(domainName: string): string {
  if (!isSafeContext(domainName)) {
    throw badRequest("this domain's name cannot be used as a dialplan context", { field: "domain_uuid" });
  }
  return domainName;
}

/** FreeSWITCH's sounds directory on FusionPBX's Debian packages, the only local root `playback` may read. */
export const SOUNDS_DIR = "/usr/share/freeswitch/sounds";

/** The original's fallback file (docs/original-api.md §6, `originate-playback-file`). */
export const DEFAULT_PLAYBACK_FILE = `${SOUNDS_DIR}/en/us/callie/ivr/8000/ivr-congratulations_you_pressed_star.wav`;

const PATH_SEGMENT = /^[A-Za-z0-9_-][A-Za-z0-9._-]*$/;
// No quote, parenthesis, brace, comma, dollar (variable and API expansion), space or backslash.
const URL_CHARS = /^[A-Za-z0-9._~:/?=&%@+;-]+$/;

/**
 * The original's rule (a file under the sounds directory or an http(s) URL), made strict: a local path is
 * made of plain segments under SOUNDS_DIR (no `..`), a URL parses as http(s) and holds only characters
 * that cannot break out of `&playback(…)`.
 */
export function isAllowedPlaybackFile(value: string): boolean {
  if (value.startsWith(`${SOUNDS_DIR}/`)) {
    const segments = value.slice(SOUNDS_DIR.length + 1).split("/");
    return segments.length > 0 && segments.every((s) => PATH_SEGMENT.test(s));
  }
  if (!/^https?:\/\//i.test(value) || !URL_CHARS.test(value) || value.length > 1024) return false;
  try {
    const url = new URL(value);
    return (url.protocol === "http:" || url.protocol === "https:") && url.hostname !== "";
  } catch {
    return false;
  }
}

export const playbackFile = z.string().refine(isAllowedPlaybackFile, {
  error: `a file must be under ${SOUNDS_DIR}/ (no '..') or an http(s) URL without quotes, spaces, parentheses, braces, commas or '$'`,
});
