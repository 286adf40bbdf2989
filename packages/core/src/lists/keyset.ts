import type { Sql } from "@switchboard/db";
import { decodeCursor } from "./cursor.ts";

type Row = Record<string, unknown>;

/**
 * Keyset paging over a table by a text column then its uuid, `(coalesce(<text>, '') collate "C", <uuid>)`:
 * byte order, so the order never depends on the database's locale. `after` goes into the WHERE clause (empty
 * without a cursor), `orderBy` ends the query, `sortKey` gives a row's cursor parts for `toPage`. A cursor
 * that is not one of ours is a 400 here, before any query runs.
 */
export function textKeyset(sql: Sql, cursor: string | undefined, textColumn: string, uuidColumn: string) {
  const after = cursor ? decodeCursor(cursor, ["text", "uuid"]) : null;
  const text = sql`coalesce(${sql(textColumn)}, '') collate "C"`;
  return {
    after: after
      ? sql`and (${text}, ${sql(uuidColumn)}) > (${after[0]!}::text collate "C", ${after[1]!}::uuid)`
      : sql``,
    orderBy: sql`order by ${text}, ${sql(uuidColumn)}`,
    sortKey: (row: Row) => [String(row[textColumn] ?? ""), String(row[uuidColumn])],
  };
}
