export * from "./action.ts";
export * from "./action-caller.ts";
export * from "./action-tree.ts";
export * from "./audit/audit-sink.ts";
export * from "./audit/refusal-sink.ts";
export * from "./caller.ts";
export * from "./context.ts";
export * from "./errors.ts";
export * from "./execute.ts";
export * from "./registry.ts";
export * from "./scope.ts";
export * from "./tenancy/index.ts";
export * from "./audit/audit-entry.ts";
export * from "./fusionpbx/cache.ts";
export * from "./infrastructure.ts";
export * from "./legacy/php.ts";
export * from "./legacy/run-legacy.ts";
export * from "./contracts/pdo.ts";
export * from "./docs/describe.ts";
export * from "./auth/index.ts";
export { CALL_EVENTS, callUpdateFromEvent, startCallTracking } from "./calls/call-tracking.ts";
export { type CallReconcilerOptions, startCallReconciler } from "./calls/outcome-reconciler.ts";
export { splitList } from "./legacy/legacy-input.ts";
export * from "./legacy/legacy-contract.ts";
export * from "./events/event-types.ts";
export * from "./events/event-log.ts";
export { eventId } from "./events/event-id.ts";
export {
  type EventIngest,
  type EventIngestOptions,
  type SwitchIngestStatus,
  startEventIngest,
} from "./events/ingest.ts";
export {
  auditStreamStart,
  EVENT_STREAM_PATH,
  EVENT_STREAM_SCOPE,
  type EventStreamInput,
  eventStreamInput,
  streamEvents,
  streamFilterFor,
} from "./events/event-stream.ts";
export * from "./webhooks/index.ts";
