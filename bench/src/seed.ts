import { loadSchemaInfo, type SchemaInfo, type Sql } from "../../packages/db/src/index.ts";

export interface TenantShape {
  domainName: string;
  extensions: number;
  destinations: number;
  ringGroups: number;
  cdrs: number;
  /** First extension number (extensions are consecutive). */
  firstExtension: number;
  /** Destination numbers are `<didPrefix><4 digits>`; numbers are global in FusionPBX, so each tenant gets its own prefix. */
  didPrefix: string;
}

export interface SeededTenant {
  domainUuid: string;
  domainName: string;
  firstExtension: number;
  extensions: number;
  didPrefix: string;
}

/** Expressions for one INSERT … SELECT, column → SQL expression over the FROM clause's `i`. */
type Columns = Record<string, string>;

/**
 * Builds `INSERT INTO table (…) SELECT … FROM …`, casting every expression to the live column type
 * (5.1 keeps flags as text, 5.6 as boolean) and leaving out columns this schema does not have.
 */
function insertSelect(schema: SchemaInfo, table: string, columns: Columns, from: string): string {
  if (!schema.hasTable(table)) throw new Error(`table ${table} is missing: did migrate() run?`);
  const names: string[] = [];
  const values: string[] = [];
  for (const [name, expr] of Object.entries(columns)) {
    const type = schema.typeOf(table, name);
    if (!type) continue;
    names.push(name);
    values.push(`(${expr})::text::${type === "USER-DEFINED" || type === "ARRAY" ? "text" : type}`);
  }
  return `insert into ${table} (${names.join(", ")}) select ${values.join(", ")} from ${from}`;
}

/** Deterministic uuids per tenant, so rows can refer to each other without round trips. */
const uuidOf = (seedLiteral: string, kind: string, index: string) =>
  `md5(${seedLiteral} || ':${kind}:' || (${index}))::uuid`;

/**
 * Seeds one tenant the way FusionPBX's UI leaves one: extensions with their voicemail boxes,
 * inbound destinations with their dialplans and details, ring groups with members and dialplans,
 * and CDRs over the last ~90 days (both legs, some calls still without end_stamp).
 */
