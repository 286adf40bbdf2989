import { badRequest } from "../errors.ts";

/**
 * Opaque keyset cursors: the sort key of the last row returned, base64url-encoded JSON with a version tag.
 * Clients pass it back unchanged; anything else is a 400 rather than a silently wrong page.
 */
const VERSION = 1;

export function encodeCursor(key: readonly string[]): string {
  return Buffer.from(JSON.stringify([VERSION, ...key]), "utf8").toString("base64url");
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** What each part of a cursor must be: any text, or a uuid (checked here so a forged one is a 400, not a 500). */
export type CursorPart = "text" | "uuid";

/** `parts`: the kind of each part, or just how many (all text). */
export function decodeCursor(cursor: string, shape: number | readonly CursorPart[]): string[] {
  const parts: readonly CursorPart[] = typeof shape === "number" ? Array<CursorPart>(shape).fill("text") : shape;
  try {
    const decoded = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8")) as unknown;
    if (
      Array.isArray(decoded) &&
      decoded[0] === VERSION &&
      decoded.length === parts.length + 1 &&
      decoded.slice(1).every((v, i) => typeof v === "string" && (parts[i] !== "uuid" || UUID.test(v)))
    ) {
      return decoded.slice(1) as string[];
    }
  } catch {
    // fall through to the error below
  }
  throw badRequest("invalid parameter: cursor", { field: "cursor" });
}
