import { z } from "zod";

/**
 * Output normalisers: handlers return values as PHP/PDO gives them (the legacy body); typed faces get these.
 * Each ends in `.pipe(<plain type>)` so JSON Schema and docs show the normalised type.
 */

/** A 5.6 boolean or a 5.1 text flag (`"true"`/`"false"`, sometimes empty) → boolean | null. */
export const pdoBoolean = z
  .union([z.boolean(), z.string(), z.null()])
  .transform((v) => (v === null || v === "" ? null : v === true || v === "true" || v === "t"))
  .pipe(z.boolean().nullable());

/** numeric as text (`"30"`, `"12.50"`) or a number → number | null. */
export const pdoNumber = z
  .union([z.number(), z.string(), z.null()])
  .transform((v) => (v === null || v === "" ? null : Number(v)))
  .pipe(z.number().nullable());

/**
 * The one timestamp format of the typed faces: ISO 8601 in UTC with milliseconds and `Z`
 * (`2023-05-01T20:52:04.120Z`), what `Date#toISOString` writes.
 */
export const isoTimestamp = z.iso.datetime({ precision: 3 });

/**
 * Every timestamp an output contract holds: PostgreSQL timestamp text (`2023-05-01 20:52:04.12+00`), a
 * Date, or ISO 8601 with any offset → `isoTimestamp` | null. The legacy route keeps the text as it came.
 */
export const pdoTimestamp = z
  .union([z.string(), z.date(), z.null()])
  .transform((v) => {
    if (v === null || v === "") return null;
    const time = new Date(v instanceof Date ? v : pgTimestampToIso(v));
    // Not a time: left as it came, so that the pipe reports it instead of throwing.
    return Number.isNaN(time.getTime()) ? String(v) : time.toISOString();
  })
  .pipe(isoTimestamp.nullable());

/** FreeSWITCH's epoch seconds as text (`"1682974324"`; `"0"` or empty: never) → `isoTimestamp` | null. */
export const switchEpoch = z
  .string()
  .transform((v): string | Date | null => {
    const seconds = Number(v);
    return v.trim() !== "" && Number.isFinite(seconds) && seconds > 0 ? new Date(seconds * 1000).toISOString() : null;
  })
  .pipe(pdoTimestamp);

/**
 * A row FreeSWITCH lists (every field text, as the legacy route sends it); on the typed faces its time fields
 * (`times`, epoch seconds) are `isoTimestamp` | null.
 */
export function switchRow<const T extends readonly string[]>(times: T) {
  const shape = Object.fromEntries(times.map((name) => [name, switchEpoch.optional()])) as {
    [K in T[number]]: z.ZodOptional<typeof switchEpoch>;
  };
  // The other columns are text; the index type also admits the time columns' null and absence, or a
  // declaration file (the client package's) could not state the row type.
  return z.object(shape).catchall(z.string().nullish());
}

/** `pdoTimestamp` for a time that is always set (a call's creation). */
export const pdoTimestampSet = pdoTimestamp.pipe(isoTimestamp);

/** json column text → parsed value (null when absent or invalid). */
export const pdoJson = z
  .union([z.string(), z.null(), z.array(z.unknown()), z.record(z.string(), z.unknown())])
  .transform((v) => {
    if (typeof v !== "string") return v;
    try {
      return JSON.parse(v) as unknown;
    } catch {
      return null;
    }
  })
  .pipe(z.unknown());

/** `2023-05-01 20:52:04.12+00` → `2023-05-01T20:52:04.12+00:00` (Date cannot parse the short offset). */
export function pgTimestampToIso(text: string): string {
  const m = /^(\d{4}-\d\d-\d\d)[ T](\d\d:\d\d:\d\d(?:\.\d+)?)([+-]\d\d)(?::?(\d\d))?$/.exec(text.trim());
  if (!m) return text;
  return `${m[1]}T${m[2]}${m[3]}:${m[4] ?? "00"}`;
}
