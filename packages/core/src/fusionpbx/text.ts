import { z } from "zod";

/**
 * C0 control characters and DEL. NUL above all: PostgreSQL stores no 0x00 in text or jsonb, so a NUL that
 * got through would fail the statement; the others have no place in a name, a search or a key either.
 */
export const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f]/;

/**
 * Text a person types (a search, a name, a caller id name, an idempotency key): at most `max` characters
 * and no control character, with messages that say what the value is (`what`: "a search", "a key name").
 * Each face adds the field's own name to the message.
 */
export function userText(max: number, what: string) {
  return z
    .string({ error: `${what} must be text` })
    .max(max, { error: `${what} is at most ${max} characters` })
    .refine((v) => !CONTROL_CHARACTERS.test(v), {
      error: `${what} must not contain control characters (such as a NUL byte)`,
    });
}
