/**
 * Test support for the FusionPBX actions (test support only). A fresh database per suite on each FusionPBX
 * schema: the original's actions run on FusionPBX 5.1 and 5.6 and on our own migrations, with a fake
 * FreeSWITCH behind a real switch pool and two domains (`openOriginalFixture`); Switchboard's own actions run
 * on both versions with no switch, their rows added by the `add…` helpers, plain INSERTs shaped like FusionPBX's
 * own writes (5.1 text flags or 5.6 booleans follow the live column types).
 */
import { loadSchemaInfo, type SchemaInfo } from "@switchboard/db";
import { createTestDatabase, type SchemaKind, type TestDatabase } from "@switchboard/db/testing";
import { type BroadcastResult, createSwitchPool, type Switch, type SwitchPool } from "@switchboard/esl";
import { type FakeSwitch, startFakeSwitch } from "@switchboard/esl/testing";
import type { AnyAction } from "../action.ts";
import type { Caller } from "../caller.ts";
import type { ActionContext } from "../context.ts";
import { ActionError, type LegacyReply } from "../errors.ts";
import { phpJsonEncode } from "../legacy/php.ts";
import { runLegacyAction } from "../legacy/run-legacy.ts";
import { createTestContext, testCaller } from "../testing/test-context.ts";
import { APP_UUID } from "./apps.ts";
import { destinationDialplanXml, ringGroupDialplanXml } from "./dialplan-xml.ts";
import { insertRow, type Row } from "./rows.ts";

export type SchemaVariant = SchemaKind | "migrations";
/** The FusionPBX versions every action is tested on (docs/fusionpbx-schema.md). */
export const FUSIONPBX_KINDS: readonly SchemaKind[] = ["fusionpbx-5.1.0", "fusionpbx-5.6-master"];
/** Those, plus a database created by Switchboard's own migrations. */
export const SCHEMA_VARIANTS: readonly SchemaVariant[] = [...FUSIONPBX_KINDS, "migrations"];

export interface DomainFixture {
  uuid: string;
  name: string;
}

export interface LegacyAnswer extends LegacyReply {
  /** The body as the legacy route serialises it (PHP json_encode). */
  json: string;
}

export interface OriginalFixture {
  variant: SchemaVariant;
  db: TestDatabase;
  schema: SchemaInfo;
  fake: FakeSwitch;
  switches: SwitchPool;
  domain: DomainFixture;
  otherDomain: DomainFixture;
  ctx(caller?: Partial<Caller>, switches?: SwitchPool): ActionContext;
  legacy(action: AnyAction, body: Record<string, unknown>, caller?: Partial<Caller>): Promise<LegacyAnswer>;
  /** `SELECT *` rows of a table where `column = value`, in physical column order. */
  rows(table: string, column: string, value: string): Promise<Record<string, unknown>[]>;
  count(table: string): Promise<number>;
  close(): Promise<void>;
}

export async function openOriginalFixture(variant: SchemaVariant): Promise<OriginalFixture> {
  const db = await createTestDatabase(variant === "migrations" ? { migrate: true } : { dump: variant });
  const schema = await loadSchemaInfo(db.sql);
  const fake = await startFakeSwitch();
  const switches = createSwitchPool({ switches: [{ host: fake.host, port: fake.port, password: fake.password }] });
  const domain = { uuid: crypto.randomUUID(), name: "pbx.example.com" };
  const otherDomain = { uuid: crypto.randomUUID(), name: "other.example.net" };
  for (const d of [domain, otherDomain]) {
    await db.sql`insert into v_domains (domain_uuid, domain_name, domain_enabled) values (${d.uuid}, ${d.name}, true)`;
  }
  const ctx = (caller: Partial<Caller> = {}, pool: SwitchPool = switches): ActionContext => ({
    sql: db.sql,
    schema,
    switches: pool,
    caller: testCaller(caller),
    now: () => new Date(),
  });
  return {
    variant,
    db,
    schema,
    fake,
    switches,
    domain,
    otherDomain,
    ctx,
    async legacy(action, body, caller = {}) {
      const reply = await runLegacyAction(action, ctx({ face: "legacy", ...caller }), body);
      return { ...reply, json: phpJsonEncode(reply.body) };
    },
    async rows(table, column, value) {
      return (await db.sql.unsafe(`select * from ${table} where ${column} = $1`, [value])) as unknown as Record<
        string,
        unknown
      >[];
    },
    async count(table) {
      const rows = await db.sql.unsafe(`select count(*)::int as n from ${table}`);
      return (rows[0] as unknown as { n: number }).n;
    },
    async close() {
      await switches.close();
      await fake.stop();
      await db.drop();
    },
  };
}

/** A pool whose only switch listens nowhere: every flush fails, as with FreeSWITCH down. */
export function unreachableSwitches(): SwitchPool {
  return createSwitchPool({
    switches: [{ host: "127.0.0.1", port: 1, password: "ClueCon" }],
    connection: { connectTimeoutMs: 300, apiTimeoutMs: 300, commandTimeoutMs: 300 },
  });
}

/** The ActionError a call fails with (anything else is rethrown); fails the test when the call succeeds. */
export async function rejection(promise: Promise<unknown>): Promise<ActionError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof ActionError) return error;
    throw error;
  }
  throw new Error("expected the action to fail");
}

/**
 * The value an on/off flag column holds after `'true'`/`'false'` was written: text on 5.1, boolean on 5.6 and on
 * the 5.6-shaped tables of Switchboard's migrations (docs/fusionpbx-schema.md). Stated per version here rather
 * than read from the live schema, so that a wrong type in the schema reader cannot hide.
 */
export function storedFlag(variant: SchemaVariant, value: boolean): string | boolean {
  return variant === "fusionpbx-5.1.0" ? String(value) : value;
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

/** For Switchboard's own actions: a bare database on a real dump; no switch unless a test passes one. */
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

export async function addSetting(
  ctx: ActionContext,
  category: string,
  subcategory: string,
  name: string,
  value: string,
) {
  await insertRow(ctx.sql, ctx.schema, "v_default_settings", {
    default_setting_uuid: crypto.randomUUID(),
    default_setting_category: category,
    default_setting_subcategory: subcategory,
    default_setting_name: name,
    default_setting_value: value,
    default_setting_enabled: true,
  });
}

export async function addExtension(
  ctx: ActionContext,
  domain: { uuid: string; name: string },
  extension: string,
  extra: Row = {},
) {
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
