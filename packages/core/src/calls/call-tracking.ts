import type { Queryable } from "@switchboard/db";
import type { SwitchEvent, SwitchPool } from "@switchboard/esl";
import { type CallState, advanceCall } from "./call-store.ts";
import { parseOriginateReply } from "./originate-command.ts";

/** The events that move a call along; BACKGROUND_JOB carries a bgapi originate's outcome. */
export const CALL_EVENTS = [
  "CHANNEL_CREATE",
  "CHANNEL_PROGRESS",
  "CHANNEL_PROGRESS_MEDIA",
  "CHANNEL_CALLSTATE",
  "CHANNEL_ANSWER",
  "CHANNEL_HANGUP",
  "CHANNEL_HANGUP_COMPLETE",
  "BACKGROUND_JOB",
] as const;

export interface CallUpdate {
  callUuid: string;
  status: CallState;
  cause: string | null;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const LOOPBACK_A_LEG = /^loopback\/.+-a$/;
const ORIGINATION_UUID = /origination_uuid(?:=|%3D)([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})/i;

function fromCallState(callState: string | undefined): CallState | null {
  switch (callState) {
    case "DOWN":
    case "DIALING":
    case "RINGING":
    case "EARLY":
    case "RING_WAIT":
      return "ringing";
    case "ACTIVE":
    case "HELD":
    case "UNHELD":
      return "answered";
    case "HANGUP":
      return "ended";
    default:
      return null;
  }
}

/** What an event says about the call whose first leg it concerns (null: nothing for us). */
export function callUpdateFromEvent(event: SwitchEvent): CallUpdate | null {
  const h = event.headers;
  if (event.name === "BACKGROUND_JOB") {
    if (h["Job-Command"] !== "originate") return null;
    const match = ORIGINATION_UUID.exec(h["Job-Command-Arg"] ?? "");
    if (!match || event.body === undefined) return null;
    const reply = parseOriginateReply(event.body);
    return reply.ok
      ? { callUuid: match[1]!.toLowerCase(), status: "answered", cause: null }
      : { callUuid: match[1]!.toLowerCase(), status: "ended", cause: reply.cause };
  }
  const uuid = h["Unique-ID"];
  if (!uuid || !UUID.test(uuid)) return null;
  // Every call Switchboard places is the A-leg of a loopback pair; skipping the rest keeps a busy PBX's
  // events from becoming database writes.
  const channel = h["Channel-Name"];
  if (channel !== undefined && !LOOPBACK_A_LEG.test(channel)) return null;
  const callUuid = uuid.toLowerCase();
  const cause = h["Hangup-Cause"] || null;
  switch (event.name) {
    case "CHANNEL_CREATE":
    case "CHANNEL_PROGRESS":
    case "CHANNEL_PROGRESS_MEDIA":
      return { callUuid, status: "ringing", cause: null };
    case "CHANNEL_ANSWER":
      return { callUuid, status: "answered", cause: null };
    case "CHANNEL_HANGUP":
    case "CHANNEL_HANGUP_COMPLETE":
      return { callUuid, status: "ended", cause };
    case "CHANNEL_CALLSTATE": {
      const status = fromCallState(h["Channel-Call-State"]);
      return status ? { callUuid, status, cause: status === "ended" ? cause : null } : null;
    }
    default:
      return null;
  }
}

/**
 * Records call progress from every switch's events into switchboard_calls. Each API process runs one;
 * updates only move a call forward, so several processes recording the same events agree.
 * Returns a stop function.
 */
export function startCallTracking(
  sql: Queryable,
  switches: SwitchPool,
  onError: (error: unknown) => void = () => {},
): () => void {
  const stops = switches.switches.map((sw) =>
    sw.onEvent(CALL_EVENTS, (event) => {
      const update = callUpdateFromEvent(event);
      if (update) advanceCall(sql, update.callUuid, update.status, update.cause).catch(onError);
    }),
  );
  return () => {
    for (const stop of stops) stop();
  };
}
