/** Keys our cache helper accepts (see fusionpbx/cache.ts); anything else cannot be a FusionPBX key we made. */
const SAFE_KEY_PART = /^[A-Za-z0-9][A-Za-z0-9@.+_-]*$/;

/**
 * The keys FusionPBX's destination editor deletes after a save (fusionpbx-behaviour.md (a)): in `multiple`
 * mode `dialplan:<context>`; in `single` mode `dialplan:<context>:<number>` for an all-digit or `+digits`
 * number, plus the prefixed forms when a numeric prefix is set; both when the mode is unset. Deletes also
 * clear `dialplan:<context>`, as FusionPBX's `destinations->delete()` does.
 */
export function destinationCacheKeys(
  mode: "single" | "multiple" | null,
  d: { context: string | null; number: string | null; prefix: string | null },
  options: { includeContext?: boolean } = {},
): string[] {
  const context = d.context ?? "public";
  if (!SAFE_KEY_PART.test(context)) return [];
  const keys = new Set<string>();
  if (mode !== "single" || options.includeContext) keys.add(`dialplan:${context}`);
  if (mode !== "multiple" && d.number && /^\+?\d+$/.test(d.number)) {
    keys.add(`dialplan:${context}:${d.number}`);
    if (d.prefix && /^\d+$/.test(d.prefix)) {
      keys.add(`dialplan:${context}:${d.prefix}${d.number}`);
      keys.add(`dialplan:${context}:+${d.prefix}${d.number}`);
    }
  }
  return [...keys];
}

/** `directory:<extension>@<user_context>` (and the number alias), what the extension editor deletes. */
export function directoryCacheKeys(e: { extension: string | null; number_alias: string | null; user_context: string | null }) {
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
