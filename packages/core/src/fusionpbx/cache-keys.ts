import type { Queryable } from "@switchboard/db";
import { getSetting } from "./settings.ts";

/**
 * The cache keys FusionPBX's UI deletes after a save (docs/fusionpbx-writes.md §4–§7). The original's create
 * actions build them from their already validated input and let `deleteCacheKeys` refuse anything unsafe
 * (the flush then reports `applied: false`); the keys of rows read back from the database (updates and
 * deletes) leave out any part that is not a safe key, so the rest is still cleared.
 */
const SAFE_KEY_PART = /^[A-Za-z0-9][A-Za-z0-9@.+_-]*$/;

export type DialplanMode = "single" | "multiple";

/**
 * `destinations.dialplan_mode`; null when unset or unrecognised (5.1's code default is `multiple`, 5.6
 * installs `single`), in which case both kinds of key are cleared, which is harmless.
 */
export async function destinationDialplanMode(sql: Queryable, domainUuid: string): Promise<DialplanMode | null> {
  const mode = await getSetting(sql, domainUuid, "destinations", "dialplan_mode");
  return mode === "single" || mode === "multiple" ? mode : null;
}

/** `dialplan:<context>:<number>`, plus `<prefix><number>` and `+<prefix><number>` with a numeric prefix. */
function numberKeys(context: string, number: string, prefix: string | null | undefined): string[] {
  const keys = [`dialplan:${context}:${number}`];
  if (prefix && /^[0-9]+$/.test(prefix))
    keys.push(`dialplan:${context}:${prefix}${number}`, `dialplan:${context}:+${prefix}${number}`);
  return keys;
}

/**
 * What destination-create clears: the number's keys in `single` mode, `dialplan:<context>` in `multiple`,
 * both (number first) when the mode is unset or cannot be read.
 */
export async function createdDestinationCacheKeys(
  sql: Queryable,
  v: { domainUuid: string; context: string; number: string; prefix?: string | null },
): Promise<string[]> {
  const mode = await destinationDialplanMode(sql, v.domainUuid).catch(() => null);
  const own = numberKeys(v.context, v.number, v.prefix);
  if (mode === "single") return own;
  if (mode === "multiple") return [`dialplan:${v.context}`];
  return [...own, `dialplan:${v.context}`];
}

/**
 * The keys FusionPBX's destination editor deletes after a save (docs/fusionpbx-writes.md §4): in `multiple`
 * mode `dialplan:<context>`; in `single` mode the number's keys for an all-digit or `+digits` number; both
 * (context first) when the mode is unset. Deletes also clear `dialplan:<context>`, as FusionPBX's
 * `destinations->delete()` does.
 */
export function destinationCacheKeys(
  mode: DialplanMode | null,
  d: { context: string | null; number: string | null; prefix: string | null },
  options: { includeContext?: boolean } = {},
): string[] {
  const context = d.context ?? "public";
  if (!SAFE_KEY_PART.test(context)) return [];
  const keys: string[] = [];
  if (mode !== "single" || options.includeContext) keys.push(`dialplan:${context}`);
  if (mode !== "multiple" && d.number && /^\+?\d+$/.test(d.number))
    keys.push(...numberKeys(context, d.number, d.prefix));
  return keys;
}

/** `directory:<extension>@<user_context>` (and the number alias), what the extension editor deletes. */
export function directoryCacheKeys(e: {
  extension: string | null;
  number_alias: string | null;
  user_context: string | null;
}) {
  const keys: string[] = [];
  if (!e.user_context || !SAFE_KEY_PART.test(e.user_context)) return keys;
  for (const user of [e.extension, e.number_alias]) {
    if (user && SAFE_KEY_PART.test(user)) keys.push(`directory:${user}@${e.user_context}`);
  }
  return keys;
}

/** `dialplan:<context>`, what the ring group editor deletes. */
export function contextCacheKeys(context: string | null): string[] {
  return context && SAFE_KEY_PART.test(context) ? [`dialplan:${context}`] : [];
}
