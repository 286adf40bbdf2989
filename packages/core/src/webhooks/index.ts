export {
  createWebhookDispatcher,
  type WebhookDispatcher,
  type WebhookDispatcherOptions,
} from "./dispatcher.ts";
export { envelopeOf, webhookBody } from "./payload.ts";
export { RETRY_DELAYS_MS } from "./schedule.ts";
export { webhookUrlPolicy, type WebhookUrlPolicy } from "./url-policy.ts";
