/**
 * PHP `json_decode($raw)` as the original used it: the raw body whatever the Content-Type; anything that is
 * not a JSON object (invalid JSON, empty, a list, a scalar) reads as "no properties".
 */
// Like json_decode: invalid UTF-8 or a byte-order mark makes the body invalid JSON. (One decoder serves
// every request: a non-streaming decode keeps no state between calls.)
const utf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

export function decodeLegacyBody(raw: ArrayBuffer): Record<string, unknown> | null {
  let value: unknown;
  try {
    value = JSON.parse(utf8.decode(raw));
  } catch {
    return null;
  }
  if (value === null || typeof value !== "object" || Array.isArray(value)) return null;
  return value as Record<string, unknown>;
}

/** PHP 7.4 `strtolower` in the C locale: ASCII letters only. Non-strings never name an action. */
export function legacyActionName(value: unknown): string | null {
  if (typeof value !== "string") return null;
  return value.replace(/[A-Z]/g, (ch) => ch.toLowerCase());
}
