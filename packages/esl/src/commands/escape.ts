import { UnsafeCommandValueError } from "../errors.ts";

/** PHP's `rawurlencode` (RFC 3986): every byte except `A-Z a-z 0-9 - _ . ~` becomes uppercase `%XX`. */
export function rawurlencode(value: string): string {
  let out = "";
  for (const byte of Buffer.from(value, "utf8")) {
    const char = String.fromCharCode(byte);
    out += /[A-Za-z0-9\-_.~]/.test(char) ? char : `%${byte.toString(16).toUpperCase().padStart(2, "0")}`;
  }
  return out;
}

/** Throws unless `value` is a non-empty string fully matching `pattern`. */
export function requireMatch(field: string, value: unknown, pattern: RegExp, description: string): string {
  if (typeof value !== "string" || value === "") throw new UnsafeCommandValueError(field, "is empty");
  if (/[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/u.test(value))
    throw new UnsafeCommandValueError(field, "contains control characters");
  if (!pattern.test(value)) throw new UnsafeCommandValueError(field, `must be ${description}`);
  return value;
}

export const UUID_PATTERN = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;
/** A dialable number or extension: digits, letters, `* # + . _ -` (FusionPBX extensions such as `*9664`, `1001`). */
export const DIALABLE_PATTERN = /^[A-Za-z0-9*#+._-]{1,64}$/;
/** A DNS name or IPv4 address (FusionPBX domains and dialplan contexts are domain names). */
export const DOMAIN_PATTERN =
  /^(?=.{1,253}$)[A-Za-z0-9](?:[A-Za-z0-9_-]{0,62})(?:\.[A-Za-z0-9](?:[A-Za-z0-9_-]{0,62}))*$/;
/** A dialplan context: a domain name, `default`, `public`, `global`… */
export const CONTEXT_PATTERN = DOMAIN_PATTERN;
export const VARIABLE_NAME_PATTERN = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;
/** Text that is safe inside `{…}`, app arguments and positional originate arguments once single-quoted for spaces. */
export const SAFE_TEXT_PATTERN = /^[\p{L}\p{M}\p{N} .\-_+#*@/:]{0,128}$/u;
export const PROFILE_PATTERN = /^[A-Za-z0-9._-]{1,64}$/;

export const checkUuid = (field: string, value: unknown) => requireMatch(field, value, UUID_PATTERN, "a UUID");
export const checkDialable = (field: string, value: unknown) =>
  requireMatch(field, value, DIALABLE_PATTERN, "digits, letters or * # + . _ - (at most 64)");
export const checkDomain = (field: string, value: unknown) =>
  requireMatch(field, value, DOMAIN_PATTERN, "a domain name");
export const checkContext = (field: string, value: unknown) =>
  requireMatch(field, value, CONTEXT_PATTERN, "a dialplan context name");

/**
 * A value for a channel variable or a positional argument: letters and digits of any script, space
 * and `. - _ + # * @ / :`. Spaces are protected with single quotes (which FreeSWITCH's argument
 * splitter removes); nothing that separates variables, legs, arguments or commands is accepted.
 */
export function safeText(field: string, value: unknown): string {
  if (typeof value !== "string") throw new UnsafeCommandValueError(field, "must be text");
  if (/[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/u.test(value))
    throw new UnsafeCommandValueError(field, "contains control characters");
  if (!SAFE_TEXT_PATTERN.test(value)) {
    throw new UnsafeCommandValueError(
      field,
      "may contain only letters, digits, spaces and . - _ + # * @ / : (at most 128)",
    );
  }
  if (value.includes("  ") || value.startsWith(" ") || value.endsWith(" ")) {
    throw new UnsafeCommandValueError(field, "has leading, trailing or repeated spaces");
  }
  return value.includes(" ") ? `'${value}'` : value;
}
