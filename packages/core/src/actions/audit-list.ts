import { z } from "zod";
import { defineAction } from "../action.ts";
import { uuidInput } from "../fusionpbx/uuid.ts";
import { pdoTimestamp } from "../contracts/pdo.ts";
import { badRequest } from "../errors.ts";
import { userText } from "../fusionpbx/text.ts";

const entry = z.object({
  audit_uuid: z.uuid(),
  occurred_at: pdoTimestamp,
  face: z.string().nullable(),
  key_uuid: z.uuid().nullable(),
  slack_user_id: z.string().nullable(),
  slack_team_id: z.string().nullable(),
  action: z.string().nullable(),
  domain_uuid: z.uuid().nullable(),
  outcome: z.string().nullable(),
  error_code: z.string().nullable(),
  request_id: z.string().nullable(),
  address: z.string().nullable(),
  duration_ms: z.number().nullable(),
});

const isoTime = (field: string) => z.iso.datetime({ offset: true, error: `${field} must be an ISO 8601 date-time` });

type AuditRow = z.input<typeof entry>;

/** The cursor is the last row's exact (occurred_at text, audit_uuid): stable under concurrent inserts. */
function encodeCursor(row: AuditRow): string {
  return Buffer.from(`${row.occurred_at}|${row.audit_uuid}`, "utf8").toString("base64url");
}

function decodeCursor(cursor: string): { at: string; id: string } {
  const text = Buffer.from(cursor, "base64url").toString("utf8");
  const [at, id] = text.split("|");
  if (!at || !id || !/^[0-9a-f-]{36}$/.test(id) || !/^\d{4}-\d\d-\d\d[ T][0-9:.+-]+$/.test(at)) {
    throw badRequest("invalid parameter: cursor", { field: "cursor" });
  }
  return { at, id };
}

export const auditList = defineAction({
  name: "audit-list",
  path: "audit.list",
  summary: "Who did what: the audit log, newest first (by key, action, outcome, domain, time), with a cursor.",
  scope: "admin",
  /** A domain-bound admin sees only the rows filed under their own domain. */
  domain: { by: "input", uuid: "domain_uuid", whenAbsent: "caller" },
  kind: "query",
  input: z.object({
    limit: z.number().int().min(1).max(500).default(50),
    cursor: z.string().max(200).optional(),
    key_uuid: uuidInput("key_uuid").optional(),
    action_name: userText(100, "an action name").optional(),
    domain_uuid: uuidInput("domain_uuid").optional(),
    /** `ok`, `error`, or whatever else the faces file (refusals). */
    outcome: userText(50, "an outcome").optional(),
    /** Rows at or after this time. */
    start: isoTime("start").optional(),
    /** Rows before this time. */
    end: isoTime("end").optional(),
  }),
  output: z.object({ items: z.array(entry), nextCursor: z.string().nullable() }),
  async handler(ctx, input, resolved) {
    const sql = ctx.sql;
    const domain = resolved?.domain_uuid ?? null;
    const after = input.cursor ? decodeCursor(input.cursor) : null;
    const rows = await sql<AuditRow[]>`
      select audit_uuid::text as audit_uuid, occurred_at, face, key_uuid::text as key_uuid, slack_user_id, slack_team_id,
             action, domain_uuid::text as domain_uuid, outcome, error_code, request_id, address, duration_ms
      from switchboard_audit
      where true
        ${domain ? sql`and domain_uuid = ${domain}::uuid` : sql``}
        ${input.key_uuid ? sql`and key_uuid = ${input.key_uuid}::uuid` : sql``}
        ${input.action_name ? sql`and action = ${input.action_name}` : sql``}
        ${input.outcome ? sql`and outcome = ${input.outcome}` : sql``}
        ${input.start ? sql`and occurred_at >= ${input.start}::timestamptz` : sql``}
        ${input.end ? sql`and occurred_at < ${input.end}::timestamptz` : sql``}
        ${after ? sql`and (occurred_at, audit_uuid) < (${after.at}::timestamptz, ${after.id}::uuid)` : sql``}
      order by occurred_at desc, audit_uuid desc
      limit ${input.limit + 1}`;
    const items = rows.slice(0, input.limit);
    const last = items[items.length - 1];
    return { items, nextCursor: rows.length > input.limit && last ? encodeCursor(last) : null };
  },
});
