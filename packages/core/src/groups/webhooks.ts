import type { AnyAction } from "../action.ts";
import { webhookCreate } from "../actions/webhook-create.ts";
import { webhookDeliveries } from "../actions/webhook-deliveries.ts";
import { webhookDelete } from "../actions/webhook-delete.ts";
import { webhookList } from "../actions/webhook-list.ts";
import { webhookReplay } from "../actions/webhook-replay.ts";
import { webhookTest } from "../actions/webhook-test.ts";
import { webhookUpdate } from "../actions/webhook-update.ts";

/** Signed webhooks for PBX events (docs/webhooks.md); the `webhooks` scope, or admin. */
export const webhookActions = [
  webhookCreate,
  webhookList,
  webhookUpdate,
  webhookTest,
  webhookDeliveries,
  webhookReplay,
  webhookDelete,
] as const satisfies readonly AnyAction[];
