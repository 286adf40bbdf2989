/**
 * A key id as PostgreSQL's uuid input accepts it: upper or lower case, optionally wrapped in `{…}`, with or
 * without hyphens (PostgreSQL allows a hyphen after any group of four hex digits). Returns the canonical
 * lower-case form, or null when PostgreSQL would reject the text (the original then answered 401).
 */
export function parseKeyId(text: string): string | null {
  let body = text;
  if (body.startsWith("{")) {
    if (!body.endsWith("}")) return null;
    body = body.slice(1, -1);
  }
  if (!/^[0-9a-fA-F]{4}(-?[0-9a-fA-F]{4}){7}$/.test(body)) return null;
  const hex = body.replaceAll("-", "").toLowerCase();
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
