import { z } from "zod";
import { pdoBoolean, pdoJson, pdoNumber, pdoTimestamp } from "../contracts/pdo.ts";

/**
 * Typed-face shapes of the FusionPBX rows the actions return. Loose objects: every column of the live
 * schema passes through (versions differ); the ones listed are normalised (flags to booleans, numeric text
 * to numbers, timestamps to ISO 8601, json text parsed). Optional where a column may be missing in a given
 * FusionPBX version.
 */
const text = z.string().nullable();
const uuid = z.string().nullable();
const flag = pdoBoolean.optional();
const number = pdoNumber.optional();

const auditColumns = {
  insert_date: pdoTimestamp.optional(),
  insert_user: uuid.optional(),
  update_date: pdoTimestamp.optional(),
  update_user: uuid.optional(),
};

export const domainRow = z.looseObject({
  domain_uuid: z.string(),
  domain_parent_uuid: uuid.optional(),
  domain_name: text,
  domain_enabled: flag,
  domain_description: text.optional(),
  ...auditColumns,
});

export const destinationRow = z.looseObject({
  domain_uuid: uuid,
  destination_uuid: z.string(),
  dialplan_uuid: uuid,
  destination_type: text.optional(),
  destination_number: text,
  destination_number_regex: text.optional(),
  destination_caller_id_name: text.optional(),
  destination_caller_id_number: text.optional(),
  destination_context: text.optional(),
  destination_conditions: pdoJson.optional(),
  destination_actions: pdoJson.optional(),
  destination_order: number,
  destination_enabled: flag,
  destination_description: text.optional(),
  ...auditColumns,
});

const extensionColumns = {
  extension_uuid: z.string(),
  domain_uuid: uuid.optional(),
  extension: text,
  number_alias: text.optional(),
  effective_caller_id_name: text.optional(),
  effective_caller_id_number: text.optional(),
  outbound_caller_id_name: text.optional(),
  outbound_caller_id_number: text.optional(),
  emergency_caller_id_name: text.optional(),
  emergency_caller_id_number: text.optional(),
  directory_visible: flag,
  directory_exten_visible: flag,
  limit_max: text.optional(),
  limit_destination: text.optional(),
  user_context: text.optional(),
  call_timeout: number,
  call_screen_enabled: flag,
  sip_force_expires: number,
  unique_id: number,
  do_not_disturb: flag,
  forward_all_enabled: flag,
  forward_busy_enabled: flag,
  forward_no_answer_enabled: flag,
  forward_user_not_registered_enabled: flag,
  follow_me_enabled: flag,
  force_ping: flag,
  enabled: flag,
  description: text.optional(),
  ...auditColumns,
};

/** The full `v_extensions` row extension-create returns (with the SIP password, as the original did). */
export const extensionRow = z.looseObject({ ...extensionColumns, password: text.optional() });

/** extension-details: the original's selected columns (no password). */
export const extensionDetailsRow = z.looseObject(extensionColumns);

export const extensionListItem = z.object({
  extension_uuid: z.string(),
  extension: text,
  emergency_caller_id_number: text,
});

export const ringGroupRow = z.looseObject({
  domain_uuid: uuid,
  ring_group_uuid: z.string(),
  ring_group_name: text,
  ring_group_extension: text,
  ring_group_context: text.optional(),
  ring_group_strategy: text.optional(),
  ring_group_call_timeout: number,
  ring_group_forward_enabled: flag,
  ring_group_ringback: text.optional(),
  ring_group_call_forward_enabled: flag,
  ring_group_follow_me_enabled: flag,
  ring_group_enabled: flag,
  ring_group_description: text.optional(),
  dialplan_uuid: uuid.optional(),
  ...auditColumns,
});

/**
 * The rows Switchboard's own list, details, update and delete actions return: every column the supported
 * FusionPBX versions share is normalised, including ones the original's rows above leave as text.
 */
export const managedDestinationRow = z.looseObject({
  domain_uuid: uuid,
  destination_uuid: z.string(),
  dialplan_uuid: uuid,
  destination_type: text,
  destination_number: text,
  destination_prefix: text.optional(),
  destination_number_regex: text.optional(),
  destination_caller_id_name: text.optional(),
  destination_caller_id_number: text.optional(),
  destination_context: text.optional(),
  destination_record: flag,
  destination_type_voice: number,
  destination_type_fax: number,
  destination_type_emergency: number,
  destination_type_text: number,
  destination_conditions: pdoJson.optional(),
  destination_actions: pdoJson.optional(),
  destination_order: number,
  destination_enabled: flag,
  destination_description: text.optional(),
  destination_email: flag,
  ...auditColumns,
});

/** extension-update: an extension row without the SIP password (updates never echo secrets). */
export const managedExtensionRow = z.looseObject({
  extension_uuid: z.string(),
  domain_uuid: uuid,
  extension: text,
  number_alias: text.optional(),
  directory_visible: flag,
  directory_exten_visible: flag,
  call_timeout: number,
  call_screen_enabled: flag,
  sip_force_expires: number,
  unique_id: number,
  do_not_disturb: flag,
  forward_all_enabled: flag,
  forward_busy_enabled: flag,
  forward_no_answer_enabled: flag,
  forward_user_not_registered_enabled: flag,
  follow_me_enabled: flag,
  enabled: flag,
  force_ping: flag,
  description: text.optional(),
  ...auditColumns,
});

export const managedRingGroupRow = z.looseObject({
  domain_uuid: uuid,
  ring_group_uuid: z.string(),
  ring_group_name: text,
  ring_group_extension: text,
  ring_group_context: text.optional(),
  ring_group_strategy: text.optional(),
  ring_group_call_timeout: number,
  ring_group_forward_enabled: flag,
  ring_group_call_screen_enabled: flag,
  ring_group_call_forward_enabled: flag,
  ring_group_follow_me_enabled: flag,
  ring_group_enabled: flag,
  ring_group_wait_interval: number,
  dialplan_uuid: uuid.optional(),
  ...auditColumns,
});

export const ringGroupDestinationRow = z.looseObject({
  ring_group_destination_uuid: z.string(),
  domain_uuid: uuid,
  ring_group_uuid: uuid,
  destination_number: text,
  destination_delay: number,
  destination_timeout: number,
  destination_enabled: flag,
  destination_prompt: number,
  destination_description: text.optional(),
  ...auditColumns,
});

/** The 16 columns cdr-list returns, in the original's order. */
export const CDR_COLUMNS = [
  "xml_cdr_uuid",
  "extension_uuid",
  "direction",
  "start_stamp",
  "end_stamp",
  "hangup_cause",
  "duration",
  "missed_call",
  "record_name",
  "bridge_uuid",
  "caller_id_name",
  "caller_id_number",
  "caller_destination",
  "source_number",
  "destination_number",
  "leg",
] as const;

export const cdrRow = z.object({
  xml_cdr_uuid: z.string(),
  extension_uuid: uuid,
  direction: text,
  start_stamp: pdoTimestamp,
  end_stamp: pdoTimestamp,
  hangup_cause: text,
  duration: pdoNumber,
  missed_call: pdoBoolean,
  record_name: text,
  bridge_uuid: text,
  caller_id_name: text,
  caller_id_number: text,
  caller_destination: text,
  source_number: text,
  destination_number: text,
  leg: text,
});
