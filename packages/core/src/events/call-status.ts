import type { CallStatus } from "./event-types.ts";

// FusionPBX's rules for a call detail record's `missed_call` and `status` (its xml_cdr class, applied when it
// imports a CDR), ported so that live `call.ended` events say what the CDR will say. Inputs are the A-leg's
// channel variables at CHANNEL_HANGUP_COMPLETE (the same ones the XML CDR carries).

const FAILED_CAUSES = new Set([
  "CALL_REJECTED",
  "CHAN_NOT_IMPLEMENTED",
  "DESTINATION_OUT_OF_ORDER",
  "EXCHANGE_ROUTING_ERROR",
  "INCOMPATIBLE_DESTINATION",
  "INVALID_NUMBER_FORMAT",
  "MANDATORY_IE_MISSING",
  "NETWORK_OUT_OF_ORDER",
  "NORMAL_TEMPORARY_FAILURE",
  "NORMAL_UNSPECIFIED",
  "NO_ROUTE_DESTINATION",
  "RECOVERY_ON_TIMER_EXPIRE",
  "REQUESTED_CHAN_UNAVAIL",
  "SUBSCRIBER_ABSENT",
  "SYSTEM_SHUTDOWN",
  "UNALLOCATED_NUMBER",
]);

export interface CdrVariables {
  /** FusionPBX's call_direction variable: inbound, outbound or local. */
  call_direction?: string;
  hangup_cause?: string;
  billsec?: string;
  missed_call?: string;
  cc_side?: string;
  cc_cause?: string;
  fax_success?: string;
  originating_leg_uuid?: string;
  bridge_uuid?: string;
  last_bridge_hangup_cause?: string;
  voicemail_answer_stamp?: string;
  voicemail_message_seconds?: string;
  /** The first caller profile's destination number. */
  destination_number?: string;
}

const present = (value: string | undefined): value is string => value !== undefined && value !== "";

/** FusionPBX's `missed_call` flag. Later rules override earlier ones, as in FusionPBX. */
export function isMissedCall(v: CdrVariables): boolean {
  let missed = false;
  if (v.missed_call === "true") missed = true;
  if (v.call_direction === "inbound" && v.hangup_cause === "ORIGINATOR_CANCEL") missed = true;
  if (v.cc_side === "agent") missed = false;
  if (v.fax_success !== undefined) missed = false;
  if (v.hangup_cause === "LOSE_RACE") missed = false;
  if (v.hangup_cause === "NO_ANSWER" && v.originating_leg_uuid !== undefined) missed = false;
  if (present(v.bridge_uuid)) missed = false;
  if (v.cc_side === "member" && v.cc_cause === "cancel") missed = true;
  if (v.destination_number?.startsWith("*99")) missed = true;
  if (present(v.voicemail_answer_stamp)) missed = true;
  return missed;
}

/** FusionPBX's CDR `status`: answered, no_answer, cancelled, busy, failed, missed or voicemail. */
export function cdrStatus(v: CdrVariables): CallStatus {
  const billsec = Number(v.billsec ?? 0) || 0;
  let status: CallStatus | undefined;
  if (billsec > 0) status = "answered";
  if (v.hangup_cause === "NO_ANSWER") status = "no_answer";
  if (v.hangup_cause === "ORIGINATOR_CANCEL") status = "cancelled";
  if (v.hangup_cause === "USER_BUSY") status = "busy";
  if (v.hangup_cause !== undefined && FAILED_CAUSES.has(v.hangup_cause)) status = "failed";
  if (status === undefined && v.last_bridge_hangup_cause && FAILED_CAUSES.has(v.last_bridge_hangup_cause))
    status = "failed";
  if (v.cc_side === "agent" && billsec === 0) status = "no_answer";
  if (status === undefined && billsec === 0) status = "no_answer";
  if (isMissedCall(v)) status = "missed";
  if (v.destination_number?.startsWith("*99")) status = "voicemail";
  if (present(v.voicemail_message_seconds)) status = "voicemail";
  return status ?? "no_answer";
}
