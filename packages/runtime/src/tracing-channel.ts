import diagnosticsChannel from "node:diagnostics_channel";

/**
 * Node's `TracingChannel` has a `hasSubscribers` getter; Bun 1.4.5's does not (it reads `undefined`). pino
 * checks `hasSubscribers === false` before every log line and otherwise runs the line through
 * `traceSync`, a store-and-context dance that nobody listens to, so every line paid for tracing. This adds
 * the getter Node documents (true when any of the five channels has a subscriber) where it is missing.
 */
export function ensureTracingChannelHasSubscribers(): void {
  const prototype = Object.getPrototypeOf(diagnosticsChannel.tracingChannel("switchboard.probe")) as object;
  if (Object.hasOwn(prototype, "hasSubscribers") || "hasSubscribers" in prototype) return;
  Object.defineProperty(prototype, "hasSubscribers", {
    configurable: true,
    get(this: Record<"start" | "end" | "asyncStart" | "asyncEnd" | "error", diagnosticsChannel.Channel>) {
      return (
        this.start.hasSubscribers ||
        this.end.hasSubscribers ||
        this.asyncStart.hasSubscribers ||
        this.asyncEnd.hasSubscribers ||
        this.error.hasSubscribers
      );
    },
  });
}
