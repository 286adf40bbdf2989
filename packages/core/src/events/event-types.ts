import { z } from "zod";

// Switchboard's PBX events (docs/events.md): one envelope, a `data` shape per type. The same shapes are
// what webhooks deliver and what the `events.stream` subscription yields.

export const CALL_STATUSES = ["answered", "no_answer", "cancelled", "busy", "failed", "missed", "voicemail"] as const;
export type CallStatus = (typeof CALL_STATUSES)[number];

export const CALL_DIRECTIONS = ["inbound", "outbound", "local"] as const;

const uuid = z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
const isoTime = z.iso.datetime();
const text = z.string().nullable();

const party = z.object({ number: text, name: text });

/** What every call event says about the call: who called whom, seen from its first leg. */
const callFacts = {
  direction: z.enum(CALL_DIRECTIONS).nullable(),
  caller: party,
  destination: text.describe("the number the caller dialled"),
  extension_uuid: uuid.nullable().describe("the FusionPBX extension the event concerns, when there is one"),
};

export const callStartedData = z.object({ ...callFacts });

export const callRingingData = z.object({
  ...callFacts,
  leg_id: uuid.describe("the ringing leg"),
  ringing: text.describe("who is rung: an extension number or an outside number"),
});

export const callAnsweredData = z.object({
  ...callFacts,
  leg_id: uuid.describe("the leg that answered"),
  answered_by: text,
});

export const callEndedData = z.object({
  ...callFacts,
  status: z.enum(CALL_STATUSES).describe("what FusionPBX's call detail record says about the call"),
  cause: z.string().describe("FreeSWITCH's hangup cause, e.g. NORMAL_CLEARING"),
  duration: z.number().int().nonnegative().describe("seconds, as FusionPBX's CDR gives it (the billed time)"),
  billsec: z.number().int().nonnegative(),
  started_at: isoTime.nullable(),
  answered_at: isoTime.nullable(),
  ended_at: isoTime.nullable(),
  missed: z.boolean(),
  ring_group_uuid: uuid.nullable(),
});

export const callMissedData = z.object({
  ...callFacts,
  status: z.enum(CALL_STATUSES),
  cause: z.string(),
  ring_group_uuid: uuid.nullable(),
  ended_at: isoTime.nullable(),
});

export const voicemailLeftData = z.object({
  voicemail_message_uuid: uuid,
  voicemail_uuid: uuid.nullable(),
  mailbox: text.describe("the voicemail box number"),
  caller: party,
  length_seconds: z.number().int().nonnegative(),
  created_at: isoTime.nullable(),
  extension_uuid: uuid.nullable(),
});

const registrationFacts = {
  user: z.string(),
  realm: z.string().describe("the SIP domain the phone registered to"),
  contact: z.string(),
  user_agent: text,
  network_ip: text,
  network_port: text,
  profile: text,
  extension_uuid: uuid.nullable(),
};

export const extensionRegisteredData = z.object({
  ...registrationFacts,
  expires_at: isoTime.nullable(),
});

export const UNREGISTER_REASONS = ["unregistered", "expired"] as const;

export const extensionUnregisteredData = z.object({
  ...registrationFacts,
  reason: z
    .enum(UNREGISTER_REASONS)
    .describe(
      "unregistered: the phone said so (or it left the switch's list before expiring); expired: it stopped refreshing",
    ),
});

const queueFacts = {
  queue: z.string().describe("FusionPBX's queue name, <extension>@<domain>"),
  queue_extension: text,
  member_uuid: uuid.nullable().describe("the caller's channel"),
  caller: party,
};

export const queueJoinedData = z.object({ ...queueFacts });

export const queueAnsweredData = z.object({
  ...queueFacts,
  agent: text,
  wait_seconds: z.number().int().nonnegative().nullable(),
});

export const queueAbandonedData = z.object({
  ...queueFacts,
  reason: text.describe("FreeSWITCH's CC-Cancel-Reason, e.g. BREAK_OUT, TIMEOUT, NO_AGENT_TIMEOUT"),
  cause: text,
  wait_seconds: z.number().int().nonnegative().nullable(),
});

export const agentStatusData = z.object({
  agent: z.string(),
  status: text.describe("e.g. Available, On Break, Logged Out"),
  state: text.describe("e.g. Waiting, Receiving, In a queue call"),
});

export const EVENT_DATA = {
  "call.started": callStartedData,
  "call.ringing": callRingingData,
  "call.answered": callAnsweredData,
  "call.ended": callEndedData,
  "call.missed": callMissedData,
  "voicemail.left": voicemailLeftData,
  "extension.registered": extensionRegisteredData,
  "extension.unregistered": extensionUnregisteredData,
  "queue.joined": queueJoinedData,
  "queue.answered": queueAnsweredData,
  "queue.abandoned": queueAbandonedData,
  "agent.status": agentStatusData,
} as const;

export type EventType = keyof typeof EVENT_DATA;
export const EVENT_TYPES = Object.keys(EVENT_DATA) as EventType[];
export type EventData<T extends EventType> = z.infer<(typeof EVENT_DATA)[T]>;

/** Events that leave a FusionPBX row and so are recovered after an outage. */
export const TERMINAL_EVENT_TYPES = ["call.ended", "call.missed", "voicemail.left"] as const satisfies EventType[];

const envelope = {
  id: z.string().describe("stable: the same call and event give the same id, live or recovered"),
  seq: z.number().int().positive().describe("position in Switchboard's event log; resume after it"),
  domain_uuid: uuid.nullable().describe("null when no FusionPBX domain could be found (admins only)"),
  call_id: uuid.nullable().describe("the call's first leg uuid (v_xml_cdr.xml_cdr_uuid)"),
  call_seq: z.number().int().positive().nullable().describe("1, 2, 3… in the order the call's events were logged"),
  occurred_at: isoTime.describe("ISO 8601, UTC"),
  reconciled: z.boolean().describe("true when recovered from FusionPBX's rows after an outage"),
};

function member<T extends EventType>(type: T) {
  return z.object({ ...envelope, type: z.literal(type), data: EVENT_DATA[type] });
}

export const switchboardEvent = z.discriminatedUnion("type", [
  member("call.started"),
  member("call.ringing"),
  member("call.answered"),
  member("call.ended"),
  member("call.missed"),
  member("voicemail.left"),
  member("extension.registered"),
  member("extension.unregistered"),
  member("queue.joined"),
  member("queue.answered"),
  member("queue.abandoned"),
  member("agent.status"),
]);

export type SwitchboardEvent = z.infer<typeof switchboardEvent>;
export type SwitchboardEventOf<T extends EventType> = Extract<SwitchboardEvent, { type: T }>;

/** An event before it is in the log: no seq or call_seq yet; where it came from. */
export type NewEvent = {
  [T in EventType]: {
    id: string;
    type: T;
    domain_uuid: string | null;
    call_id: string | null;
    extension_uuid: string | null;
    occurred_at: string;
    reconciled: boolean;
    switch_host: string | null;
    data: EventData<T>;
  };
}[EventType];

export const eventTypeSchema = z.enum(EVENT_TYPES as [EventType, ...EventType[]], {
  error: `an event type is one of ${EVENT_TYPES.join(", ")}`,
});
