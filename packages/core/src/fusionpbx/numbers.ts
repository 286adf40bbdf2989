import { z } from "zod";

/**
 * A dialable number or extension as it may appear in dialplan XML, a regex, a cache key or a FreeSWITCH
 * command: digits, `+`, `*`, `#` only. Anything else could inject dialplan or switch commands.
 */
export const DIAL_STRING = /^[0-9+*#]{1,64}$/;

/** The same characters with no length bound, for fields that bound the length themselves. */
export const DIAL_CHARACTERS = /^[0-9+*#]+$/;

export function isDialString(value: string): boolean {
  return DIAL_STRING.test(value);
}

/** A zod field for such a number as the original's actions take it; the message names the parameter. */
export function dialString(field: string) {
  return z.string({ error: `${field} must be a string of digits, +, * or #` }).regex(DIAL_STRING, {
    error: `${field} may contain only digits, +, * and # (1 to 64 characters)`,
  });
}

/** Escapes the regex metacharacters a dial string can hold (`+`, `*`); digits and `#` are literal. */
export function regexLiteral(value: string): string {
  return value.replace(/[+*]/g, (c) => `\\${c}`);
}

/**
 * A dial string as Switchboard's own actions take it: text or a non-negative integer, trimmed, at most 64
 * characters (messages from the field's path, not its name).
 */
export const dialplanNumber = z
  .union([z.string(), z.number().int().nonnegative()])
  .transform((v) => String(v).trim())
  .pipe(z.string().regex(DIAL_CHARACTERS, { error: "must be digits, +, * or #" }).max(64));

/** Free text stored in a column (names, caller id names): no control characters, bounded length. */
export function plainText(field: string, max = 255) {
  return z
    .string({ error: `${field} must be a string` })
    .max(max, { error: `${field} is longer than ${max} characters` })
    .regex(/^[^\u0000-\u001f\u007f]*$/, { error: `${field} must not contain control characters` });
}

/** `plainText` for Switchboard's own actions: the same rule, messages from the field's path. */
export const boundedText = (max: number) =>
  z
    .string()
    .max(max)
    .refine((v) => !/[\u0000-\u001f\u007f]/.test(v), { error: "must not contain control characters" });
