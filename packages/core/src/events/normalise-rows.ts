import { cdrStatus } from "./call-status.ts";
import { eventId } from "./event-id.ts";
import { CALL_DIRECTIONS, type CallStatus, CALL_STATUSES, type NewEvent } from "./event-types.ts";
import { asUuid, epochTime, type NormaliseContext } from "./normalise-context.ts";

// FusionPBX's own rows → the terminal events the live path would have produced, with the same ids.

type Json = Record<string, unknown>;

const str = (value: unknown): string | null =>
  value === null || value === undefined || value === "" ? null : String(value);
const num = (value: unknown): number => {
  const n = Number(value);
  return Number.isFinite(n) ? n : 0;
};

/** A v_xml_cdr row (as `to_jsonb`, so 5.1's columns and 5.6's both read) → call.ended (+ call.missed). */
export function cdrRowEvents(row: Json, ctx: NormaliseContext, reconciled: boolean): NewEvent[] {
  const callId = asUuid(str(row.xml_cdr_uuid));
  if (!callId) return [];
  const domain =
    asUuid(str(row.domain_uuid)) ?? (str(row.domain_name) ? ctx.domainUuidByName(String(row.domain_name)) : null);
  const direction = CALL_DIRECTIONS.find((d) => d === row.direction) ?? null;
  const cause = str(row.hangup_cause) ?? "NORMAL_CLEARING";
  const billsec = Math.max(0, Math.floor(num(row.billsec)));
  const missed = row.missed_call === true || row.missed_call === "true";
  const given = CALL_STATUSES.find((s) => s === row.status);
  // FusionPBX before 5.2 has no status column: the same rules over the columns it does keep.
  const status: CallStatus =
    given ??
    cdrStatus({
      call_direction: str(row.direction) ?? undefined,
      hangup_cause: cause,
      billsec: String(billsec),
      missed_call: missed ? "true" : undefined,
      bridge_uuid: str(row.bridge_uuid) ?? undefined,
      cc_side: str(row.cc_side) ?? undefined,
      cc_cause: str(row.cc_cause) ?? undefined,
      destination_number: str(row.destination_number) ?? undefined,
      voicemail_message_seconds: row.voicemail_message === true ? "1" : undefined,
    });
  const start = num(row.start_epoch);
  const end = num(row.end_epoch);
  const endedAt = epochTime(end) ?? (str(row.end_stamp) ? new Date(String(row.end_stamp)).toISOString() : null);
  const extension = asUuid(str(row.extension_uuid));
  const facts = {
    direction,
    caller: { number: str(row.caller_id_number), name: str(row.caller_id_name) },
    destination: str(row.destination_number),
    extension_uuid: extension,
  };
  const base = {
    domain_uuid: domain,
    call_id: callId,
    extension_uuid: extension,
    occurred_at: endedAt ?? new Date().toISOString(),
    reconciled,
    switch_host: ctx.switchHost,
  };
  const ringGroup = asUuid(str(row.ring_group_uuid));
  const events: NewEvent[] = [
    {
      ...base,
      id: eventId("call.ended", callId),
      type: "call.ended",
      data: {
        ...facts,
        status,
        cause,
        duration: start > 0 && end >= start ? Math.floor(end - start) : Math.floor(num(row.duration)),
        billsec,
        started_at: epochTime(start),
        answered_at: epochTime(num(row.answer_epoch)),
        ended_at: endedAt,
        missed,
        ring_group_uuid: ringGroup,
      },
    },
  ];
  if (missed) {
    events.push({
      ...base,
      id: eventId("call.missed", callId),
      type: "call.missed",
      data: { ...facts, status, cause, ring_group_uuid: ringGroup, ended_at: endedAt },
    });
  }
  return events;
}

/** A v_voicemail_messages row (with its box's voicemail_id as `mailbox`) → voicemail.left. */
export function voicemailRowEvent(row: Json, ctx: NormaliseContext, reconciled: boolean): NewEvent | null {
  const message = asUuid(str(row.voicemail_message_uuid));
  if (!message) return null;
  const domain = asUuid(str(row.domain_uuid));
  const mailbox = str(row.mailbox);
  const extension = domain && mailbox ? ctx.extensionUuid(domain, mailbox) : null;
  const createdAt = epochTime(num(row.created_epoch));
  // FusionPBX names the message after the channel that recorded it: the call's uuid for a direct call.
  const callId = asUuid(str(row.call_id));
  return {
    id: eventId("voicemail.left", message),
    type: "voicemail.left",
    domain_uuid: domain,
    call_id: callId,
    extension_uuid: extension,
    occurred_at: createdAt ?? new Date().toISOString(),
    reconciled,
    switch_host: ctx.switchHost,
    data: {
      voicemail_message_uuid: message,
      voicemail_uuid: asUuid(str(row.voicemail_uuid)),
      mailbox,
      caller: { number: str(row.caller_id_number), name: str(row.caller_id_name) },
      length_seconds: Math.max(0, Math.floor(num(row.message_length))),
      created_at: createdAt,
      extension_uuid: extension,
    },
  };
}

/**
 * A row of the switch's `show channels as json` (a call still up after an outage) → the events its first
 * leg's CHANNEL_CREATE / CHANNEL_ANSWER or another leg's CHANNEL_CREATE would have given, same ids.
 */
export function channelRowEvents(row: Record<string, string>, ctx: NormaliseContext, reconciled: boolean): NewEvent[] {
  const legId = asUuid(row.uuid);
  if (!legId) return [];
  const callId = asUuid(row.call_uuid) ?? legId;
  const host = row.presence_id?.includes("@") ? row.presence_id.slice(row.presence_id.lastIndexOf("@") + 1) : null;
  const domain =
    (row.context ? ctx.domainUuidByName(row.context) : null) ??
    (host ? ctx.domainUuidByName(host) : null) ??
    (row.dest ? ctx.domainUuidByNumber(row.dest) : null);
  const destination = str(row.dest);
  const extension = domain && destination ? ctx.extensionUuid(domain, destination) : null;
  const facts = {
    direction: null,
    caller: { number: str(row.cid_num), name: str(row.cid_name) },
    destination,
    extension_uuid: extension,
  };
  const base = {
    domain_uuid: domain,
    call_id: callId,
    extension_uuid: extension,
    occurred_at: epochTime(num(row.created_epoch)) ?? new Date().toISOString(),
    reconciled,
    switch_host: ctx.switchHost,
  };
  const events: NewEvent[] = [];
  if (callId === legId) {
    events.push({ ...base, id: eventId("call.started", callId), type: "call.started", data: facts });
  } else {
    events.push({
      ...base,
      id: eventId("call.ringing", callId, legId),
      type: "call.ringing",
      data: { ...facts, leg_id: legId, ringing: destination },
    });
  }
  if (row.callstate === "ACTIVE" || row.callstate === "HELD") {
    events.push({
      ...base,
      occurred_at: new Date().toISOString(),
      id: eventId("call.answered", callId),
      type: "call.answered",
      data: { ...facts, leg_id: legId, answered_by: destination },
    });
  }
  return events;
}
