import { z } from "zod";
import { defineAction } from "../action.ts";
import { notFound } from "../errors.ts";
import { uuidInput } from "../fusionpbx/uuid.ts";
import { visibleTo } from "../webhooks/webhook-store.ts";

export const webhookDelete = defineAction({
  name: "webhook-delete",
  path: "webhooks.delete",
  summary: "Delete a webhook endpoint with its delivery log; nothing more is sent to it.",
  scope: "webhooks",
  domain: { by: "caller" },
  kind: "mutation",
  input: z.object({ webhook_uuid: uuidInput("webhook_uuid") }),
  output: z.object({ webhook_uuid: z.uuid(), deleted: z.literal(true) }),
  legacy: { required: ["webhook_uuid"] },
  async handler(ctx, input, domain) {
    const sql = ctx.sql;
    const [row] = await sql`
      delete from switchboard_webhooks
      where webhook_uuid = ${input.webhook_uuid}::uuid and ${visibleTo(sql, domain?.domain_uuid ?? null)}
      returning webhook_uuid`;
    if (!row) throw notFound("webhook not found");
    return { webhook_uuid: input.webhook_uuid, deleted: true as const };
  },
});
