/**
 * FusionPBX's `xml::sanitize`: drop every `${...}` (channel-variable expansion), then escape `&`, `<`, `>`
 * (htmlspecialchars with ENT_XML1 only, which leaves quotes alone).
 */
export function xmlSanitize(value: string): string {
  return value
    .replace(/\$\{[^}]+\}/g, "")
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;");
}

/**
 * `xmlSanitize` plus `"` → `&quot;`, for values placed inside a double-quoted attribute. FusionPBX leaves
 * quotes alone, which lets a name close the attribute and add its own; we do not.
 */
export function xmlAttribute(value: string): string {
  return xmlSanitize(value).replace(/"/g, "&quot;");
}
