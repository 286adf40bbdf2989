import { badRequest } from "../errors.ts";

/**
 * Opaque keyset cursors: the sort key of the last row returned, base64url-encoded JSON with a version tag.
 * Clients pass it back unchanged; anything else is a 400 rather than a silently wrong page.
 */
const VERSION = 1;

export function encodeCursor(key: readonly string[]): string {
  return Buffer.from(JSON.stringify([VERSION, ...key]), "utf8").toString("base64url");
}

export function decodeCursor(cursor: string, parts: number): string[] {
  try {
    const decoded = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8")) as unknown;
    if (
      Array.isArray(decoded) &&
      decoded[0] === VERSION &&
      decoded.length === parts + 1 &&
      decoded.slice(1).every((v) => typeof v === "string")
    ) {
      return decoded.slice(1) as string[];
    }
  } catch {
    // fall through to the error below
  }
  throw badRequest("invalid parameter: cursor", { field: "cursor" });
}
