import type { z } from "zod";
import type { LegacyReply } from "../errors.ts";
import { canonicalUuid } from "../fusionpbx/uuid.ts";
import { phpString, phpTruthy } from "../legacy/php.ts";

/** A body value as the original interpolated it (numbers and booleans as PHP prints them); objects stay as they are, for the schema to refuse. */
export function legacyText(value: unknown): unknown {
  if (value === undefined) return undefined;
  try {
    return phpString(value);
  } catch {
    return value;
  }
}

/** An optional body value: absent when PHP would have found it falsy. */
export function legacyOptionalText(value: unknown): unknown {
  return phpTruthy(value) ? legacyText(value) : undefined;
}

/** PostgreSQL reads `{…}` braces, upper case and the 32-hex form as the same uuid; so does the legacy face. */
export function legacyUuid(value: unknown): unknown {
  const text = legacyText(value);
  if (typeof text !== "string") return text;
  return canonicalUuid(text) ?? text;
}

/**
 * The legacy answer to an input the schema refused: named fields map back to the original's parameter
 * names; the fields in `notFound` answer as the original's lookup failure did.
 */
export function legacyInvalid(
  issues: readonly z.core.$ZodIssue[],
  names: Record<string, string>,
  notFound: Record<string, LegacyReply> = {},
): LegacyReply {
  const field = String(issues[0]?.path[0] ?? "");
  const lookup = notFound[field];
  if (lookup) return lookup;
  return { status: 400, body: { error: `invalid parameter: ${names[field] ?? (field || "input")}` } };
}
