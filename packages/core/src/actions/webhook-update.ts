import { z } from "zod";
import { defineAction } from "../action.ts";
import { badRequest, notFound } from "../errors.ts";
import { userText } from "../fusionpbx/text.ts";
import { uuidInput } from "../fusionpbx/uuid.ts";
import { flagInput } from "../fusionpbx/values.ts";
import { splitList } from "../legacy/legacy-input.ts";
import { eventTypesInput, webhookOutput, webhookUrlInput } from "../webhooks/contracts.ts";
import { assertWebhookUrlAllowed, parseWebhookUrl, webhookUrlPolicy } from "../webhooks/url-policy.ts";
import {
  findWebhook,
  visibleTo,
  WEBHOOK_COLUMNS,
  type WebhookRow,
  wakeDispatchers,
} from "../webhooks/webhook-store.ts";

export const webhookUpdate = defineAction({
  name: "webhook-update",
  path: "webhooks.update",
  summary:
    "Change a webhook endpoint's URL, event types, extension filter or description; enable it again after Switchboard disabled it.",
  scope: "webhooks",
  domain: { by: "caller" },
  kind: "mutation",
  input: z.object({
    webhook_uuid: uuidInput("webhook_uuid"),
    url: webhookUrlInput.optional(),
    event_types: eventTypesInput.optional(),
    /** null removes the extension filter. */
    extension_uuid: uuidInput("extension_uuid").nullable().optional(),
    description: userText(255, "a description").nullable().optional(),
    enabled: flagInput.optional(),
  }),
  output: webhookOutput,
  legacy: {
    required: ["webhook_uuid"],
    toInput: (body) => ("event_types" in body ? { ...body, event_types: splitList(body.event_types) } : body),
  },
  async handler(ctx, input, domain) {
    const sql = ctx.sql;
    const visible = domain?.domain_uuid ?? null;
    const current = await findWebhook(sql, input.webhook_uuid, visible);
    if (!current) throw notFound("webhook not found");
    const changes: Record<string, unknown> = {};
    if (input.url !== undefined) {
      const url = parseWebhookUrl(input.url);
      await assertWebhookUrlAllowed(url, webhookUrlPolicy());
      changes.url = url.toString();
    }
    if (input.event_types !== undefined) changes.event_types = input.event_types;
    if (input.description !== undefined) changes.description = input.description;
    if (input.extension_uuid !== undefined) {
      if (input.extension_uuid !== null) {
        if (!current.domain_uuid)
          throw badRequest("an endpoint for every domain cannot filter by extension", { field: "extension_uuid" });
        const [extension] = await sql`
          select 1 from v_extensions
          where extension_uuid = ${input.extension_uuid}::uuid and domain_uuid = ${current.domain_uuid}::uuid`;
        if (!extension) throw notFound("extension not found");
      }
      changes.extension_uuid = input.extension_uuid;
    }
    if (input.enabled !== undefined) {
      changes.enabled = input.enabled;
      changes.disabled_at = input.enabled ? null : (current.disabled_at ?? ctx.now().toISOString());
      if (input.enabled) {
        changes.disabled_reason = null;
        changes.failing_since = null;
      }
    }
    changes.updated_at = ctx.now().toISOString();
    const [row] = await sql<WebhookRow[]>`
      update switchboard_webhooks set ${sql(changes)}
      where webhook_uuid = ${input.webhook_uuid}::uuid and ${visibleTo(sql, visible)}
      returning ${sql(WEBHOOK_COLUMNS)}`;
    if (!row) throw notFound("webhook not found");
    if (input.enabled) await wakeDispatchers(sql);
    return row;
  },
});
