import { hashApiSecret } from "./api-key-hash.ts";
import type { Queryable } from "./client.ts";
import { insertRow, type RowValue } from "./insert-row.ts";
import { loadSchemaInfo, type SchemaInfo } from "./schema-info.ts";

/** The seed README's own example, so its curl line works against the embedded demo verbatim. */
export const DEMO_DOMAIN_UUID = "3a644e67-de8f-4798-b07e-6f22c33a656e";
export const DEMO_DOMAIN_NAME = "fusionpbx.example.net";
export const DEMO_KEY_ID = "5bc14e83-fc4e-4578-99b8-c7151eb2ec54";
export const DEMO_KEY_SECRET = "jM2GQuYgQTkIGE6nJ2SP";

export const DEMO_EXTENSIONS = [
  {
    extension: "100",
    extensionUuid: "c1bc6258-e45e-488e-a709-8c7b136126f1",
    voicemailUuid: "05e7fede-4bb7-49a7-b86d-61dbf53f8e6d",
    name: "Alice Example",
  },
  {
    extension: "101",
    extensionUuid: "b1e18ff6-bc03-4e8e-b247-e3e9846b7405",
    voicemailUuid: "18f0e17c-3223-4064-bc73-643d139e8d00",
    name: "Bob Example",
  },
  {
    extension: "102",
    extensionUuid: "e4e48d58-fe31-4cbe-9a11-b96802e8d34e",
    voicemailUuid: "19f231b2-0c90-4586-a561-275e577bb19a",
    name: "Carol Example",
  },
  {
    extension: "103",
    extensionUuid: "8f8607d8-67e0-4218-95fc-0dfd65066e5d",
    voicemailUuid: "56082f2b-40d7-4fe1-81fd-42f82b99d83d",
    name: "Dave Example",
  },
] as const;

export const DEMO_DESTINATION = {
  destinationUuid: "4e38ff90-d1bd-4a35-97df-352dad56bf14",
  dialplanUuid: "7f953493-7fcf-4617-a61b-e081d3ed1d85",
  number: "2065550199",
  target: "100",
} as const;

export const DEMO_RING_GROUP = {
  ringGroupUuid: "1c7e10ac-c254-404c-a72d-82ef510645f8",
  dialplanUuid: "7b27723d-2d29-4587-8221-ed6ae4ae58af",
  name: "Sales",
  extension: "200",
  strategy: "simultaneous",
  destinations: [
    { uuid: "71e3c474-eb0d-49b0-97ac-612d1aa73778", number: "100" },
    { uuid: "a84f9c35-e2f5-487a-bfdc-171982dedc29", number: "101" },
  ],
} as const;

/** FusionPBX app uuids the rows carry (inbound routes, ring groups). */
const INBOUND_ROUTES_APP_UUID = "c03b422e-13a8-bd1b-e42b-b6b9b4d27ce4";
const RING_GROUPS_APP_UUID = "1d61fb65-1eec-bc73-a6ee-a6203b4fe6f2";

/**
 * Default settings FusionPBX's behaviour depends on (docs/fusionpbx-writes.md §2), as a stock install
 * has them: [category, subcategory, type name, value].
 */
export const DEMO_DEFAULT_SETTINGS: readonly (readonly [string, string, string, string | null])[] = [
  ["dialplan", "destination", "text", "destination_number"],
  ["destinations", "dialplan_details", "boolean", "true"],
  ["destinations", "dialplan_mode", "text", "single"],
  ["destinations", "unique", "boolean", "true"],
  ["extension", "password_length", "numeric", "20"],
  ["extension", "password_strength", "numeric", "4"],
  ["extension", "call_timeout", "numeric", "30"],
  ["extension", "limit_max", "numeric", "5"],
  ["extension", "type", "text", "default"],
  ["extension", "user_record_default", "text", null],
  ["voicemail", "password_length", "numeric", "8"],
  ["voicemail", "voicemail_file", "text", "attach"],
  ["voicemail", "keep_local", "boolean", "true"],
  ["voicemail", "enabled_default", "boolean", "true"],
  ["voicemail", "transcription_enabled_default", "boolean", "false"],
  ["ring_group", "ring_ready", "boolean", "true"],
  ["cache", "method", "text", "file"],
  ["cache", "location", "text", "/var/cache/fusionpbx"],
];

const PASSWORD_SETS = ["0123456789", "abcdefghijkmnopqrstuvwxyz", "ABCDEFGHIJKLMNPQRSTUVWXYZ", "!^$%*?."];

