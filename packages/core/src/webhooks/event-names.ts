import { EVENT_TYPES } from "../events/event-types.ts";

/**
 * The event types an endpoint may subscribe to: those of the event log (docs/events.md); `*` subscribes to
 * every type, including ones added later.
 */
export const WEBHOOK_EVENT_TYPES: readonly string[] = EVENT_TYPES;

export const ALL_EVENT_TYPES = "*";
