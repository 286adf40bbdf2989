import type { Sql } from "@switchboard/db";
import { signedHeaders } from "./payload.ts";
import { postWebhook, type SendOutcome } from "./send.ts";
import type { WebhookUrlPolicy } from "./url-policy.ts";

export const TEST_EVENT_TYPE = "webhook.test";

/**
 * Sends one signed `webhook.test` to an endpoint now, enabled or not, and files it in the delivery log with
 * its attempt. It is not retried.
 */
export async function sendTestDelivery(
  sql: Sql,
  webhook: { webhook_uuid: string; url: string; secret: string },
  policy: WebhookUrlPolicy,
  now: Date,
): Promise<{ deliveryId: string; webhookId: string; outcome: SendOutcome }> {
  const webhookId = `msg_test_${crypto.randomUUID()}`;
  const timestamp = now.toISOString();
  const body = JSON.stringify({
    type: TEST_EVENT_TYPE,
    timestamp,
    data: { webhook_uuid: webhook.webhook_uuid, message: "A test delivery from Switchboard." },
  });
  const outcome = await postWebhook(new URL(webhook.url), signedHeaders(webhook.secret, webhookId, body, now), body, {
    policy,
  });
  const ok = outcome.statusCode !== null && outcome.statusCode >= 200 && outcome.statusCode < 300;
  const error = outcome.error ?? (ok ? null : `the endpoint answered ${outcome.statusCode}`);
  const deliveryId = await sql.begin(async (tx) => {
    const [delivery] = await tx<{ delivery_id: string }[]>`
      insert into switchboard_webhook_deliveries
        (webhook_uuid, event_id, event_type, status, attempts, last_status_code, last_error, finished_at)
      values (${webhook.webhook_uuid}::uuid, ${webhookId}, ${TEST_EVENT_TYPE}, ${ok ? "succeeded" : "failed"}, 1,
              ${outcome.statusCode}, ${error}, now())
      returning delivery_id`;
    await tx`
      insert into switchboard_webhook_attempts (delivery_id, attempted_at, status_code, error, response_excerpt, duration_ms)
      values (${delivery!.delivery_id}, ${now.toISOString()}::timestamptz, ${outcome.statusCode}, ${outcome.error}, ${outcome.excerpt}, ${outcome.durationMs})`;
    return delivery!.delivery_id;
  });
  return { deliveryId: String(deliveryId), webhookId, outcome };
}