/** FusionPBX's generate_password(length, strength): random characters from the first `strength` sets. */
export function generatePassword(length: number, strength: number): string {
  const alphabet = PASSWORD_SETS.slice(0, Math.max(1, Math.min(4, strength))).join("");
  const bytes = crypto.getRandomValues(new Uint32Array(length));
  return Array.from(bytes, (b) => alphabet[b % alphabet.length]).join("");
}

function ringGroupDialplanXml(name: string, extension: string, dialplanUuid: string, ringGroupUuid: string): string {
  return [
    `<extension name="${name}" continue="" uuid="${dialplanUuid}">`,
    `\t<condition field="destination_number" expression="^${extension}$">`,
    `\t\t<action application="ring_ready" data="" />`,
    `\t\t<action application="set" data="ring_group_uuid=${ringGroupUuid}" />`,
    `\t\t<action application="lua" data="app.lua ring_groups" />`,
    "\t</condition>",
    "</extension>",
  ].join("\n");
}

function destinationDialplanXml(number: string, dialplanUuid: string, app: string, data: string): string {
  return [
    `<extension name="${number}" continue="false" uuid="${dialplanUuid}">`,
    `\t<condition field="destination_number" expression="^(${number})$">`,
    `\t\t<action application="export" data="call_direction=inbound" inline="true"/>`,
    `\t\t<action application="set" data="domain_uuid=${DEMO_DOMAIN_UUID}" inline="true"/>`,
    `\t\t<action application="set" data="domain_name=${DEMO_DOMAIN_NAME}" inline="true"/>`,
    `\t\t<action application="${app}" data="${data}"/>`,
    "\t</condition>",
    "</extension>",
    "",
  ].join("\n");
}

/** A few finished calls on 2023-05-01, both legs of an inbound call to 100 included. */
function demoCdrRows(now: string): Record<string, RowValue>[] {
  const alice = DEMO_EXTENSIONS[0];
  const bob = DEMO_EXTENSIONS[1];
  const base = {
    domain_uuid: DEMO_DOMAIN_UUID,
    domain_name: DEMO_DOMAIN_NAME,
    accountcode: DEMO_DOMAIN_NAME,
    context: DEMO_DOMAIN_NAME,
    record_name: null,
    insert_date: now,
  };
  return [
    {
      ...base,
      xml_cdr_uuid: "1f056cd4-926d-4efc-b2a3-a82914d35852",
      extension_uuid: alice.extensionUuid,
      direction: "inbound",
      context: "public",
      caller_id_name: "Caller One",
      caller_id_number: "+12065550100",
      caller_destination: DEMO_DESTINATION.number,
      source_number: "+12065550100",
      destination_number: DEMO_DESTINATION.number,
      start_stamp: "2023-05-01 20:50:00+00",
      answer_stamp: "2023-05-01 20:50:05+00",
      end_stamp: "2023-05-01 20:52:04+00",
      start_epoch: 1682974200,
      answer_epoch: 1682974205,
      end_epoch: 1682974324,
      duration: 124,
      billsec: 119,
      bridge_uuid: "0f54d7d2-bdac-4c21-9a3d-4e8c9730c8f9",
      leg: "a",
      missed_call: false,
      hangup_cause: "NORMAL_CLEARING",
      status: "answered",
      call_disposition: "caller_hangup",
    },
    {
      ...base,
      xml_cdr_uuid: "0f54d7d2-bdac-4c21-9a3d-4e8c9730c8f9",
      extension_uuid: alice.extensionUuid,
      direction: "inbound",
      caller_id_name: "Caller One",
      caller_id_number: "+12065550100",
      caller_destination: alice.extension,
      source_number: "+12065550100",
      destination_number: alice.extension,
      start_stamp: "2023-05-01 20:50:01+00",
      answer_stamp: "2023-05-01 20:50:05+00",
      end_stamp: "2023-05-01 20:52:04+00",
      start_epoch: 1682974201,
      answer_epoch: 1682974205,
      end_epoch: 1682974324,
      duration: 123,
      billsec: 119,
      bridge_uuid: "1f056cd4-926d-4efc-b2a3-a82914d35852",
      leg: "b",
      missed_call: false,
      hangup_cause: "NORMAL_CLEARING",
      status: "answered",
      call_disposition: "callee_hangup",
    },
    {
      ...base,
      xml_cdr_uuid: "c152f47c-a8fa-496c-9cea-2aac09e08943",
      extension_uuid: bob.extensionUuid,
      direction: "local",
      caller_id_name: alice.name,
      caller_id_number: alice.extension,
      caller_destination: bob.extension,
      source_number: alice.extension,
      destination_number: bob.extension,
      start_stamp: "2023-05-01 21:10:00+00",
      answer_stamp: null,
      end_stamp: "2023-05-01 21:10:30+00",
      start_epoch: 1682975400,
      answer_epoch: 0,
      end_epoch: 1682975430,
      duration: 30,
      billsec: 0,
      bridge_uuid: null,
      leg: "a",
      missed_call: true,
      hangup_cause: "NO_ANSWER",
      status: "missed",
      call_disposition: "no_answer",
    },
    {
      ...base,
      xml_cdr_uuid: "70e1846e-fb2e-4258-811a-36a3756c03fc",
      extension_uuid: bob.extensionUuid,
      direction: "outbound",
      caller_id_name: bob.name,
      caller_id_number: bob.extension,
      caller_destination: "+12065550123",
      source_number: bob.extension,
      destination_number: "+12065550123",
      start_stamp: "2023-05-02 16:00:00+00",
      answer_stamp: "2023-05-02 16:00:08+00",
      end_stamp: "2023-05-02 16:03:20+00",
      start_epoch: 1683043200,
      answer_epoch: 1683043208,
      end_epoch: 1683043400,
      duration: 200,
      billsec: 192,
      bridge_uuid: null,
      leg: "a",
      missed_call: false,
      hangup_cause: "NORMAL_CLEARING",
      status: "answered",
      call_disposition: "caller_hangup",
    },
  ];
}

