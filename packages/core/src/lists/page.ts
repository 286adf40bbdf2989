import { z } from "zod";
import { flagInput } from "../fusionpbx/values.ts";
import { encodeCursor } from "./cursor.ts";

export const DEFAULT_LIMIT = 100;
export const MAX_LIMIT = 1000;

/** Input fields every list shares: an opaque cursor and a page size (default 100, at most 1000). */
export const pageInput = {
  cursor: z.string().min(1).max(2000).optional(),
  limit: z.number().int().min(1).max(MAX_LIMIT).default(DEFAULT_LIMIT),
};

/** A boolean filter as JSON or as the text the legacy face's callers tend to send. */
export const booleanFilter = flagInput.optional();

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

/**
 * Cuts a `limit + 1` query result into one page: the extra row only proves there is a next page, whose
 * cursor is the sort key of the last row kept.
 */
export function toPage<T>(rows: readonly T[], limit: number, sortKey: (row: T) => readonly string[]): Page<T> {
  const items = rows.slice(0, limit);
  const last = items[items.length - 1];
  return { items, nextCursor: rows.length > limit && last !== undefined ? encodeCursor(sortKey(last)) : null };
}

/** The output contract of a list: normalised items and the cursor of the next page (null on the last). */
export function pageOutput<T extends z.ZodType>(item: T) {
  return z.object({ items: z.array(item), nextCursor: z.string().nullable() });
}
