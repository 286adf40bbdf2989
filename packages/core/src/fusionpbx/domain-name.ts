import { z } from "zod";

/** One DNS label: letters, digits and inner hyphens, at most 63 characters. */
const LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

export const DOMAIN_NAME_RULE =
  "a domain name is a host name such as pbx.example.com or an IPv4 address: letters, digits, hyphens and dots, at most 253 characters";

/** Whether `name` (already lower-case) is a host name or dotted IPv4 address FusionPBX can use as a SIP domain. */
export function isDomainName(name: string): boolean {
  if (name.length === 0 || name.length > 253) return false;
  return name.split(".").every((label) => LABEL.test(label));
}

/**
 * A domain name as FusionPBX's domain page stores it: lower-cased (`strtolower`), surrounding spaces dropped.
 * The name is the SIP realm and the dialplan context, and reaches paths and XML, so only host-name
 * characters are accepted.
 */
export const domainNameInput = z
  .string({ error: `domain_name must be text: ${DOMAIN_NAME_RULE}` })
  .transform((v) => v.trim().toLowerCase())
  .refine(isDomainName, { error: DOMAIN_NAME_RULE });
