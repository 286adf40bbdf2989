import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { hashApiSecret, verifyApiSecret } from "./api-key-hash.ts";
import {
  DEMO_DEFAULT_SETTINGS,
  DEMO_DESTINATION,
  DEMO_DOMAIN_NAME,
  DEMO_DOMAIN_UUID,
  DEMO_EXTENSIONS,
  DEMO_KEY_ID,
  DEMO_KEY_SECRET,
  DEMO_RING_GROUP,
  generatePassword,
  seedDemo,
} from "./demo-seed.ts";
import { createTestDatabase, type TestDatabase } from "./testing/index.ts";

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase({ prefix: "sb_seed", migrate: true });
  await seedDemo(db.sql);
}, 30_000);
afterAll(async () => {
  await db?.drop();
}, 30_000);

describe("the demo domain and key (the seed README's example)", () => {
  test("domain-details' README body, byte for byte", async () => {
    const [row] = await db.sql`select * from v_domains where domain_uuid = ${DEMO_DOMAIN_UUID}`;
    expect(JSON.stringify(row)).toBe(
      '{"domain_uuid":"3a644e67-de8f-4798-b07e-6f22c33a656e","domain_parent_uuid":null,"domain_name":"fusionpbx.example.net","domain_enabled":true,"domain_description":"","insert_date":null,"insert_user":null,"update_date":null,"update_user":null}',
    );
  });

  test("the key's secret is stored as PHP's bcrypt ($2y$10$) and verifies", async () => {
    const [key] = await db.sql<{ key_secret: string; created: string | null }[]>`
      select key_secret, created from rest_api_keys where key_uuid = ${DEMO_KEY_ID}`;
    expect(key?.key_secret).toMatch(/^\$2y\$10\$[./A-Za-z0-9]{53}$/);
    expect(key?.created).toBeString();
    expect(await verifyApiSecret(DEMO_KEY_SECRET, key?.key_secret)).toBe(true);
    expect(await verifyApiSecret("jM2GQuYgQTkIGE6nJ2SQ", key?.key_secret)).toBe(false);
    expect(await verifyApiSecret(DEMO_KEY_SECRET, "not a hash")).toBe(false);
  });
});

