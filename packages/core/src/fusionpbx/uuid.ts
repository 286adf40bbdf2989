import { z } from "zod";

/**
 * PostgreSQL's uuid input is lenient: any case, optional `{…}` braces, and a hyphen allowed after any group
 * of four hex digits. The original passed the client's text straight to PostgreSQL, so these all matched.
 */
const PG_UUID_BODY = /^[0-9a-f]{4}(?:-?[0-9a-f]{4}){7}$/i;

/** The canonical lower-case hyphenated form of a uuid PostgreSQL would accept, or null. */
export function canonicalUuid(text: string): string | null {
  const body = text.startsWith("{") && text.endsWith("}") ? text.slice(1, -1) : text;
  if (!PG_UUID_BODY.test(body)) return null;
  const hex = body.replace(/-/g, "").toLowerCase();
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** A uuid field as the original accepted it; the text is kept as sent (it is echoed into dialplan XML). */
export function pgUuid(field: string) {
  return z.string({ error: `${field} must be a uuid` }).refine((v) => canonicalUuid(v) !== null, { error: `${field} must be a uuid` });
}

/** A fresh lower-case v4 uuid, as FusionPBX's `uuid()` makes. */
export function newUuid(): string {
  return crypto.randomUUID();
}
