import type { ActionContext } from "../context.ts";
import { findUnknownCalls, markStaleQueuedCalls } from "./call-store.ts";
import { refreshFromChannels } from "./channel-refresh.ts";

/** Longer than any originate may take to report (a bgapi job's own timeout is 120 s). */
const STALE_QUEUED_SECONDS = 150;
/** Stale `queued` calls are looked for once a minute: that query has no index of its own to use. */
const STALE_CHECK_MS = 60_000;

export interface CallReconcilerOptions {
  /** Default 2000 ms. */
  intervalMs?: number;
  /** Calls looked at per sweep. Default 50. */
  batch?: number;
  onError?: (error: unknown) => void;
}

/**
 * Settles calls whose outcome is unknown once their switch answers again: each sweep asks every connected
 * switch about its unknown calls (`show channels like <uuid>`), so a call the switch ran after a stall is
 * found ringing or answered, and one it never ran is ended after a grace period. A call left `queued` far
 * longer than an originate takes to report is looked at the same way. Every process runs one;
 * updates only move a call forward, so they agree. Returns a stop function.
 */
export function startCallReconciler(
  ctx: Pick<ActionContext, "sql" | "switches" | "now">,
  options: CallReconcilerOptions = {},
): () => void {
  const intervalMs = options.intervalMs ?? 2000;
  const batch = options.batch ?? 50;
  let stopped = false;
  let timer: ReturnType<typeof setTimeout> | null = null;
  let staleCheckedAt = 0;

  const sweep = async () => {
    const connected = ctx.switches.switches.filter((s) => s.connected).map((s) => s.name);
    if (Date.now() - staleCheckedAt >= STALE_CHECK_MS && connected.length > 0) {
      staleCheckedAt = Date.now();
      await markStaleQueuedCalls(ctx.sql, connected, STALE_QUEUED_SECONDS);
    }
    for (const record of await findUnknownCalls(ctx.sql, connected, batch)) {
      if (stopped) return;
      await refreshFromChannels(ctx, record);
    }
  };
  const loop = () => {
    timer = setTimeout(() => {
      sweep()
        .catch((error) => options.onError?.(error))
        .finally(() => {
          if (!stopped) loop();
        });
    }, intervalMs);
    timer.unref?.();
  };
  loop();
  return () => {
    stopped = true;
    if (timer) clearTimeout(timer);
  };
}
