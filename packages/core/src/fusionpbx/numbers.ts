import { z } from "zod";

/**
 * A dialable number or extension as it may appear in dialplan XML, a regex, a cache key or a FreeSWITCH
 * command: digits, `+`, `*`, `#` only. Anything else could inject dialplan or switch commands.
 */
export const DIAL_STRING = /^[0-9+*#]{1,64}$/;

export function isDialString(value: string): boolean {
  return DIAL_STRING.test(value);
}

/** A zod field for such a number; the message names the parameter. */
export function dialString(field: string) {
  return z.string({ error: `${field} must be a string of digits, +, * or #` }).regex(DIAL_STRING, {
    error: `${field} may contain only digits, +, * and # (1 to 64 characters)`,
  });
}

/** Escapes the regex metacharacters a dial string can hold (`+`, `*`); digits and `#` are literal. */
export function regexLiteral(value: string): string {
  return value.replace(/[+*]/g, (c) => `\\${c}`);
}

/** Free text stored in a column (names, caller id names): no control characters, bounded length. */
export function plainText(field: string, max = 255) {
  return z
    .string({ error: `${field} must be a string` })
    .max(max, { error: `${field} is longer than ${max} characters` })
    .regex(/^[^\u0000-\u001f\u007f]*$/, { error: `${field} must not contain control characters` });
}
