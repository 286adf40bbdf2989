import { listenForEvents, readEventsAfter, type SwitchboardEvent } from "@switchboard/core";
import type { Sql } from "@switchboard/db";
import type { Logger } from "./logger.ts";

/** Where a call stands, as its card shows it. */
export type CallPhase =
  | { phase: "ringing" }
  /** The switch took the originate but never confirmed it (call-status "unknown"); only a poll says this. */
  | { phase: "unknown" }
  | { phase: "answered" }
  | { phase: "ended"; cause: string; answered: boolean };

const CALL_EVENTS = ["call.started", "call.ringing", "call.answered", "call.ended", "call.missed"] as const;
const RANK: Record<CallPhase["phase"], number> = { ringing: 0, unknown: 0, answered: 1, ended: 2 };

/** The later of two views of the call: a call never goes back from answered to ringing, or from ended. */
export function laterPhase(current: CallPhase, next: CallPhase): CallPhase {
  if (RANK[next.phase] < RANK[current.phase]) return current;
  if (current.phase === "ended") return current;
  if (next.phase === "ended" && current.phase === "answered") return { ...next, answered: true };
  return next;
}

/** What one event of the call says about it (call.started and call.ringing: it rings). */
export function phaseOfEvent(event: SwitchboardEvent): CallPhase | null {
  switch (event.type) {
    case "call.started":
    case "call.ringing":
      return { phase: "ringing" };
    case "call.answered":
      return { phase: "answered" };
    case "call.ended":
      return { phase: "ended", cause: event.data.cause, answered: event.data.answered_at !== null };
    case "call.missed":
      return { phase: "ended", cause: event.data.cause, answered: false };
    default:
      return null;
  }
}

export interface CallFollower {
  /** Resolves once `done` holds for the call's phase, or after `timeoutMs` with the phase it has then. */
  waitFor(done: (phase: CallPhase) => boolean, timeoutMs: number): Promise<CallPhase>;
  stop(): Promise<void>;
}

export interface FollowOptions {
  sql: Sql;
  /** The call's id in the event log: the first leg's uuid, which originate gives back as call_uuid. */
  callId: string;
  /**
   * Asks call-status when no event of the call arrived for this long. Events come from whichever process
   * ingests the switch; with ingest turned off (SWITCHBOARD_EVENTS=off), that process down, or the event
   * connection cut (ringing and answers are not recovered after an outage, docs/events.md), no event may
   * ever come, and the card must still end.
   */
  fallbackPollMs: number;
  poll(): Promise<CallPhase>;
  logger: Logger;
}

/**
 * Follows one call by its events in the log (LISTEN wakes it, readEventsAfter filtered by call_id reads
 * them), with the slow call-status poll only as a fallback.
 */
export async function followCall(options: FollowOptions): Promise<CallFollower> {
  const { sql, callId } = options;
  let phase: CallPhase = { phase: "ringing" };
  let seq = 0;
  let wake: (() => void) | null = null;
  // Set by a notification that came while the log was being read, so that it is not slept through.
  let nudged = false;
  const nudge = () => {
    nudged = true;
    wake?.();
  };
  let listener: { unlisten(): Promise<void> } | null = null;
  try {
    listener = await listenForEvents(sql, nudge);
  } catch (error) {
    options.logger.warn({ error: String(error), callId }, "call card: no LISTEN, following by call-status only");
  }

  /** Reads the call's new events; true when there were any. */
  async function drain(): Promise<boolean> {
    const events = await readEventsAfter(sql, seq, { call_id: callId, types: CALL_EVENTS }, 100);
    for (const event of events) {
      seq = event.seq;
      const next = phaseOfEvent(event);
      if (next) phase = laterPhase(phase, next);
    }
    return events.length > 0;
  }

  async function waitFor(done: (p: CallPhase) => boolean, timeoutMs: number): Promise<CallPhase> {
    const deadline = Date.now() + timeoutMs;
    let quietSince = Date.now();
    for (;;) {
      nudged = false;
      if (await drain()) quietSince = Date.now();
      if (done(phase)) return phase;
      const now = Date.now();
      if (now >= deadline) return phase;
      if (now - quietSince >= options.fallbackPollMs) {
        phase = laterPhase(phase, await options.poll());
        quietSince = Date.now();
        if (done(phase)) return phase;
      }
      if (nudged) continue;
      const sleep = Math.max(1, Math.min(deadline, quietSince + options.fallbackPollMs) - Date.now());
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, sleep);
        wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      wake = null;
    }
  }

  return {
    waitFor,
    async stop() {
      await listener?.unlisten().catch(() => {});
    },
  };
}
