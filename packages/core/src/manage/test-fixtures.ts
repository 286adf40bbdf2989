/**
 * Fixture rows for tests, written with plain INSERTs shaped like FusionPBX's own writes (5.1 text flags or
 * 5.6 booleans follow the live column types). Test support only.
 */
import { createTestDatabase, schemaDumpPath, type SchemaKind, type TestDatabase } from "@switchboard/db/testing";
import type { BroadcastResult, Switch, SwitchPool } from "@switchboard/esl";
import type { ActionContext } from "../context.ts";
import { createTestContext } from "../testing/test-context.ts";
import type { Caller } from "../caller.ts";
import { APP_UUID } from "../fusionpbx/apps.ts";
import { destinationDialplanXml, ringGroupDialplanXml } from "../fusionpbx/dialplan-xml.ts";
import { insertRow, type Row } from "./rows.ts";

export const DUMPS: readonly SchemaKind[] = ["fusionpbx-5.1.0", "fusionpbx-5.6-master"];

/** The dumps present on this machine; prints why a suite is skipped when one is missing. */
export function availableDumps(suite: string): SchemaKind[] {
  return DUMPS.filter((dump) => {
    if (schemaDumpPath(dump)) return true;
    console.warn(`[${suite}] skipped on ${dump}: schema dump not found (../shared absent)`);
    return false;
  });
}

/** A pool with no switch configured: every flush reports `applied: false`. */
export const noSwitches: SwitchPool = {
  switches: [] as Switch[],
  forCalls() {
    throw new Error("no switch configured");
  },
  broadcast: async (): Promise<BroadcastResult[]> => [],
  broadcastEvent: async (): Promise<BroadcastResult[]> => [],
  health: async () => [],
  close: async () => {},
};

export interface Fixture {
  db: TestDatabase;
  ctx(caller?: Partial<Caller>, switches?: SwitchPool): Promise<ActionContext>;
}

export async function openFixture(dump: SchemaKind): Promise<Fixture> {
  const db = await createTestDatabase({ dump });
  return {
    db,
    ctx: (caller = {}, switches = noSwitches) => createTestContext({ sql: db.sql, switches, caller }),
  };
}

export async function addDomain(ctx: ActionContext, name: string, enabled = true): Promise<string> {
  const uuid = crypto.randomUUID();
  await insertRow(ctx.sql, ctx.schema, "v_domains", { domain_uuid: uuid, domain_name: name, domain_enabled: enabled });
  return uuid;
}

export async function addSetting(ctx: ActionContext, category: string, subcategory: string, name: string, value: string) {
  await insertRow(ctx.sql, ctx.schema, "v_default_settings", {
    default_setting_uuid: crypto.randomUUID(),
    default_setting_category: category,
    default_setting_subcategory: subcategory,
    default_setting_name: name,
    default_setting_value: value,
    default_setting_enabled: true,
  });
}

export async function addExtension(ctx: ActionContext, domain: { uuid: string; name: string }, extension: string, extra: Row = {}) {
  const uuid = crypto.randomUUID();
  await insertRow(ctx.sql, ctx.schema, "v_extensions", {
    extension_uuid: uuid,
    domain_uuid: domain.uuid,
    extension,
    password: "s3cret-Pass",
    accountcode: domain.name,
    effective_caller_id_name: "Old Name",
    effective_caller_id_number: extension,
    directory_visible: true,
    directory_exten_visible: true,
    limit_max: "5",
    limit_destination: "!USER_BUSY",
    user_context: domain.name,
    call_timeout: 30,
    call_screen_enabled: false,
    enabled: true,
    ...(extra as Record<string, string | number | boolean | null>),
  });
  await insertRow(ctx.sql, ctx.schema, "v_voicemails", {
    voicemail_uuid: crypto.randomUUID(),
    domain_uuid: domain.uuid,
    voicemail_id: (extra.number_alias as string | undefined) ?? extension,
    voicemail_password: "12345678",
    voicemail_file: "attach",
    voicemail_local_after_email: true,
    voicemail_transcription_enabled: false,
    voicemail_enabled: true,
  });
  return uuid;
}

