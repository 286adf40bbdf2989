import type { z } from "zod";
import type { LegacyReply } from "../errors.ts";
import { phpString, phpTruthy } from "./php.ts";

// How the legacy face turns the original's JSON body into action input, and its refusals back into the original's answers.

/**
 * `"read, calls"` or `"call.ended, call.missed"` → an array, for form-minded clients (the legacy face, the
 * console's forms, the CLI); anything else unchanged, for the schema to judge.
 */
export const splitList = (value: unknown): unknown =>
  typeof value === "string"
    ? value
        .split(",")
        .map((s) => s.trim())
        .filter(Boolean)
    : value;

/** True when a zod issue concerns `field` (or something inside it). */
export function issueAt(issues: readonly z.core.$ZodIssue[], field: string): boolean {
  return issues.some((issue) => issue.path[0] === field);
}

/**
 * Prepares a decoded legacy body for an input schema the way PHP would have seen it: optional fields that
 * are PHP-falsy count as absent (the original tested `if ($body->x)`), and numbers/booleans in string
 * fields become the text PHP interpolates.
 */
export function legacyBody(
  body: Record<string, unknown>,
  fields: { strings?: readonly string[]; optional?: readonly string[] },
): Record<string, unknown> {
  const optional = fields.optional ?? [];
  // Filtered rather than deleted from a copy (an object with deleted properties is slower for everything after);
  // fromEntries defines each key as data, so a `__proto__` key stays a plain field.
  const out: Record<string, unknown> = Object.fromEntries(
    Object.entries(body).filter(([field, value]) => !(optional.includes(field) && !phpTruthy(value))),
  );
  for (const field of fields.strings ?? []) {
    const v = out[field];
    if (typeof v === "number" || typeof v === "boolean") out[field] = phpString(v);
  }
  return out;
}

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
