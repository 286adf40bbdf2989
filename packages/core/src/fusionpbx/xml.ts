/**
 * FusionPBX's `xml::sanitize`: drop every `${...}` (channel-variable expansion), then escape `&`, `<`, `>`
 * (htmlspecialchars with ENT_XML1 only, which leaves quotes alone).
 */
export function xmlSanitize(value: string): string {
  return escapeMarkup(value.replace(/\$\{[^}]+\}/g, ""));
}

/**
 * `xmlSanitize` plus `"` → `&quot;`, for values placed inside a double-quoted attribute. FusionPBX leaves
 * quotes alone, which lets a name close the attribute and add its own; we do not. The original's create
 * actions write their XML with this.
 */
export function xmlAttribute(value: string): string {
  return xmlSanitize(value).replace(/"/g, "&quot;");
}

/**
 * The stricter form the dialplans Switchboard regenerates on update use: every `${…}` goes (an empty `${}`
 * too), except the variables `keepVariables` names (FusionPBX keeps `${regex…}` and `${sofia_contact…}` in
 * action data), and both quote characters are escaped as well.
 */
export function xmlAttributeStrict(value: string, options: { keepVariables?: readonly string[] } = {}): string {
  const keep = options.keepVariables ?? [];
  const stripped = value.replace(/\$\{[^}]*\}/g, (m) => (keep.some((prefix) => m.startsWith(`\${${prefix}`)) ? m : ""));
  return escapeMarkup(stripped).replaceAll('"', "&quot;").replaceAll("'", "&apos;");
}

function escapeMarkup(value: string): string {
  return value.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;");
}
