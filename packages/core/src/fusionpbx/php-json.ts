import { phpJsonEncode } from "../legacy/php.ts";

/**
 * PHP `json_encode($value, JSON_PRETTY_PRINT)`: four-space indents, `"key": value`, `[]`/`{}` for empty
 * containers, and json_encode's default escaping (`\/`, `\uXXXX`). FusionPBX writes
 * `v_database_transactions.transaction_new/result` this way.
 */
export function phpJsonPretty(value: unknown, depth = 0): string {
  const pad = "    ".repeat(depth + 1);
  const closePad = "    ".repeat(depth);
  if (Array.isArray(value)) {
    if (value.length === 0) return "[]";
    return `[\n${value.map((item) => pad + phpJsonPretty(item, depth + 1)).join(",\n")}\n${closePad}]`;
  }
  if (value !== null && typeof value === "object") {
    const entries = Object.entries(value).filter(([, v]) => v !== undefined);
    if (entries.length === 0) return "{}";
    return `{\n${entries.map(([k, v]) => `${pad}${phpJsonEncode(k)}: ${phpJsonPretty(v, depth + 1)}`).join(",\n")}\n${closePad}}`;
  }
  return phpJsonEncode(value);
}
