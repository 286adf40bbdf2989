import { z } from "zod";
import { defineAction } from "../action.ts";
import { notFound } from "../errors.ts";
import { uuidInput } from "../fusionpbx/uuid.ts";
import { sendTestDelivery } from "../webhooks/test-delivery.ts";
import { webhookUrlPolicy } from "../webhooks/url-policy.ts";
import { findWebhook } from "../webhooks/webhook-store.ts";

export const webhookTest = defineAction({
  name: "webhook-test",
  path: "webhooks.test",
  summary:
    "Send a signed webhook.test delivery to an endpoint now and report its answer (status, first KiB of the body).",
  scope: "webhooks",
  domain: { by: "caller" },
  kind: "mutation",
  input: z.object({ webhook_uuid: uuidInput("webhook_uuid") }),
  output: z.object({
    webhook_uuid: z.uuid(),
    delivery_id: z.string(),
    /** The `webhook-id` header sent. */
    webhook_id: z.string(),
    /** Whether the endpoint answered 2xx. */
    delivered: z.boolean(),
    status_code: z.number().nullable(),
    /** Why it was not delivered (no answer, refused address, non-2xx status); null when delivered. */
    reason: z.string().nullable(),
    response_excerpt: z.string().nullable(),
    duration_ms: z.number(),
  }),
  legacy: { required: ["webhook_uuid"] },
  async handler(ctx, input, domain) {
    const webhook = await findWebhook(ctx.sql, input.webhook_uuid, domain?.domain_uuid ?? null);
    if (!webhook) throw notFound("webhook not found");
    const { deliveryId, webhookId, outcome } = await sendTestDelivery(ctx.sql, webhook, webhookUrlPolicy(), ctx.now());
    const delivered = outcome.statusCode !== null && outcome.statusCode >= 200 && outcome.statusCode < 300;
    return {
      webhook_uuid: webhook.webhook_uuid,
      delivery_id: deliveryId,
      webhook_id: webhookId,
      delivered,
      status_code: outcome.statusCode,
      reason: delivered ? null : (outcome.error ?? `the endpoint answered ${outcome.statusCode}`),
      response_excerpt: outcome.excerpt,
      duration_ms: outcome.durationMs,
    };
  },
});
