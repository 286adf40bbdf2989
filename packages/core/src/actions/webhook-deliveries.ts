import { z } from "zod";
import { defineAction } from "../action.ts";
import { pdoTimestamp } from "../contracts/pdo.ts";
import { notFound } from "../errors.ts";
import { uuidInput } from "../fusionpbx/uuid.ts";
import { decodeCursor, encodeCursor } from "../lists/cursor.ts";
import { findWebhook } from "../webhooks/webhook-store.ts";

const attempt = z.object({
  attempted_at: pdoTimestamp,
  /** null: no answer (refused address, connection error, timeout; see `error`). */
  status_code: z.number().nullable(),
  error: z.string().nullable(),
  /** The first KiB of the endpoint's answer. */
  response_excerpt: z.string().nullable(),
  duration_ms: z.number(),
});

const delivery = z.object({
  delivery_id: z.coerce.string(),
  webhook_uuid: z.uuid(),
  /** The `webhook-id` header: the event's id, the same on every attempt and replay. */
  webhook_id: z.string(),
  event_type: z.string(),
  event_seq: z.coerce.number().nullable(),
  call_id: z.uuid().nullable(),
  status: z.enum(["pending", "succeeded", "failed"]),
  attempts: z.number(),
  next_attempt_at: pdoTimestamp,
  last_status_code: z.number().nullable(),
  last_error: z.string().nullable(),
  created_at: pdoTimestamp,
  finished_at: pdoTimestamp,
  attempt_log: z.array(attempt),
});

export const webhookDeliveries = defineAction({
  name: "webhook-deliveries",
  path: "webhooks.deliveries",
  summary:
    "An endpoint's delivery log, newest first: each event's status, attempts with status codes and response excerpts.",
  scope: "webhooks",
  domain: { by: "caller" },
  kind: "query",
  input: z.object({
    webhook_uuid: uuidInput("webhook_uuid"),
    status: z.enum(["pending", "succeeded", "failed"], { error: "status is pending, succeeded or failed" }).optional(),
    cursor: z.string().min(1).max(200).optional(),
    limit: z.number().int().min(1).max(200).default(50),
  }),
  output: z.object({ items: z.array(delivery), nextCursor: z.string().nullable() }),
  legacy: { required: ["webhook_uuid"] },
  async handler(ctx, input, domain) {
    const sql = ctx.sql;
    const webhook = await findWebhook(sql, input.webhook_uuid, domain?.domain_uuid ?? null);
    if (!webhook) throw notFound("webhook not found");
    const before = input.cursor ? decodeCursor(input.cursor, 1)[0]! : null;
    if (before !== null && !/^\d{1,19}$/.test(before)) decodeCursor("", 1);
    const rows = await sql<z.input<typeof delivery>[]>`
      select d.delivery_id::text as delivery_id, d.webhook_uuid::text as webhook_uuid, d.event_id as webhook_id,
             d.event_type, d.event_seq::text as event_seq, d.call_id::text as call_id, d.status, d.attempts,
             case when d.status = 'pending' then d.next_attempt_at end as next_attempt_at,
             d.last_status_code, d.last_error, d.created_at, d.finished_at,
             coalesce((
               select json_agg(json_build_object(
                 'attempted_at', a.attempted_at, 'status_code', a.status_code, 'error', a.error,
                 'response_excerpt', a.response_excerpt, 'duration_ms', a.duration_ms) order by a.attempt_id)
               from switchboard_webhook_attempts a where a.delivery_id = d.delivery_id), '[]'::json) as attempt_log
      from switchboard_webhook_deliveries d
      where d.webhook_uuid = ${input.webhook_uuid}::uuid
        ${input.status ? sql`and d.status = ${input.status}` : sql``}
        ${before !== null ? sql`and d.delivery_id < ${before}::bigint` : sql``}
      order by d.delivery_id desc
      limit ${input.limit + 1}`;
    // json_agg comes back as PostgreSQL's text, as PDO gives it.
    const items = rows.slice(0, input.limit).map((row) => ({
      ...row,
      attempt_log: typeof row.attempt_log === "string" ? JSON.parse(row.attempt_log) : row.attempt_log,
    }));
    const last = items[items.length - 1];
    return {
      items,
      nextCursor: rows.length > input.limit && last ? encodeCursor([String(last.delivery_id)]) : null,
    };
  },
});
