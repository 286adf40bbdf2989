import { z } from "zod";
import { pdoBoolean, pdoJson, pdoNumber, pdoTimestamp } from "../contracts/pdo.ts";

/**
 * Output rows for typed faces: the columns every supported FusionPBX version has are normalised (flags to
 * booleans, numeric text to numbers, timestamps to ISO 8601, json text parsed); other columns pass through.
 */
const text = z.string().nullable();
const uuid = z.string().nullable();
const flag = pdoBoolean.optional();
const number = pdoNumber.optional();

const stamps = {
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
  ...stamps,
});

export const destinationRow = z.looseObject({
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
  ...stamps,
});

/** An extension row without the SIP password (updates never echo secrets). */
export const extensionRow = z.looseObject({
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
  ...stamps,
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
  ring_group_call_screen_enabled: flag,
  ring_group_call_forward_enabled: flag,
  ring_group_follow_me_enabled: flag,
  ring_group_enabled: flag,
  ring_group_wait_interval: number,
  dialplan_uuid: uuid.optional(),
  ...stamps,
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
  ...stamps,
});

/** What every write reports besides its data: whether the cache flush reached every switch. */
export const applied = z.boolean();
