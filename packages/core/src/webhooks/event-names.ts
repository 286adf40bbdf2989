/**
 * The event types an endpoint may subscribe to (docs/webhooks.md); `*` subscribes to every type, including
 * ones added later.
 */
export const WEBHOOK_EVENT_TYPES = [
  "call.started",
  "call.ringing",
  "call.answered",
  "call.ended",
  "call.missed",
  "voicemail.left",
  "extension.registered",
  "extension.unregistered",
  "queue.joined",
  "queue.answered",
  "queue.abandoned",
  "agent.status",
] as const;

export const ALL_EVENT_TYPES = "*";