export async function seedTenant(sql: Sql, shape: TenantShape): Promise<SeededTenant> {
  const schema = await loadSchemaInfo(sql);
  const seed = `${shape.domainName}:${crypto.randomUUID()}`;
  const s = `'${seed.replaceAll("'", "''")}'`;
  const d = `'${shape.domainName.replaceAll("'", "''")}'`;
  const [{ domain_uuid: domainUuid }] = (await sql.unsafe(
    `select md5(${s} || ':domain')::uuid::text as domain_uuid`,
  )) as unknown as [{ domain_uuid: string }];
  const dom = `'${domainUuid}'`;
  const ext = (i: string) => `(${shape.firstExtension} + ${i})::text`;
  const did = (i: string) => `'${shape.didPrefix}' || lpad((${i})::text, 4, '0')`;
  const inboundApp = "'c03b422e-13a8-bd1b-e42b-b6b9b4d27ce4'";
  const ringGroupApp = "'1d61fb65-1eec-bc73-a6ee-a6203b4fe6f2'";

  const statements = [
    insertSelect(
      schema,
      "v_domains",
      {
        domain_uuid: dom,
        domain_parent_uuid: "null",
        domain_name: d,
        domain_enabled: "true",
        domain_description: "''",
        insert_date: "now()",
      },
      "(select 1) as one",
    ),
    insertSelect(
      schema,
      "v_extensions",
      {
        extension_uuid: uuidOf(s, "ext", "i"),
        domain_uuid: dom,
        extension: ext("i"),
        password: "substr(md5(random()::text), 1, 10)",
        accountcode: d,
        effective_caller_id_name: "'User ' || " + ext("i"),
        effective_caller_id_number: ext("i"),
        outbound_caller_id_name: "'Bench Co'",
        outbound_caller_id_number: did("i % 1000"),
        emergency_caller_id_number: "case when i % 4 = 0 then null else " + did("i % 1000") + " end",
        directory_first_name: "'First' || i",
        directory_last_name: "'Last' || i",
        directory_visible: "'true'",
        directory_exten_visible: "'true'",
        limit_max: "'5'",
        limit_destination: "'!USER_BUSY'",
        user_context: d,
        call_timeout: "30",
        call_screen_enabled: "'false'",
        do_not_disturb: "'false'",
        forward_all_enabled: "'false'",
        enabled: "case when i % 50 = 49 then 'false' else 'true' end",
        description: "''",
        insert_date: "now() - (i || ' hours')::interval",
      },
      `generate_series(0, ${shape.extensions - 1}) as i`,
    ),
    insertSelect(
      schema,
      "v_voicemails",
      {
        domain_uuid: dom,
        voicemail_uuid: uuidOf(s, "vm", "i"),
        voicemail_id: ext("i"),
        voicemail_password: "lpad((i * 7919 % 10000)::text, 4, '0')",
        voicemail_mail_to: "'user' || i || '@example.test'",
        voicemail_file: "'attach'",
        voicemail_local_after_email: "'true'",
        voicemail_transcription_enabled: "'false'",
        voicemail_enabled: "'true'",
        insert_date: "now()",
      },
      `generate_series(0, ${shape.extensions - 1}) as i`,
    ),
    insertSelect(
      schema,
      "v_destinations",
      {
        domain_uuid: dom,
        destination_uuid: uuidOf(s, "dest", "i"),
        dialplan_uuid: uuidOf(s, "dest-dp", "i"),
        destination_type: "'inbound'",
        destination_number: did("i"),
        destination_number_regex: "'^(' || " + did("i") + " || ')$'",
        destination_caller_id_number: did("i"),
        destination_context: "'public'",
        destination_actions: `'[{"destination_app":"transfer","destination_data":"' || ${ext(`i % ${shape.extensions}`)} || ' XML ' || ${d} || '"}]'`,
        destination_order: "100",
        destination_enabled: "'true'",
        insert_date: "now()",
      },
      `generate_series(0, ${shape.destinations - 1}) as i`,
    ),
    insertSelect(
      schema,
      "v_dialplans",
      {
        domain_uuid: dom,
        dialplan_uuid: uuidOf(s, "dest-dp", "i"),
        app_uuid: inboundApp,
        dialplan_context: "'public'",
        dialplan_name: did("i"),
        dialplan_number: did("i"),
        dialplan_continue: "'false'",
        dialplan_order: "100",
        dialplan_enabled: "'true'",
        dialplan_xml:
          `'<extension name="' || ${did("i")} || '" continue="false" uuid="' || ${uuidOf(s, "dest-dp", "i")}::text || '">' || E'\\n\\t' ||` +
          `'<condition field="destination_number" expression="^\\+?1?(' || ${did("i")} || ')$">' || E'\\n\\t\\t' ||` +
          `'<action application="transfer" data="' || ${ext(`i % ${shape.extensions}`)} || ' XML ' || ${d} || '"/>' || E'\\n\\t' ||` +
          `'</condition>' || E'\\n' || '</extension>'`,
        insert_date: "now()",
      },
      `generate_series(0, ${shape.destinations - 1}) as i`,
    ),
    insertSelect(
      schema,
      "v_dialplan_details",
      {
        domain_uuid: dom,
        dialplan_uuid: uuidOf(s, "dest-dp", "i / 2"),
        dialplan_detail_uuid: uuidOf(s, "dest-dpd", "i"),
        dialplan_detail_tag: "case when i % 2 = 0 then 'condition' else 'action' end",
        dialplan_detail_type: "case when i % 2 = 0 then 'destination_number' else 'transfer' end",
        dialplan_detail_data: `case when i % 2 = 0 then '^(' || ${did("i / 2")} || ')$' else ${ext(`(i / 2) % ${shape.extensions}`)} || ' XML ' || ${d} end`,
        dialplan_detail_group: "0",
        dialplan_detail_order: "case when i % 2 = 0 then 20 else 40 end",
        dialplan_detail_enabled: "true",
        insert_date: "now()",
      },
      `generate_series(0, ${shape.destinations * 2 - 1}) as i`,
    ),
    insertSelect(
      schema,
      "v_ring_groups",
      {
        domain_uuid: dom,
        ring_group_uuid: uuidOf(s, "rg", "i"),
        ring_group_name: "'Group ' || i",
        ring_group_extension: `(${shape.firstExtension + 4000} + i)::text`,
        ring_group_context: d,
        ring_group_call_timeout: "30",
        ring_group_strategy: "(array['simultaneous','sequence','enterprise','rollover','random'])[1 + i % 5]",
        ring_group_enabled: "'true'",
        dialplan_uuid: uuidOf(s, "rg-dp", "i"),
        insert_date: "now()",
      },
      `generate_series(0, ${shape.ringGroups - 1}) as i`,
    ),
    insertSelect(
      schema,
      "v_ring_group_destinations",
      {
        ring_group_destination_uuid: uuidOf(s, "rgd", "i"),
        domain_uuid: dom,
        ring_group_uuid: uuidOf(s, "rg", "i / 3"),
        destination_number: ext(`i % ${shape.extensions}`),
        destination_delay: "0",
        destination_timeout: "30",
        destination_enabled: "true",
        insert_date: "now()",
      },
      `generate_series(0, ${shape.ringGroups * 3 - 1}) as i`,
    ),
    insertSelect(
      schema,
      "v_dialplans",
      {
        domain_uuid: dom,
        dialplan_uuid: uuidOf(s, "rg-dp", "i"),
        app_uuid: ringGroupApp,
        dialplan_context: d,
        dialplan_name: "'Group ' || i",
        dialplan_number: `(${shape.firstExtension + 4000} + i)::text`,
        dialplan_continue: "'false'",
        dialplan_order: "101",
        dialplan_enabled: "'true'",
        dialplan_xml: `'<extension name="Group ' || i || '" continue="false"><condition field="destination_number" expression="^' || (${shape.firstExtension + 4000} + i) || '$"><action application="bridge" data="group/' || i || '"/></condition></extension>'`,
        insert_date: "now()",
      },
      `generate_series(0, ${shape.ringGroups - 1}) as i`,
    ),
    insertSelect(
      schema,
      "v_xml_cdr",
      {
        xml_cdr_uuid: uuidOf(s, "cdr", "i"),
        domain_uuid: dom,
        extension_uuid: uuidOf(s, "ext", `i % ${shape.extensions}`),
        sip_call_id: "md5(i::text) || '@198.51.100.7'",
        domain_name: d,
        accountcode: d,
        direction: "(array['inbound','outbound','local'])[1 + i % 3]",
        context: d,
        caller_id_name: "'Caller ' || (i % 5000)",
        caller_id_number: "'+1206555' || lpad((i % 10000)::text, 4, '0')",
        caller_destination: ext(`i % ${shape.extensions}`),
        source_number: "'+1206555' || lpad((i % 10000)::text, 4, '0')",
        destination_number: ext(`i % ${shape.extensions}`),
        start_stamp: "now() - (i * 77 || ' seconds')::interval",
        start_epoch: "extract(epoch from now())::bigint - i * 77",
        answer_stamp: "case when i % 7 = 0 then null else now() - (i * 77 - 5 || ' seconds')::interval end",
        end_stamp:
          "case when i % 997 = 0 then null else now() - (i * 77 - 5 - i * 37 % 600 || ' seconds')::interval end",
        duration: "5 + i * 37 % 600",
        billsec: "case when i % 7 = 0 then 0 else i * 37 % 600 end",
        bridge_uuid: "case when i % 7 = 0 then null else md5('bridge' || i)::uuid::text end",
        read_codec: "'PCMU'",
        write_codec: "'PCMU'",
        leg: "case when i % 3 = 2 then 'b' else 'a' end",
        missed_call: "(i % 7 = 0)",
        voicemail_message: "(i % 14 = 0)",
        hangup_cause:
          "(array['NORMAL_CLEARING','NO_ANSWER','USER_BUSY','ORIGINATOR_CANCEL','NORMAL_CLEARING'])[1 + i % 5]",
        hangup_cause_q850: "16",
        record_name: "case when i % 10 = 0 then 'rec-' || i || '.wav' else null end",
        last_app: "'bridge'",
        insert_date: "now()",
      },
      `generate_series(0, ${shape.cdrs - 1}) as i`,
    ),
  ];

  await sql.begin(async (tx) => {
    for (const statement of statements) await tx.unsafe(statement);
  });
  return {
    domainUuid,
    domainName: shape.domainName,
    firstExtension: shape.firstExtension,
    extensions: shape.extensions,
    didPrefix: shape.didPrefix,
  };
}

export interface SeededKey {
  keyUuid: string;
  secret: string;
  /** `Basic base64(key_uuid:secret)`. */
  authorization: string;
}

/**
 * A key as FusionPBX's key_edit.php makes one: a 20-character secret stored as PHP `password_hash`
 * bcrypt cost 10 (`$2y$10$`), no policy row (all domains, all scopes, like the original).
 */
export async function seedKey(sql: Sql, name: string): Promise<SeededKey> {
  const keyUuid = crypto.randomUUID();
  const alphabet = "0123456789abcdefghijkmnopqrstuvwxyzABCDEFGHIJKLMNPQRSTUVWXYZ";
  const bytes = crypto.getRandomValues(new Uint8Array(20));
  const secret = Array.from(bytes, (b) => alphabet[b % alphabet.length]).join("");
  const hash = (await Bun.password.hash(secret, { algorithm: "bcrypt", cost: 10 })).replace(/^\$2[ab]\$/, "$2y$");
  await sql`insert into rest_api_keys (key_uuid, name, key_secret, created) values (${keyUuid}, ${name}, ${hash}, now())`;
  return { keyUuid, secret, authorization: `Basic ${Buffer.from(`${keyUuid}:${secret}`).toString("base64")}` };
}
