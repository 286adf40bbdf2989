import { z } from "zod";
import { defineAction } from "../action.ts";
import { badRequest, conflict, notFound } from "../errors.ts";
import { uuidInput } from "../fusionpbx/uuid.ts";
import { findWebhook, wakeDispatchers } from "../webhooks/webhook-store.ts";

export const webhookReplay = defineAction({
  name: "webhook-replay",
  path: "webhooks.replay",
  summary: "Send again one delivery (delivery_id), or every failed one since a time (since), with the same webhook-id.",
  scope: "webhooks",
  domain: { by: "caller" },
  kind: "mutation",
  input: z.object({
    webhook_uuid: uuidInput("webhook_uuid"),
    delivery_id: z
      .union([z.string().regex(/^\d{1,19}$/), z.number().int().positive()], {
        error: "delivery_id must be a delivery's number from webhook-deliveries",
      })
      .optional(),
    since: z.iso
      .datetime({ offset: true, error: "since must be an ISO 8601 time like 2026-01-31T09:00:00Z" })
      .optional(),
  }),
  output: z.object({
    webhook_uuid: z.uuid(),
    replayed: z.number(),
    delivery_ids: z.array(z.coerce.string()),
  }),
  legacy: { required: ["webhook_uuid"] },
  async handler(ctx, input, domain) {
    const sql = ctx.sql;
    const webhook = await findWebhook(sql, input.webhook_uuid, domain?.domain_uuid ?? null);
    if (!webhook) throw notFound("webhook not found");
    if ((input.delivery_id === undefined) === (input.since === undefined))
      throw badRequest("give either delivery_id (one delivery) or since (every failure since that time)", {
        field: input.delivery_id === undefined ? "since" : "delivery_id",
      });
    if (!webhook.enabled)
      throw conflict("this webhook is disabled; enable it with webhook-update (enabled: true), then replay");
    let rows: { delivery_id: string }[];
    if (input.delivery_id !== undefined) {
      const id = String(input.delivery_id);
      const [current] = await sql<{ status: string; event_seq: string | null }[]>`
        select status, event_seq from switchboard_webhook_deliveries
        where delivery_id = ${id}::bigint and webhook_uuid = ${webhook.webhook_uuid}::uuid`;
      if (!current) throw notFound("delivery not found");
      if (current.event_seq === null)
        throw badRequest("a test delivery cannot be replayed; run webhook-test again", { field: "delivery_id" });
      if (current.status === "pending") throw conflict("this delivery is still being attempted");
      rows = await sql`
        update switchboard_webhook_deliveries
        set status = 'pending', attempts = 0, next_attempt_at = now(), finished_at = null
        where delivery_id = ${id}::bigint and status <> 'pending'
        returning delivery_id::text as delivery_id`;
    } else {
      rows = await sql`
        update switchboard_webhook_deliveries
        set status = 'pending', attempts = 0, next_attempt_at = now(), finished_at = null
        where webhook_uuid = ${webhook.webhook_uuid}::uuid and status = 'failed' and event_seq is not null
          and created_at >= ${input.since!}::timestamptz
        returning delivery_id::text as delivery_id`;
    }
    if (rows.length > 0) await wakeDispatchers(sql);
    return {
      webhook_uuid: webhook.webhook_uuid,
      replayed: rows.length,
      delivery_ids: rows.map((r) => r.delivery_id).sort((a, b) => Number(a) - Number(b)),
    };
  },
});
