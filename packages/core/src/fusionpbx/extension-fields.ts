import { z } from "zod";
import { boundedText } from "./numbers.ts";
import { userText } from "./text.ts";

/** Text that lands in the directory XML and channel variables: no control characters, no `${…}` expansion. */
export const directoryText = (max: number) =>
  boundedText(max).refine((v) => !v.includes("${") && !/[<>]/.test(v), { error: "must not contain ${, < or >" });

/** A SIP password: FusionPBX's generator alphabet plus `@_-`, 8–64 characters. */
export const sipPassword = z
  .string()
  .regex(/^[0-9A-Za-z!^$%*?.@_-]{8,64}$/, { error: "8-64 of 0-9 A-Z a-z !^$%*?.@_-" });

/** `toll_allow`: FusionPBX turns `,` into `:`; words of letters, digits, `_` and `-`. */
export const tollAllow = z
  .string()
  .regex(/^[A-Za-z0-9_,:-]*$/, { error: "letters, digits, _ - separated by , or :" })
  .transform((v) => v.replaceAll(",", ":"));

/**
 * An extension's caller id name (effective, outbound, emergency), the same rule on create and update: it
 * lands in the directory XML and in channel variables, so no control character, no `${…}`, no `<`, `>` or
 * `"`; an apostrophe (O'Brien) is fine.
 */
export const callerIdName = userText(80, "a caller id name").refine((v) => !v.includes("${") && !/[<>"]/.test(v), {
  error: 'a caller id name must not contain ${, <, > or "',
});

/**
 * An extension's caller id number, the same rule on create and update: digits, `+`, `*`, `#`, and the
 * spaces, parentheses, dots and hyphens of a formatted number ("(206) 555-0100"), as FusionPBX's own form
 * stores it; at most 64 characters. A bare integer is taken as its digits.
 */
export const callerIdNumber = z
  .union([z.string(), z.number().int().nonnegative()])
  .transform((v) => String(v).trim())
  .pipe(
    z
      .string()
      .max(64, { error: "a caller id number is at most 64 characters" })
      .regex(/^[0-9+*#() .-]+$/, { error: "a caller id number may hold only digits, +, *, #, spaces, ( ) . and -" }),
  );
