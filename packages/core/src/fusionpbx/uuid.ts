import { z } from "zod";

/**
 * PostgreSQL's uuid input is lenient: any case, optional `{…}` braces, and a hyphen allowed after any group
 * of four hex digits (docs/original-api.md §2). The original passed the client's text straight to PostgreSQL, so
 * all of these named the same row.
 */
const PG_UUID_BODY = /^[0-9a-f]{4}(?:-?[0-9a-f]{4}){7}$/i;
const CANONICAL = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** The canonical lower-case hyphenated form of a uuid PostgreSQL would accept, or null. */
export function canonicalUuid(text: string): string | null {
  // Nearly every uuid arrives canonical already (clients echo what they were given): one cheap test.
  if (text.length === 36 && CANONICAL.test(text)) return text;
  const body = text.startsWith("{") && text.endsWith("}") ? text.slice(1, -1) : text;
  if (!PG_UUID_BODY.test(body)) return null;
  const hex = body.replace(/-/g, "").toLowerCase();
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/**
 * The one schema of every `*_uuid` input: whatever PostgreSQL's uuid type accepts (no version or variant
 * check, as FusionPBX's own ids need none), turned into the canonical lower-case form.
 */
export function uuidInput(field: string) {
  const message = `${field} must be a uuid (like 3f2a9c4e-1b7d-4e8a-9c21-5d6e7f8a9b0c)`;
  return z
    .string({ error: message })
    .transform((text, ctx) => {
      const uuid = canonicalUuid(text);
      if (uuid === null) {
        ctx.addIssue({ code: "custom", message });
        return z.NEVER;
      }
      return uuid;
    })
    .meta({ format: "uuid" });
}

/** A fresh lower-case v4 uuid, as FusionPBX's `uuid()` makes. */
export function newUuid(): string {
  return crypto.randomUUID();
}
