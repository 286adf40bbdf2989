import { z } from "zod";
import { boundedText, dialplanNumber } from "./numbers.ts";

/** Text that lands in the directory XML and channel variables: no control characters, no `${…}` expansion. */
export const directoryText = (max: number) =>
  boundedText(max).refine((v) => !v.includes("${") && !/[<>]/.test(v), { error: "must not contain ${, < or >" });

/** A SIP password: FusionPBX's generator alphabet plus `@_-`, 8–64 characters. */
export const sipPassword = z.string().regex(/^[0-9A-Za-z!^$%*?.@_-]{8,64}$/, { error: "8-64 of 0-9 A-Z a-z !^$%*?.@_-" });

/** `toll_allow`: FusionPBX turns `,` into `:`; words of letters, digits, `_` and `-`. */
export const tollAllow = z
  .string()
  .regex(/^[A-Za-z0-9_,:-]*$/, { error: "letters, digits, _ - separated by , or :" })
  .transform((v) => v.replaceAll(",", ":"));

export const callerIdNumber = dialplanNumber;
