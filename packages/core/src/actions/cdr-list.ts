import { z } from "zod";
import { defineAction } from "../action.ts";
import { callerMaySee } from "../fusionpbx/domains.ts";
import { issueAt, legacyBody } from "../fusionpbx/legacy-input.ts";
import { CDR_COLUMNS, cdrRow } from "../fusionpbx/rows.ts";
import { canonicalUuid, pgUuid } from "../fusionpbx/uuid.ts";
import { decodeCursor, encodeCursor } from "../lists/cursor.ts";
import { DEFAULT_LIMIT, MAX_LIMIT, pageOutput } from "../lists/page.ts";

export const CDR_DIRECTIONS = ["inbound", "outbound", "local"] as const;

const isoTime = (field: string) => z.iso.datetime({ offset: true, error: `${field} must be an ISO 8601 date-time` });

/**
 * §6.1: a domain's call records, newest `end_stamp` first (NULL first, as PostgreSQL sorts them), both legs,
 * the original's 16 columns. Added: `start`/`end` (on `start_stamp`, end exclusive), `direction`, and a
 * keyset cursor with `limit` (default 100, as the original's fixed page; at most 1000). The legacy body
 * stays the bare array; typed faces also get `nextCursor`.
 */
export const cdrList = defineAction({
  name: "cdr-list",
  path: "cdr.list",
  summary: "Call records of a domain, newest first (default 100), with time range, direction and cursor.",
  scope: "read",
  kind: "query",
  input: z.object({
    domain_uuid: pgUuid("domain_uuid"),
    start: isoTime("start").optional(),
    end: isoTime("end").optional(),
    direction: z.enum(CDR_DIRECTIONS, { error: `direction must be one of ${CDR_DIRECTIONS.join(", ")}` }).optional(),
    cursor: z.string().min(1).max(2000).optional(),
    limit: z.coerce.number().int().min(1).max(MAX_LIMIT).default(DEFAULT_LIMIT),
  }),
  output: pageOutput(cdrRow),
  legacy: {
    required: ["domain_uuid"],
    toInput: (body) => legacyBody(body, { optional: ["start", "end", "direction", "cursor", "limit"], strings: ["domain_uuid"] }),
    // The original's select failed on a malformed uuid and the list came back as `false`.
    onInvalid: (issues) => (issueAt(issues, "domain_uuid") ? { status: 200, body: false } : undefined),
    toBody: (output) => (output as { items: unknown }).items,
  },
  async handler(ctx, input) {
    const domain = canonicalUuid(input.domain_uuid);
    if (!domain || !callerMaySee(ctx.caller, domain)) return { items: [], nextCursor: null };
    const after = input.cursor ? decodeCursor(input.cursor, 2) : null;
    // Cursor parts: end_stamp text ("" for NULL), xml_cdr_uuid.
    const afterEnd = after ? (after[0] === "" ? null : after[0]!) : null;
    const afterUuid = after ? canonicalUuid(after[1]!) : null;
    if (after && !afterUuid) return { items: [], nextCursor: null };
    const sql = ctx.sql;
    const rows = await sql<Record<string, unknown>[]>`
      select ${sql(CDR_COLUMNS as unknown as string[])} from v_xml_cdr
      where domain_uuid = ${domain}
        ${input.start ? sql`and start_stamp >= ${input.start}` : sql``}
        ${input.end ? sql`and start_stamp < ${input.end}` : sql``}
        ${input.direction ? sql`and direction = ${input.direction}` : sql``}
        ${
          after
            ? afterEnd === null
              ? sql`and ((end_stamp is null and xml_cdr_uuid < ${afterUuid}) or end_stamp is not null)`
              : sql`and (end_stamp < ${afterEnd}::timestamptz or (end_stamp = ${afterEnd}::timestamptz and xml_cdr_uuid < ${afterUuid}))`
            : sql``
        }
      order by end_stamp desc, xml_cdr_uuid desc
      limit ${input.limit + 1}`;
    const items = rows.slice(0, input.limit) as z.input<typeof cdrRow>[];
    const last = items[items.length - 1];
    const nextCursor =
      rows.length > input.limit && last ? encodeCursor([(last.end_stamp as string | null) ?? "", last.xml_cdr_uuid]) : null;
    return { items, nextCursor };
  },
});
