import { z } from "zod";

/** A number that may reach dialplan XML or a FreeSWITCH command: digits, `+`, `*`, `#` only. */
export const DIALPLAN_NUMBER = /^[0-9+*#]+$/;

export const dialplanNumber = z
  .union([z.string(), z.number().int().nonnegative()])
  .transform((v) => String(v).trim())
  .pipe(z.string().regex(DIALPLAN_NUMBER, { error: "must be digits, +, * or #" }).max(64));

/**
 * FusionPBX's `xml::sanitize` (fusionpbx-behaviour.md §0): drops every `${…}` (keeping `${regex…}` and
 * `${sofia_contact…}` where `keepVariables` asks for it) and escapes `&`, `<`, `>`. Unlike FusionPBX we also
 * escape both quote characters, since every value here lands inside an attribute.
 */
export function xmlSanitize(value: string, options: { keepVariables?: readonly string[] } = {}): string {
  const keep = options.keepVariables ?? [];
  const stripped = value.replace(/\$\{[^}]*\}/g, (m) => (keep.some((prefix) => m.startsWith(`\${${prefix}`)) ? m : ""));
  return stripped
    .replaceAll("&", "&amp;")
    .replaceAll("<", "&lt;")
    .replaceAll(">", "&gt;")
    .replaceAll('"', "&quot;")
    .replaceAll("'", "&apos;");
}

/** A regex literal for a dialplan number: `+` and `*` are escaped so `*97` matches itself. */
export function regexLiteral(number: string): string {
  return number.replace(/[+*]/g, (c) => `\\${c}`);
}

/** Free text that is stored and may be shown in dialplans or caller ids: no control characters, bounded. */
export const plainText = (max: number) =>
  z
    .string()
    .max(max)
    .refine((v) => !/[\u0000-\u001f\u007f]/.test(v), { error: "must not contain control characters" });
