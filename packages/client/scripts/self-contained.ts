/** Packages the published declarations may name: the client's peer dependencies. */
const ALLOWED = new Set(["@trpc/client", "@trpc/server"]);

/**
 * Everything a declaration file refers to that a user of the tarball would not have: module specifiers other
 * than the peers (server sources, `.ts` files, zod, bun), triple-slash references, and Bun's global types.
 */
export function foreignReferences(declarations: string): string[] {
  const found = new Set<string>();
  const specifiers = [
    ...declarations.matchAll(/\bfrom\s+["']([^"']+)["']/g),
    ...declarations.matchAll(/\bimport\s*\(\s*["']([^"']+)["']\s*\)/g),
    ...declarations.matchAll(/^\s*import\s+["']([^"']+)["']/gm),
  ].map((m) => m[1]!);
  for (const specifier of specifiers) if (!ALLOWED.has(specifier)) found.add(`module "${specifier}"`);
  for (const m of declarations.matchAll(/\/\/\/\s*<reference\s+[^>]*>/g)) found.add(m[0]);
  for (const m of declarations.matchAll(/\b(Bun\.[A-Za-z]+|BunFile|@switchboard\/[a-z-]+|bun-types)\b/g))
    found.add(m[1]!);
  return [...found];
}
