import type { SchemaInfo } from "@switchboard/db";
import { z } from "zod";
import { phpString } from "../legacy/php.ts";

/**
 * FusionPBX 5.1 keeps many flags as text ('true'/'false'); later versions converted them to boolean.
 * Writing the text 'true'/'false' as an untyped parameter works for both: PostgreSQL reads it as whatever
 * the column is. Reading in SQL, compare `col::text = 'true'`, which holds for both too; in code, `flagOf`.
 */

/** A 5.1 text flag or a 5.6 boolean as a boolean (NULL and anything else: false). */
export function flagOf(value: unknown): boolean {
  return value === true || value === "true" || value === "t";
}

/** A flag as JSON or as the text the legacy face's callers tend to send. */
export const flagInput = z.union([z.boolean(), z.enum(["true", "false"]).transform((v) => v === "true")]);

/** Which FusionPBX generation the live schema is: 5.1 (text flags) or 5.6 (boolean flags, new columns). */
export type SchemaGeneration = "5.1" | "5.6";

export function schemaGeneration(schema: SchemaInfo): SchemaGeneration {
  return schema.typeOf("v_dialplans", "dialplan_enabled") === "boolean" ? "5.6" : "5.1";
}

/**
 * The value FusionPBX's `database->save()` binds: null, undefined and anything PHP considers `== ''` become
 * SQL NULL; everything else is interpolated as PHP prints it and trimmed.
 */
export function saveValue(value: unknown): string | null {
  // PHP 7.4 loose `== ''` also holds for false and int 0.
  if (value === null || value === undefined || value === "" || value === false || value === 0) return null;
  const text = phpString(value);
  return text === "" ? null : text.trim();
}
