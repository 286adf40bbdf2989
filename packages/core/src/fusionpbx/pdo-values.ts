import { z } from "zod";

/**
 * Normalisers for typed faces: the legacy body keeps values as PDO gave them (numeric and timestamps as
 * text, 5.1 flags as 'true' strings); these turn them into numbers, booleans and ISO 8601 times.
 */

const PG_TIMESTAMPTZ = /^(\d{4,}-\d{2}-\d{2}) (\d{2}:\d{2}:\d{2}(?:\.\d+)?)(?:([+-]\d{2})(?::?(\d{2}))?(?::?(\d{2}))?)?$/;

/** PostgreSQL's text timestamptz (`2023-05-01 20:52:04.12+00`) as ISO 8601 (`2023-05-01T20:52:04.12+00:00`). */
export function pgTimestampToIso(text: string): string {
  const m = PG_TIMESTAMPTZ.exec(text);
  if (!m) return text;
  const [, date, time, hours, minutes, seconds] = m;
  if (!hours) return `${date}T${time}`;
  const offset = seconds ? `${hours}:${minutes ?? "00"}:${seconds}` : `${hours}:${minutes ?? "00"}`;
  return `${date}T${time}${offset}`;
}

export const pdoText = z.string().nullable();
export const pdoUuid = z.string().nullable();

/** text 'true'/'false' (5.1) or boolean (5.6) → boolean; NULL stays null. */
export const pdoFlag = z
  .union([z.boolean(), z.string(), z.null()])
  .transform((v) => (v === null ? null : v === true || (typeof v === "string" && v.trim().toLowerCase() === "true")));

/** numeric as text, or int → number; NULL stays null. */
export const pdoNumber = z.union([z.number(), z.string(), z.null()]).transform((v) => {
  if (v === null) return null;
  const n = typeof v === "number" ? v : Number(v);
  return Number.isFinite(n) ? n : null;
});

export const pdoTimestamp = z
  .string()
  .nullable()
  .transform((v) => (v === null ? null : pgTimestampToIso(v)));

/** A json column PDO hands over as text → its parsed value (null when absent or not JSON). */
export const pdoJson = z
  .union([z.string(), z.null()])
  .transform((v): unknown => {
    if (v === null) return null;
    try {
      return JSON.parse(v);
    } catch {
      return null;
    }
  });
