import type { SwitchEvent } from "@switchboard/esl";
import { cdrStatus, isMissedCall } from "./call-status.ts";
import { eventId } from "./event-id.ts";
import { CALL_DIRECTIONS, type NewEvent } from "./event-types.ts";
import {
  asUuid,
  channelDomain,
  epochTime,
  eventTime,
  header,
  type NormaliseContext,
  variable,
} from "./normalise-context.ts";

type Direction = (typeof CALL_DIRECTIONS)[number];

function direction(value: string | undefined): Direction | null {
  return CALL_DIRECTIONS.includes(value as Direction) ? (value as Direction) : null;
}

/** The call a leg belongs to: its own uuid for a first leg, the first leg's for the others. */
export function callIdOf(event: SwitchEvent): { callId: string; legId: string; firstLeg: boolean } | null {
  const legId = asUuid(header(event, "Unique-ID"));
  if (!legId) return null;
  const callId = asUuid(variable(event, "originating_leg_uuid")) ?? asUuid(header(event, "Channel-Call-UUID")) ?? legId;
  return { callId, legId, firstLeg: callId === legId };
}

function facts(event: SwitchEvent, domain: string | null, ctx: NormaliseContext) {
  const destination = header(event, "Caller-Destination-Number") ?? null;
  // As FusionPBX's CDR importer picks its extension_uuid: the variable, else the dialled, referring or
  // last answering user of the domain; then the number dialled.
  const lookup = (user: string | null | undefined) => (domain && user ? ctx.extensionUuid(domain, user) : null);
  const extension =
    asUuid(variable(event, "extension_uuid")) ??
    lookup(variable(event, "dialed_user")) ??
    lookup(variable(event, "referred_by_user")) ??
    lookup(variable(event, "last_sent_callee_id_number")) ??
    lookup(destination);
  return {
    direction: direction(variable(event, "call_direction")),
    caller: {
      number: header(event, "Caller-Caller-ID-Number") ?? null,
      name: header(event, "Caller-Caller-ID-Name") ?? null,
    },
    destination,
    extension_uuid: extension,
  };
}

/** CHANNEL_CREATE / CHANNEL_ANSWER / CHANNEL_HANGUP_COMPLETE → call events (CHANNEL_BRIDGE adds none). */
export function normaliseChannelEvent(event: SwitchEvent, ctx: NormaliseContext): NewEvent[] {
  const ids = callIdOf(event);
  if (!ids) return [];
  const { callId, legId, firstLeg } = ids;
  const domain = channelDomain(event, ctx);
  const base = {
    domain_uuid: domain,
    call_id: callId,
    occurred_at: eventTime(event),
    reconciled: false,
    switch_host: ctx.switchHost,
  };
  const data = facts(event, domain, ctx);
  switch (event.name) {
    case "CHANNEL_CREATE":
      if (firstLeg) {
        return [
          {
            ...base,
            id: eventId("call.started", callId),
            type: "call.started",
            extension_uuid: data.extension_uuid,
            data,
          },
        ];
      }
      return [
        {
          ...base,
          id: eventId("call.ringing", callId, legId),
          type: "call.ringing",
          extension_uuid: data.extension_uuid,
          data: { ...data, leg_id: legId, ringing: variable(event, "dialed_user") ?? data.destination },
        },
      ];
    case "CHANNEL_ANSWER":
      // The first leg to answer answers the call; the other leg's answer has the same id and is dropped.
      return [
        {
          ...base,
          id: eventId("call.answered", callId),
          type: "call.answered",
          extension_uuid: data.extension_uuid,
          data: { ...data, leg_id: legId, answered_by: variable(event, "dialed_user") ?? data.destination },
        },
      ];
    case "CHANNEL_HANGUP_COMPLETE":
      // FusionPBX records one CDR per call, the first leg's; so does Switchboard.
      return firstLeg ? callEndEvents(event, base, data) : [];
    default:
      return [];
  }
}

function callEndEvents(
  event: SwitchEvent,
  base: { domain_uuid: string | null; call_id: string; occurred_at: string; reconciled: boolean; switch_host: string },
  data: ReturnType<typeof facts>,
): NewEvent[] {
  const v = (name: string) => variable(event, name);
  const cause = header(event, "Hangup-Cause") ?? v("hangup_cause") ?? "NORMAL_CLEARING";
  const cdr = {
    call_direction: v("call_direction"),
    hangup_cause: cause,
    billsec: v("billsec"),
    missed_call: v("missed_call"),
    cc_side: v("cc_side"),
    cc_cause: v("cc_cause"),
    fax_success: v("fax_success"),
    originating_leg_uuid: v("originating_leg_uuid"),
    bridge_uuid: v("bridge_uuid"),
    last_bridge_hangup_cause: v("last_bridge_hangup_cause"),
    voicemail_answer_stamp: v("voicemail_answer_stamp"),
    voicemail_message_seconds: v("voicemail_message_seconds"),
    destination_number: data.destination ?? undefined,
  };
  const status = cdrStatus(cdr);
  const missed = isMissedCall(cdr);
  const start = Number(v("start_epoch") ?? 0);
  const end = Number(v("end_epoch") ?? 0);
  const billsec = Math.max(0, Math.floor(Number(v("billsec") ?? 0) || 0));
  const duration =
    start > 0 && end >= start ? Math.floor(end - start) : Math.max(0, Math.floor(Number(v("duration") ?? 0) || 0));
  const ringGroup = asUuid(v("ring_group_uuid"));
  const endedAt = epochTime(v("end_epoch")) ?? base.occurred_at;
  const ended: NewEvent = {
    ...base,
    id: eventId("call.ended", base.call_id),
    type: "call.ended",
    extension_uuid: data.extension_uuid,
    data: {
      ...data,
      status,
      cause,
      duration,
      billsec,
      started_at: epochTime(v("start_epoch")),
      answered_at: epochTime(v("answer_epoch")),
      ended_at: endedAt,
      missed,
      ring_group_uuid: ringGroup,
    },
  };
  if (!missed) return [ended];
  return [
    ended,
    {
      ...base,
      id: eventId("call.missed", base.call_id),
      type: "call.missed",
      extension_uuid: data.extension_uuid,
      data: { ...data, status, cause, ring_group_uuid: ringGroup, ended_at: endedAt },
    },
  ];
}
