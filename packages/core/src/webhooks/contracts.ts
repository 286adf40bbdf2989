import { z } from "zod";
import { pdoTimestamp } from "../contracts/pdo.ts";
import { ALL_EVENT_TYPES, WEBHOOK_EVENT_TYPES } from "./event-names.ts";

const EVENT_TYPE_HINT = `event types are ${WEBHOOK_EVENT_TYPES.join(", ")}, or ${ALL_EVENT_TYPES} for all`;

/** Which events an endpoint receives: known type names, or `*`. The legacy face also takes "a, b". */
export const eventTypesInput = z
  .array(z.enum([ALL_EVENT_TYPES, ...WEBHOOK_EVENT_TYPES], { error: EVENT_TYPE_HINT }))
  .min(1, { error: `at least one event type (${EVENT_TYPE_HINT})` })
  .max(WEBHOOK_EVENT_TYPES.length + 1)
  .transform((types) => [...new Set(types)].sort());

export const webhookUrlInput = z.string({ error: "url must be a URL like https://hooks.example.com/switchboard" });

/** An endpoint as every webhook action returns it; never its secret. */
export const webhookOutput = z.object({
  webhook_uuid: z.uuid(),
  domain_uuid: z.uuid().nullable(),
  extension_uuid: z.uuid().nullable(),
  url: z.string(),
  event_types: z.array(z.string()),
  description: z.string().nullable(),
  enabled: z.boolean(),
  /** Why Switchboard disabled it (410 Gone, failing for days); null when enabled or disabled by a person. */
  disabled_reason: z.string().nullable(),
  disabled_at: pdoTimestamp,
  /** Since when every attempt failed; null after a success. */
  failing_since: pdoTimestamp,
  last_success_at: pdoTimestamp,
  created_at: pdoTimestamp,
  updated_at: pdoTimestamp,
});
