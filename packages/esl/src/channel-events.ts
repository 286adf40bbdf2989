import type { SwitchEvent } from "./switch.ts";

/** The channel events call tracking needs, in the order a call produces them. */
export const CALL_EVENT_NAMES = [
  "CHANNEL_CREATE",
  "CHANNEL_PROGRESS",
  "CHANNEL_PROGRESS_MEDIA",
  "CHANNEL_ANSWER",
  "CHANNEL_BRIDGE",
  "CHANNEL_HANGUP",
  "CHANNEL_HANGUP_COMPLETE",
] as const;
export type CallEventName = (typeof CALL_EVENT_NAMES)[number];

/** A channel event reduced to what call status needs; header names as FreeSWITCH sends them (docs/event-socket.md §5). */
export interface ChannelEvent {
  name: CallEventName;
  uuid: string;
  /** `Channel-Call-UUID`: the call this leg belongs to. */
  callUuid: string | null;
  /** `RINGING`, `EARLY`, `ACTIVE`, `HANGUP`… */
  callState: string | null;
  /** `ringing`, `early`, `answered`, `hangup`. */
  answerState: string | null;
  direction: string | null;
  channelName: string | null;
  callerIdName: string | null;
  callerIdNumber: string | null;
  destinationNumber: string | null;
  /** Only on hangup events, e.g. `NORMAL_CLEARING`, `USER_BUSY`. */
  hangupCause: string | null;
  /** Event-Date-Timestamp (µs since the epoch) as a Date. */
  at: Date | null;
  /** `variable_<name>` headers, without the prefix. */
  variables: Record<string, string>;
}

const isCallEvent = (name: string): name is CallEventName => (CALL_EVENT_NAMES as readonly string[]).includes(name);

/** The typed view of a channel event, or null for any other event or one without a Unique-ID. */
export function readChannelEvent(event: SwitchEvent): ChannelEvent | null {
  const h = event.headers;
  const uuid = h["Unique-ID"];
  if (!isCallEvent(event.name) || !uuid) return null;
  const micros = h["Event-Date-Timestamp"];
  const variables: Record<string, string> = {};
  for (const [key, value] of Object.entries(h)) {
    if (key.startsWith("variable_")) variables[key.slice("variable_".length)] = value;
  }
  const get = (key: string) => (h[key] === undefined || h[key] === "" ? null : h[key]!);
  return {
    name: event.name,
    uuid,
    callUuid: get("Channel-Call-UUID"),
    callState: get("Channel-Call-State"),
    answerState: get("Answer-State"),
    direction: get("Call-Direction"),
    channelName: get("Channel-Name"),
    callerIdName: get("Caller-Caller-ID-Name"),
    callerIdNumber: get("Caller-Caller-ID-Number"),
    destinationNumber: get("Caller-Destination-Number"),
    hangupCause: get("Hangup-Cause"),
    at: micros && /^\d+$/.test(micros) ? new Date(Number(BigInt(micros) / 1000n)) : null,
    variables,
  };
}

/** A BACKGROUND_JOB event's Job-UUID, command and output. */
export function readBackgroundJob(
  event: SwitchEvent,
): { jobUuid: string; command: string; argument: string | null; output: string } | null {
  if (event.name !== "BACKGROUND_JOB" || !event.headers["Job-UUID"]) return null;
  return {
    jobUuid: event.headers["Job-UUID"],
    command: event.headers["Job-Command"] ?? "",
    argument: event.headers["Job-Command-Arg"] ?? null,
    output: event.body ?? "",
  };
}
