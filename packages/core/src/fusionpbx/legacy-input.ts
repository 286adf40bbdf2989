import type { z } from "zod";
import { phpString, phpTruthy } from "../legacy/php.ts";

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
  const out: Record<string, unknown> = { ...body };
  for (const field of fields.optional ?? []) if (!phpTruthy(out[field])) delete out[field];
  for (const field of fields.strings ?? []) {
    const v = out[field];
    if (typeof v === "number" || typeof v === "boolean") out[field] = phpString(v);
  }
  return out;
}