/**
 * Writes the embedded default's demo data: the seed README's domain and API key, default settings,
 * extensions 100-103 with voicemail boxes, an inbound destination to 100, ring group 200 and a few CDRs.
 * Only for the embedded database; never call it on a configured one. Pass a transaction to make it
 * atomic (connectDatabase runs it inside the migration that creates the tables).
 */
export async function seedDemo(sql: Queryable, schema?: SchemaInfo): Promise<void> {
  const live = schema ?? (await loadSchemaInfo(sql));
  const now = new Date().toISOString();
  const insert = (table: string, row: Record<string, RowValue>) => insertRow(sql, live, table, row);

  await insert("v_domains", {
    domain_uuid: DEMO_DOMAIN_UUID,
    domain_parent_uuid: null,
    domain_name: DEMO_DOMAIN_NAME,
    domain_enabled: true,
    domain_description: "",
  });

  await insert("rest_api_keys", {
    key_uuid: DEMO_KEY_ID,
    name: "Switchboard demo key",
    key_secret: await hashApiSecret(DEMO_KEY_SECRET),
    created: now,
  });

  for (const [category, subcategory, type, value] of DEMO_DEFAULT_SETTINGS) {
    await insert("v_default_settings", {
      default_setting_uuid: crypto.randomUUID(),
      default_setting_category: category,
      default_setting_subcategory: subcategory,
      default_setting_name: type,
      default_setting_value: value,
      default_setting_enabled: true,
      default_setting_description: null,
      insert_date: now,
    });
  }

  // Shaped as the original extension-create writes them (docs/original-api.md §5.5).
  for (const ext of DEMO_EXTENSIONS) {
    await insert("v_extensions", {
      domain_uuid: DEMO_DOMAIN_UUID,
      extension_uuid: ext.extensionUuid,
      extension: ext.extension,
      password: generatePassword(10, 4),
      accountcode: DEMO_DOMAIN_NAME,
      effective_caller_id_name: ext.name,
      effective_caller_id_number: ext.extension,
      outbound_caller_id_name: null,
      outbound_caller_id_number: null,
      emergency_caller_id_name: null,
      emergency_caller_id_number: null,
      directory_first_name: ext.name.split(" ")[0] ?? null,
      directory_last_name: ext.name.split(" ")[1] ?? null,
      directory_visible: true,
      directory_exten_visible: true,
      max_registrations: null,
      limit_max: 5,
      limit_destination: "!USER_BUSY",
      user_context: DEMO_DOMAIN_NAME,
      call_timeout: 30,
      call_screen_enabled: false,
      enabled: true,
      description: null,
      insert_date: now,
    });
    await insert("v_voicemails", {
      domain_uuid: DEMO_DOMAIN_UUID,
      voicemail_uuid: ext.voicemailUuid,
      voicemail_id: ext.extension,
      voicemail_password: generatePassword(8, 1),
      voicemail_mail_to: null,
      voicemail_file: "attach",
      voicemail_local_after_email: true,
      voicemail_transcription_enabled: false,
      voicemail_tutorial: null,
      voicemail_enabled: true,
      voicemail_description: null,
      insert_date: now,
    });
  }

  const target = `${DEMO_DESTINATION.target} XML ${DEMO_DOMAIN_NAME}`;
  await insert("v_dialplans", {
    domain_uuid: DEMO_DOMAIN_UUID,
    dialplan_uuid: DEMO_DESTINATION.dialplanUuid,
    app_uuid: INBOUND_ROUTES_APP_UUID,
    dialplan_context: "public",
    dialplan_name: DEMO_DESTINATION.number,
    dialplan_number: DEMO_DESTINATION.number,
    dialplan_continue: false,
    dialplan_xml: destinationDialplanXml(DEMO_DESTINATION.number, DEMO_DESTINATION.dialplanUuid, "transfer", target),
    dialplan_order: 100,
    dialplan_enabled: true,
    dialplan_description: "Demo main number",
    insert_date: now,
  });
  const detail = {
    domain_uuid: DEMO_DOMAIN_UUID,
    dialplan_uuid: DEMO_DESTINATION.dialplanUuid,
    dialplan_detail_group: 0,
    dialplan_detail_enabled: true,
    insert_date: now,
  };
  await insert("v_dialplan_details", {
    ...detail,
    dialplan_detail_uuid: "e2b5d7a4-3c1f-4f0a-9a6e-2d8c4b1f7e30",
    dialplan_detail_tag: "condition",
    dialplan_detail_type: "destination_number",
    dialplan_detail_data: `^(${DEMO_DESTINATION.number})$`,
    dialplan_detail_order: 20,
  });
  await insert("v_dialplan_details", {
    ...detail,
    dialplan_detail_uuid: "9d41c6b2-5e8a-4b73-8f1d-6a0e3c2b9d54",
    dialplan_detail_tag: "action",
    dialplan_detail_type: "transfer",
    dialplan_detail_data: target,
    dialplan_detail_order: 40,
  });
  await insert("v_destinations", {
    domain_uuid: DEMO_DOMAIN_UUID,
    destination_uuid: DEMO_DESTINATION.destinationUuid,
    dialplan_uuid: DEMO_DESTINATION.dialplanUuid,
    destination_type: "inbound",
    destination_number: DEMO_DESTINATION.number,
    destination_number_regex: `^(${DEMO_DESTINATION.number})$`,
    destination_context: "public",
    destination_actions: JSON.stringify([{ destination_app: "transfer", destination_data: target }]),
    destination_app: "transfer",
    destination_data: target,
    destination_order: 100,
    destination_enabled: true,
    destination_description: "Demo main number",
    insert_date: now,
  });

  // Shaped as the original ringgroup-create writes it (docs/original-api.md §5.9).
  const rg = DEMO_RING_GROUP;
  await insert("v_ring_groups", {
    ring_group_uuid: rg.ringGroupUuid,
    domain_uuid: DEMO_DOMAIN_UUID,
    ring_group_name: rg.name,
    ring_group_extension: rg.extension,
    ring_group_greeting: null,
    ring_group_strategy: rg.strategy,
    ring_group_call_timeout: 30,
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a FreeSWITCH variable, stored literally
    ring_group_ringback: "${us-ring}",
    ring_group_forward_enabled: false,
    ring_group_context: DEMO_DOMAIN_NAME,
    ring_group_enabled: true,
    ring_group_description: null,
    dialplan_uuid: rg.dialplanUuid,
    insert_date: now,
  });
  for (const d of rg.destinations) {
    await insert("v_ring_group_destinations", {
      ring_group_uuid: rg.ringGroupUuid,
      ring_group_destination_uuid: d.uuid,
      destination_number: d.number,
      destination_delay: 0,
      destination_timeout: 30,
      destination_prompt: null,
      destination_enabled: true,
      domain_uuid: DEMO_DOMAIN_UUID,
      insert_date: now,
    });
  }
  await insert("v_dialplans", {
    domain_uuid: DEMO_DOMAIN_UUID,
    dialplan_uuid: rg.dialplanUuid,
    dialplan_name: rg.name,
    dialplan_number: rg.extension,
    dialplan_context: DEMO_DOMAIN_NAME,
    dialplan_continue: false,
    dialplan_xml: ringGroupDialplanXml(rg.name, rg.extension, rg.dialplanUuid, rg.ringGroupUuid),
    dialplan_order: 101,
    dialplan_enabled: true,
    dialplan_description: null,
    app_uuid: RING_GROUPS_APP_UUID,
    insert_date: now,
  });

  for (const cdr of demoCdrRows(now)) await insert("v_xml_cdr", cdr);
}
