import { z } from "zod";
import { defineAction } from "../action.ts";
import { badRequest, notFound } from "../errors.ts";
import { userText } from "../fusionpbx/text.ts";
import { uuidInput } from "../fusionpbx/uuid.ts";
import { splitList } from "../legacy/legacy-input.ts";
import { eventTypesInput, webhookOutput, webhookUrlInput } from "../webhooks/contracts.ts";
import { newWebhookSecret } from "../webhooks/secret.ts";
import { assertWebhookUrlAllowed, parseWebhookUrl, webhookUrlPolicy } from "../webhooks/url-policy.ts";
import { WEBHOOK_COLUMNS, type WebhookRow } from "../webhooks/webhook-store.ts";

export const webhookCreate = defineAction({
  name: "webhook-create",
  path: "webhooks.create",
  summary:
    "Subscribe a URL to PBX events (signed per Standard Webhooks); returns its whsec_ secret, shown only this once.",
  scope: "webhooks",
  /**
   * The endpoint's domain: `domain_uuid`, else the caller's own. An unbound caller naming none subscribes to
   * every domain, domain-less events included.
   */
  domain: { by: "input", uuid: "domain_uuid", whenAbsent: "caller" },
  kind: "mutation",
  input: z.object({
    url: webhookUrlInput,
    event_types: eventTypesInput,
    domain_uuid: uuidInput("domain_uuid").optional(),
    /** Only events of this extension (of the endpoint's domain). */
    extension_uuid: uuidInput("extension_uuid").optional(),
    description: userText(255, "a description").optional(),
  }),
  output: webhookOutput.extend({ secret: z.string() }),
  legacy: {
    required: ["url", "event_types"],
    toInput: (body) => ("event_types" in body ? { ...body, event_types: splitList(body.event_types) } : body),
  },
  async handler(ctx, input, domain) {
    const url = parseWebhookUrl(input.url);
    await assertWebhookUrlAllowed(url, webhookUrlPolicy());
    const sql = ctx.sql;
    if (input.extension_uuid) {
      if (!domain) throw badRequest("extension_uuid needs the domain_uuid it belongs to", { field: "domain_uuid" });
      const [extension] = await sql`
        select 1 from v_extensions
        where extension_uuid = ${input.extension_uuid}::uuid and domain_uuid = ${domain.domain_uuid}::uuid`;
      if (!extension) throw notFound("extension not found");
    }
    const secret = newWebhookSecret();
    const [row] = await sql<WebhookRow[]>`
      insert into switchboard_webhooks
        (webhook_uuid, domain_uuid, extension_uuid, url, event_types, description, secret, start_seq, created_by_key)
      values (${crypto.randomUUID()}::uuid, ${domain?.domain_uuid ?? null}::uuid, ${input.extension_uuid ?? null}::uuid,
              ${url.toString()}, ${input.event_types}::text[], ${input.description ?? null}, ${secret},
              (select coalesce(max(seq), 0) from switchboard_events), ${ctx.caller.keyId}::uuid)
      returning ${sql(WEBHOOK_COLUMNS)}`;
    return { ...row!, secret };
  },
});