export async function addDestination(
  ctx: ActionContext,
  domain: { uuid: string; name: string },
  number: string,
  target: string,
  extra: Row = {},
): Promise<{ destinationUuid: string; dialplanUuid: string }> {
  const destinationUuid = crypto.randomUUID();
  const dialplanUuid = crypto.randomUUID();
  const actions = [{ app: "transfer", data: `${target} XML ${domain.name}` }];
  await insertRow(ctx.sql, ctx.schema, "v_destinations", {
    domain_uuid: domain.uuid,
    destination_uuid: destinationUuid,
    dialplan_uuid: dialplanUuid,
    destination_type: "inbound",
    destination_number: number,
    destination_number_regex: `^(${number})$`,
    destination_context: "public",
    destination_actions: JSON.stringify(actions.map((a) => ({ destination_app: a.app, destination_data: a.data }))),
    destination_app: "transfer",
    destination_data: actions[0]!.data,
    destination_order: 100,
    destination_enabled: true,
    ...(extra as Record<string, string | number | boolean | null>),
  });
  await insertRow(ctx.sql, ctx.schema, "v_dialplans", {
    domain_uuid: domain.uuid,
    dialplan_uuid: dialplanUuid,
    app_uuid: APP_UUID.inboundRoutes,
    dialplan_context: "public",
    dialplan_name: number,
    dialplan_number: number,
    dialplan_continue: false,
    dialplan_order: 100,
    dialplan_enabled: true,
    dialplan_xml: destinationDialplanXml({
      name: number,
      dialplanUuid,
      field: "destination_number",
      regex: `^(${number})$`,
      domainUuid: domain.uuid,
      domainName: domain.name,
      actions,
    }),
  });
  for (const [tag, type, data, order] of [
    ["condition", "destination_number", `^(${number})$`, 20],
    ["action", "transfer", actions[0]!.data, 40],
  ] as const) {
    await insertRow(ctx.sql, ctx.schema, "v_dialplan_details", {
      domain_uuid: domain.uuid,
      dialplan_uuid: dialplanUuid,
      dialplan_detail_uuid: crypto.randomUUID(),
      dialplan_detail_tag: tag,
      dialplan_detail_type: type,
      dialplan_detail_data: data,
      dialplan_detail_group: 0,
      dialplan_detail_order: order,
      dialplan_detail_enabled: true,
    });
  }
  return { destinationUuid, dialplanUuid };
}

export async function addRingGroup(
  ctx: ActionContext,
  domain: { uuid: string; name: string },
  name: string,
  extension: string,
  members: readonly string[],
): Promise<{ ringGroupUuid: string; dialplanUuid: string }> {
  const ringGroupUuid = crypto.randomUUID();
  const dialplanUuid = crypto.randomUUID();
  await insertRow(ctx.sql, ctx.schema, "v_ring_groups", {
    ring_group_uuid: ringGroupUuid,
    domain_uuid: domain.uuid,
    ring_group_name: name,
    ring_group_extension: extension,
    ring_group_strategy: "simultaneous",
    ring_group_call_timeout: 30,
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a FreeSWITCH variable, as FusionPBX stores it
    ring_group_ringback: "${us-ring}",
    ring_group_forward_enabled: false,
    ring_group_context: domain.name,
    ring_group_enabled: true,
    dialplan_uuid: dialplanUuid,
  });
  for (const number of members) {
    await insertRow(ctx.sql, ctx.schema, "v_ring_group_destinations", {
      ring_group_destination_uuid: crypto.randomUUID(),
      ring_group_uuid: ringGroupUuid,
      domain_uuid: domain.uuid,
      destination_number: number,
      destination_delay: 0,
      destination_timeout: 30,
      destination_enabled: true,
    });
  }
  await insertRow(ctx.sql, ctx.schema, "v_ring_group_users", {
    ring_group_user_uuid: crypto.randomUUID(),
    domain_uuid: domain.uuid,
    ring_group_uuid: ringGroupUuid,
    user_uuid: crypto.randomUUID(),
  });
  await insertRow(ctx.sql, ctx.schema, "v_dialplans", {
    domain_uuid: domain.uuid,
    dialplan_uuid: dialplanUuid,
    app_uuid: APP_UUID.ringGroups,
    dialplan_context: domain.name,
    dialplan_name: name,
    dialplan_number: extension,
    dialplan_continue: false,
    dialplan_order: 101,
    dialplan_enabled: true,
    dialplan_xml: ringGroupDialplanXml({ name, extension, dialplanUuid, ringGroupUuid, ringReady: true }),
  });
  return { ringGroupUuid, dialplanUuid };
}

/** Rows of a table for one key, as `SELECT *` gives them. */
export async function rowsWhere(ctx: ActionContext, table: string, column: string, value: string): Promise<Row[]> {
  return (await ctx.sql.unsafe(`select * from ${table} where ${column} = $1 order by 1`, [value])) as unknown as Row[];
}
