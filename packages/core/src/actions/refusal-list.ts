import { z } from "zod";
import { defineAction } from "../action.ts";
import { REFUSAL_REASONS } from "../audit/refusal-sink.ts";
import { pdoNumber, pdoTimestamp } from "../contracts/pdo.ts";
import { badRequest } from "../errors.ts";
import { uuidInput } from "../fusionpbx/uuid.ts";

const entry = z.object({
  refusal_uuid: z.uuid(),
  minute: pdoTimestamp,
  face: z.string(),
  reason: z.string(),
  key_uuid: z.uuid().nullable(),
  address: z.string(),
  count: pdoNumber,
  last_at: pdoTimestamp,
});

type RefusalRow = z.input<typeof entry>;

/** The cursor is the last row's exact (minute text, refusal_uuid): a row's minute never changes. */
function encodeCursor(row: RefusalRow): string {
  return Buffer.from(`${row.minute}|${row.refusal_uuid}`, "utf8").toString("base64url");
}

function decodeCursor(cursor: string): { minute: string; id: string } {
  const [minute, id] = Buffer.from(cursor, "base64url").toString("utf8").split("|");
  if (!minute || !id || !/^[0-9a-f-]{36}$/.test(id) || !/^\d{4}-\d\d-\d\d[ T][0-9:.+-]+$/.test(minute)) {
    throw badRequest("invalid parameter: cursor", { field: "cursor" });
  }
  return { minute, id };
}

export const refusalList = defineAction({
  name: "refusal-list",
  path: "audit.refusals",
  summary:
    "Refused requests (bad or missing credentials, rate limits, malformed, oversized or unknown requests), counted per minute by face, reason, presented key id and address; newest first.",
  scope: "admin",
  /** A domain-bound admin sees refusals of its own domain's keys only; refusals naming no key are the operator's. */
  domain: { by: "caller" },
  kind: "query",
  input: z.object({
    limit: z.number().int().min(1).max(500).default(50),
    cursor: z.string().max(200).optional(),
    key_uuid: uuidInput("key_uuid").optional(),
    reason: z.enum(REFUSAL_REASONS, { error: `a reason is one of ${REFUSAL_REASONS.join(", ")}` }).optional(),
  }),
  output: z.object({ items: z.array(entry), nextCursor: z.string().nullable() }),
  async handler(ctx, input, domain) {
    const sql = ctx.sql;
    const after = input.cursor ? decodeCursor(input.cursor) : null;
    const rows = await sql<RefusalRow[]>`
      select r.refusal_uuid::text as refusal_uuid, r.minute, r.face, r.reason, r.key_uuid::text as key_uuid,
             r.address, r.count, r.last_at
      from switchboard_refusals r
      where true
        ${domain ? sql`and r.key_uuid in (select p.key_uuid from switchboard_key_policies p where p.domain_uuid = ${domain.domain_uuid}::uuid)` : sql``}
        ${input.key_uuid ? sql`and r.key_uuid = ${input.key_uuid}::uuid` : sql``}
        ${input.reason ? sql`and r.reason = ${input.reason}` : sql``}
        ${after ? sql`and (r.minute, r.refusal_uuid) < (${after.minute}::timestamptz, ${after.id}::uuid)` : sql``}
      order by r.minute desc, r.refusal_uuid desc
      limit ${input.limit + 1}`;
    const items = rows.slice(0, input.limit);
    const last = items[items.length - 1];
    return { items, nextCursor: rows.length > input.limit && last ? encodeCursor(last) : null };
  },
});
