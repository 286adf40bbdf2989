import { z } from "zod";
import { defineAction } from "../action.ts";
import { badRequest } from "../errors.ts";
import { issueAt, legacyBody } from "../legacy/legacy-input.ts";
import { CDR_COLUMNS, cdrRow } from "../fusionpbx/row-schemas.ts";
import { canonicalUuid, uuidInput } from "../fusionpbx/uuid.ts";
import { encodeCursor } from "../lists/cursor.ts";
import { DEFAULT_LIMIT, MAX_LIMIT, pageOutput } from "../lists/page.ts";

export const CDR_DIRECTIONS = ["inbound", "outbound", "local"] as const;

interface CdrCursor {
  /** end_stamp text of the last row returned (null for a NULL end_stamp). */
  endStamp: string | null;
  /** Every xml_cdr_uuid already returned with that end_stamp. */
  seen: string[];
}

/** The cursor `encodeCursor([endStamp or "", ...seen])` made: version 1, then strings. */
function decodeCdrCursor(cursor: string): CdrCursor {
  try {
    const decoded = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8")) as unknown;
    if (Array.isArray(decoded) && decoded[0] === 1 && decoded.length >= 3) {
      const [, endStamp, ...seen] = decoded as unknown[];
      if (typeof endStamp === "string" && seen.every((u) => typeof u === "string" && canonicalUuid(u) !== null)) {
        return { endStamp: endStamp === "" ? null : endStamp, seen: seen.map((u) => canonicalUuid(u as string)!) };
      }
    }
  } catch {
    // fall through to the error below
  }
  throw badRequest("invalid parameter: cursor", { field: "cursor" });
}

const isoTime = (field: string) => z.iso.datetime({ offset: true, error: `${field} must be an ISO 8601 date-time` });

/**
 * docs/original-api.md §5.1: a domain's call records, newest `end_stamp` first (NULL first, as PostgreSQL sorts them), both legs,
 * the original's 16 columns, in the original's order (same ORDER BY and LIMIT, so ties come back as they
 * did). Added: `start`/`end` (on `start_stamp`, end exclusive), `direction`, and a keyset cursor with
 * `limit` (default 100, as the original's fixed page; at most 1000). The legacy body stays the bare array;
 * typed faces also get `nextCursor`.
 */
export const cdrList = defineAction({
  name: "cdr-list",
  path: "cdr.list",
  summary: "Call records of a domain, newest first (default 100), with time range, direction and cursor.",
  scope: "read",
  domain: { by: "input", uuid: "domain_uuid", whenAbsent: "refuse" },
  kind: "query",
  input: z.object({
    domain_uuid: uuidInput("domain_uuid"),
    start: isoTime("start").optional(),
    end: isoTime("end").optional(),
    direction: z.enum(CDR_DIRECTIONS, { error: `direction must be one of ${CDR_DIRECTIONS.join(", ")}` }).optional(),
    cursor: z.string().min(1).max(200_000).optional(),
    limit: z.number().int().min(1).max(MAX_LIMIT).default(DEFAULT_LIMIT),
  }),
  output: pageOutput(cdrRow),
  legacy: {
    required: ["domain_uuid"],
    toInput: (body) =>
      legacyBody(body, { optional: ["start", "end", "direction", "cursor", "limit"], strings: ["domain_uuid"] }),
    // The original's select failed on a malformed uuid and the list came back as `false`.
    onInvalid: (issues) => (issueAt(issues, "domain_uuid") ? { status: 200, body: false } : undefined),
    // The original selected the domain's call records: none for a domain that does not exist.
    domainNotFound: { status: 200, body: [] },
    body: z.union([z.array(cdrRow), z.literal(false)]),
    toBody: (output) => (output as { items: unknown }).items,
  },
  async handler(ctx, input, resolved) {
    const domain = resolved.domain_uuid;
    const after = input.cursor ? decodeCdrCursor(input.cursor) : null;
    const sql = ctx.sql;
    const filters = sql`
      where domain_uuid = ${domain}
        ${input.start ? sql`and start_stamp >= ${input.start}` : sql``}
        ${input.end ? sql`and start_stamp < ${input.end}` : sql``}
        ${input.direction ? sql`and direction = ${input.direction}` : sql``}`;
    const afterCursor = (c: CdrCursor) =>
      c.endStamp === null
        ? sql`and ((end_stamp is null and xml_cdr_uuid <> all(string_to_array(${c.seen.join(",")}, ',')::uuid[])) or end_stamp is not null)`
        : // The first bound repeats what the OR implies so an index on (domain_uuid, end_stamp) starts the scan at
          // the cursor instead of reading every newer row (packages/db/src/indexes.ts).
          sql`and end_stamp <= ${c.endStamp}::timestamptz
              and (end_stamp < ${c.endStamp}::timestamptz or (end_stamp = ${c.endStamp}::timestamptz and xml_cdr_uuid <> all(string_to_array(${c.seen.join(",")}, ',')::uuid[])))`;
    // The original's exact ORDER BY and LIMIT: PostgreSQL then returns rows with equal end_stamp in the same
    // order it gave the original. Ties are why the cursor carries the uuids already returned at its end_stamp.
    const rows = await sql<Record<string, unknown>[]>`
      select ${sql(CDR_COLUMNS as unknown as string[])} from v_xml_cdr ${filters} ${after ? afterCursor(after) : sql``}
      order by end_stamp desc limit ${input.limit}`;
    const items = [...rows] as (z.input<typeof cdrRow> & { end_stamp: string | null })[];
    const last = items[items.length - 1];
    if (items.length < input.limit || !last) return { items, nextCursor: null };
    const endStamp = last.end_stamp;
    const seen = items.filter((r) => r.end_stamp === endStamp).map((r) => r.xml_cdr_uuid);
    if (after && after.endStamp === endStamp) seen.unshift(...after.seen);
    const next: CdrCursor = { endStamp, seen };
    const more = await sql`select 1 from v_xml_cdr ${filters} ${afterCursor(next)} limit 1`;
    return { items, nextCursor: more.length > 0 ? encodeCursor([endStamp ?? "", ...seen]) : null };
  },
});
