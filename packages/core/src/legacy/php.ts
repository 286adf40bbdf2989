/** PHP semantics the legacy face must reproduce byte for byte (docs/original-api.md §3, §4.5). */

/** PHP truthiness of a JSON-decoded value: what the original's required-parameter check tests. */
export function phpTruthy(value: unknown): boolean {
  if (value === undefined || value === null || value === false || value === 0 || value === "" || value === "0")
    return false;
  if (Array.isArray(value) && value.length === 0) return false;
  return true;
}

/** PHP string interpolation of a scalar: true→"1", false/null→"", floats as PHP prints them. */
export function phpString(value: unknown): string {
  if (value === null || value === undefined || value === false) return "";
  if (value === true) return "1";
  if (typeof value === "number") {
    if (Number.isInteger(value) && Math.abs(value) < 1e15) return String(value);
    return phpFloat(value);
  }
  if (typeof value === "string") return value;
  if (Array.isArray(value)) return "Array";
  throw new TypeError("object cannot be converted to string");
}

function phpFloat(value: number): string {
  if (!Number.isFinite(value)) return Number.isNaN(value) ? "NAN" : value > 0 ? "INF" : "-INF";
  const precise = Number(value.toPrecision(14));
  const abs = Math.abs(precise);
  if (abs !== 0 && (abs >= 1e15 || abs < 1e-4)) {
    const [mantissa, exponent] = precise.toExponential().split("e");
    const m = mantissa!.includes(".") ? mantissa : `${mantissa}.0`;
    return `${m}E${exponent!.startsWith("-") ? exponent : `+${exponent}`}`;
  }
  return String(precise);
}

const NEEDS_ESCAPE = /[/\u0080-\uffff]/;

/**
 * PHP `json_encode` with default flags: `/` as `\/`, everything beyond ASCII as `\uXXXX` (lower-case hex,
 * UTF-16 units), no trailing newline.
 */
export function phpJsonEncode(value: unknown): string {
  const json = JSON.stringify(value === undefined ? null : value);
  if (!NEEDS_ESCAPE.test(json)) return json;
  return json
    .replace(/\//g, "\\/")
    .replace(/[\u0080-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}

/** PHP `rawurlencode` (RFC 3986): everything but `A-Z a-z 0-9 - _ . ~` percent-encoded from UTF-8. */
export function phpRawUrlEncode(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** The name of the LAST missing required parameter (the original overwrites instead of appending), or null. */
export function lastMissingParameter(required: readonly string[], body: Record<string, unknown>): string | null {
  let missing: string | null = null;
  for (const name of required) if (!phpTruthy(body[name])) missing = name;
  return missing;
}
