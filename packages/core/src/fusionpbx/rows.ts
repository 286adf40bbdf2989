import { z } from "zod";
import { pdoBoolean as pdoFlag, pdoJson, pdoNumber, pdoTimestamp } from "../contracts/pdo.ts";

const pdoText = z.string().nullable();
const pdoUuid = z.string().nullable();

/**
 * Typed-face shapes of the FusionPBX rows the actions return. Loose objects: every column of the live
 * schema passes through (versions differ); the ones listed are normalised. Optional because a column may
 * be missing in a given FusionPBX version.
 */

const auditColumns = {
  insert_date: pdoTimestamp.optional(),
  insert_user: pdoUuid.optional(),
  update_date: pdoTimestamp.optional(),
  update_user: pdoUuid.optional(),
};

export const domainRow = z.looseObject({
  domain_uuid: z.string(),
  domain_parent_uuid: pdoUuid.optional(),
  domain_name: pdoText,
  domain_enabled: pdoFlag.optional(),
  domain_description: pdoText.optional(),
  ...auditColumns,
});


export const destinationRow = z.looseObject({
  domain_uuid: pdoUuid,
  destination_uuid: z.string(),
  dialplan_uuid: pdoUuid,
  destination_type: pdoText.optional(),
  destination_number: pdoText,
  destination_number_regex: pdoText.optional(),
  destination_caller_id_name: pdoText.optional(),
  destination_caller_id_number: pdoText.optional(),
  destination_context: pdoText.optional(),
  destination_conditions: pdoJson.optional(),
  destination_actions: pdoJson.optional(),
  destination_order: pdoNumber.optional(),
  destination_enabled: pdoFlag.optional(),
  destination_description: pdoText.optional(),
  ...auditColumns,
});

const extensionColumns = {
  extension_uuid: z.string(),
  domain_uuid: pdoUuid.optional(),
  extension: pdoText,
  number_alias: pdoText.optional(),
  effective_caller_id_name: pdoText.optional(),
  effective_caller_id_number: pdoText.optional(),
  outbound_caller_id_name: pdoText.optional(),
  outbound_caller_id_number: pdoText.optional(),
  emergency_caller_id_name: pdoText.optional(),
  emergency_caller_id_number: pdoText.optional(),
  directory_visible: pdoFlag.optional(),
  directory_exten_visible: pdoFlag.optional(),
  limit_max: pdoText.optional(),
  limit_destination: pdoText.optional(),
  user_context: pdoText.optional(),
  call_timeout: pdoNumber.optional(),
  call_screen_enabled: pdoFlag.optional(),
  sip_force_expires: pdoNumber.optional(),
  unique_id: pdoNumber.optional(),
  do_not_disturb: pdoFlag.optional(),
  forward_all_enabled: pdoFlag.optional(),
  forward_busy_enabled: pdoFlag.optional(),
  forward_no_answer_enabled: pdoFlag.optional(),
  forward_user_not_registered_enabled: pdoFlag.optional(),
  follow_me_enabled: pdoFlag.optional(),
  force_ping: pdoFlag.optional(),
  enabled: pdoFlag.optional(),
  description: pdoText.optional(),
  ...auditColumns,
};

/** The full `v_extensions` row extension-create returns (with the SIP password, as the original did). */
export const extensionRow = z.looseObject({ ...extensionColumns, password: pdoText.optional() });

/** extension-details: the original's selected columns (no password). */
export const extensionDetailsRow = z.looseObject(extensionColumns);

export const extensionListItem = z.object({
  extension_uuid: z.string(),
  extension: pdoText,
  emergency_caller_id_number: pdoText,
});

export const ringGroupRow = z.looseObject({
  domain_uuid: pdoUuid,
  ring_group_uuid: z.string(),
  ring_group_name: pdoText,
  ring_group_extension: pdoText,
  ring_group_context: pdoText.optional(),
  ring_group_strategy: pdoText.optional(),
  ring_group_call_timeout: pdoNumber.optional(),
  ring_group_forward_enabled: pdoFlag.optional(),
  ring_group_ringback: pdoText.optional(),
  ring_group_call_forward_enabled: pdoFlag.optional(),
  ring_group_follow_me_enabled: pdoFlag.optional(),
  ring_group_enabled: pdoFlag.optional(),
  ring_group_description: pdoText.optional(),
  dialplan_uuid: pdoUuid.optional(),
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
  extension_uuid: pdoUuid,
  direction: pdoText,
  start_stamp: pdoTimestamp,
  end_stamp: pdoTimestamp,
  hangup_cause: pdoText,
  duration: pdoNumber,
  missed_call: pdoFlag,
  record_name: pdoText,
  bridge_uuid: pdoText,
  caller_id_name: pdoText,
  caller_id_number: pdoText,
  caller_destination: pdoText,
  source_number: pdoText,
  destination_number: pdoText,
  leg: pdoText,
});