describe("demo telephony data", () => {
  test("extensions 100-103, shaped as extension-create writes them", async () => {
    const rows = await db.sql`select * from v_extensions where domain_uuid = ${DEMO_DOMAIN_UUID} order by extension`;
    expect(rows.map((r) => r.extension)).toEqual(["100", "101", "102", "103"]);
    for (const r of rows) {
      expect(r).toMatchObject({
        accountcode: DEMO_DOMAIN_NAME,
        user_context: DEMO_DOMAIN_NAME,
        limit_max: "5",
        limit_destination: "!USER_BUSY",
        call_timeout: "30",
        directory_visible: true,
        directory_exten_visible: true,
        call_screen_enabled: false,
        enabled: true,
        description: null,
      });
      expect(r.password).toMatch(/^[0-9a-km-zA-NP-Z!^$%*?.]{10}$/);
      expect(r.insert_date).toBeString();
    }
  });

  test("each extension has its voicemail box", async () => {
    const rows = await db.sql`select * from v_voicemails where domain_uuid = ${DEMO_DOMAIN_UUID} order by voicemail_id`;
    expect(rows.map((r) => r.voicemail_id)).toEqual(DEMO_EXTENSIONS.map((e) => e.extension));
    for (const r of rows) {
      expect(r).toMatchObject({
        voicemail_mail_to: null,
        voicemail_file: "attach",
        voicemail_local_after_email: true,
        voicemail_transcription_enabled: false,
        voicemail_tutorial: null,
        voicemail_enabled: true,
        voicemail_description: null,
      });
      expect(r.voicemail_password).toMatch(/^\d{8}$/);
    }
  });

  test("an inbound destination with its dialplan", async () => {
    const [d] = await db.sql`select * from v_destinations where destination_number = ${DEMO_DESTINATION.number}`;
    expect(d).toMatchObject({
      domain_uuid: DEMO_DOMAIN_UUID,
      destination_type: "inbound",
      destination_context: "public",
      destination_number_regex: `^(${DEMO_DESTINATION.number})$`,
      destination_app: "transfer",
      destination_data: `100 XML ${DEMO_DOMAIN_NAME}`,
      destination_order: "100",
      destination_enabled: true,
    });
    expect(JSON.parse(d?.destination_actions as string)).toEqual([
      { destination_app: "transfer", destination_data: `100 XML ${DEMO_DOMAIN_NAME}` },
    ]);
    const [plan] = await db.sql`select * from v_dialplans where dialplan_uuid = ${d?.dialplan_uuid as string}`;
    expect(plan?.dialplan_context).toBe("public");
    expect(plan?.dialplan_xml).toContain(`<action application="transfer" data="100 XML ${DEMO_DOMAIN_NAME}"/>`);
    const details = await db.sql`select dialplan_detail_tag, dialplan_detail_order from v_dialplan_details
      where dialplan_uuid = ${DEMO_DESTINATION.dialplanUuid} order by dialplan_detail_order`;
    expect([...details]).toEqual([
      { dialplan_detail_tag: "condition", dialplan_detail_order: "20" },
      { dialplan_detail_tag: "action", dialplan_detail_order: "40" },
    ]);
  });

  test("a ring group with destinations and its dialplan", async () => {
    const [rg] = await db.sql`select * from v_ring_groups where ring_group_uuid = ${DEMO_RING_GROUP.ringGroupUuid}`;
    expect(rg).toMatchObject({
      ring_group_extension: "200",
      ring_group_strategy: "simultaneous",
      ring_group_call_timeout: "30",
      // biome-ignore lint/suspicious/noTemplateCurlyInString: a FreeSWITCH variable, stored literally
      ring_group_ringback: "${us-ring}",
      ring_group_context: DEMO_DOMAIN_NAME,
      ring_group_enabled: true,
      dialplan_uuid: DEMO_RING_GROUP.dialplanUuid,
    });
    const dests = await db.sql`select destination_number from v_ring_group_destinations
      where ring_group_uuid = ${DEMO_RING_GROUP.ringGroupUuid} order by destination_number`;
    expect(dests.map((r) => r.destination_number)).toEqual(["100", "101"]);
    const [plan] =
      await db.sql`select dialplan_xml, app_uuid, dialplan_order from v_dialplans where dialplan_uuid = ${DEMO_RING_GROUP.dialplanUuid}`;
    expect(plan?.app_uuid).toBe("1d61fb65-1eec-bc73-a6ee-a6203b4fe6f2");
    expect(plan?.dialplan_order).toBe("101");
    expect(plan?.dialplan_xml).toContain(`data="ring_group_uuid=${DEMO_RING_GROUP.ringGroupUuid}"`);
  });

  test("CDR rows, read the way cdr-list reads them", async () => {
    const rows =
      await db.sql`SELECT xml_cdr_uuid, extension_uuid, direction, start_stamp, end_stamp, hangup_cause, duration,
      missed_call, record_name, bridge_uuid, caller_id_name, caller_id_number, caller_destination, source_number,
      destination_number, leg FROM v_xml_cdr WHERE domain_uuid = ${DEMO_DOMAIN_UUID} ORDER BY end_stamp DESC LIMIT 100`;
    expect(rows.length).toBeGreaterThanOrEqual(3);
    expect(new Set(rows.map((r) => r.leg))).toEqual(new Set(["a", "b"]));
    expect(rows.some((r) => r.missed_call === true)).toBe(true);
    for (const r of rows) {
      expect(r.duration).toMatch(/^\d+$/);
      expect(r.start_stamp).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d[+-]\d\d/);
    }
  });

  test("the default settings FusionPBX's behaviour depends on", async () => {
    const rows = await db.sql<{ k: string; name: string; value: string | null; enabled: boolean }[]>`
      select default_setting_category || '.' || default_setting_subcategory as k, default_setting_name as name,
        default_setting_value as value, default_setting_enabled as enabled from v_default_settings`;
    const byKey = new Map(rows.map((r) => [r.k, r]));
    for (const [category, subcategory, name, value] of DEMO_DEFAULT_SETTINGS) {
      expect(byKey.get(`${category}.${subcategory}`)).toEqual({
        k: `${category}.${subcategory}`,
        name,
        value,
        enabled: true,
      });
    }
    expect(byKey.get("voicemail.password_length")?.value).toBe("8");
  });
});

describe("helpers", () => {
  test("hashApiSecret writes $2y$ and verifyApiSecret reads $2y$ and $2b$", async () => {
    const hash = await hashApiSecret("s3cret", 4);
    expect(hash.startsWith("$2y$04$")).toBe(true);
    expect(await verifyApiSecret("s3cret", hash)).toBe(true);
    expect(await verifyApiSecret("s3cret", `$2b$${hash.slice(4)}`)).toBe(true);
    expect(await verifyApiSecret("other", hash)).toBe(false);
    expect(await verifyApiSecret("s3cret", null)).toBe(false);
  });

  test("generatePassword uses FusionPBX's character sets", () => {
    expect(generatePassword(50, 1)).toMatch(/^\d{50}$/);
    expect(generatePassword(50, 3)).toMatch(/^[0-9a-km-zA-NP-Z]{50}$/);
    expect(generatePassword(20, 4)).toHaveLength(20);
  });
});
