import { canonicalUuid } from "../fusionpbx/uuid.ts";

/**
 * A key id as PostgreSQL's uuid input accepts it: upper or lower case, optionally wrapped in `{…}`, with or
 * without hyphens (PostgreSQL allows a hyphen after any group of four hex digits). Returns the canonical
 * lower-case form, or null when PostgreSQL would reject the text (the original then answered 401).
 */
export function parseKeyId(text: string): string | null {
  return canonicalUuid(text);
}
