/**
 * FusionPBX's `xml::sanitize`: drop every `${...}` (channel-variable expansion), then escape `&`, `<`, `>`
 * (htmlspecialchars with ENT_XML1 only, which leaves quotes alone). FusionPBX drops them in one pass, so
 * `$${x}{system(id)}` comes out as `${system(id)}`; here dropping repeats until none is left.
 */
export function xmlSanitize(value: string): string {
  return escapeMarkup(dropUntilNone(value, /\$\{[^}]+\}/g, () => ""));
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
  const stripped = dropUntilNone(value, /\$\{[^}]*\}/g, (m) =>
    keep.some((prefix) => m.startsWith(`\${${prefix}`)) ? m : "",
  );
  return escapeMarkup(stripped).replaceAll('"', "&quot;").replaceAll("'", "&apos;");
}

/**
 * Replaces `pattern` until the text stops changing: removing one `${…}` must not join its neighbours into
 * another (a fixed point, not a single pass). Each round that changes something makes the text shorter.
 */
function dropUntilNone(value: string, pattern: RegExp, replace: (match: string) => string): string {
  let current = value;
  for (;;) {
    const next = current.replace(pattern, replace);
    if (next === current) return current;
    current = next;
  }
}

function escapeMarkup(value: string): string {
  return value.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;");
}
