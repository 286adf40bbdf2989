/**
 * Compatibility suite: builds each FusionPBX schema (5.1.0 and 5.6 master, as a real install has them:
 * docs/fusionpbx-schema.md) and runs the db layer's reads and writes against it.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { hashApiSecret, verifyApiSecret } from "./api-key-hash.ts";
import { DEMO_DOMAIN_UUID, DEMO_EXTENSIONS, DEMO_RING_GROUP, seedDemo } from "./demo-seed.ts";
import { insertRow } from "./insert-row.ts";
import { loadSchemaInfo, type SchemaInfo } from "./schema-info.ts";
import { createTestDatabase, type SchemaKind, SWITCHBOARD_MIGRATION_IDS, type TestDatabase } from "./testing/index.ts";

const KINDS: SchemaKind[] = ["fusionpbx-5.1.0", "fusionpbx-5.6-master"];

for (const kind of KINDS) {
  const is51 = kind === "fusionpbx-5.1.0";
  // What a flag column holds on this version: 5.1 keeps text 'true'/'false', 5.6 real booleans.
  const flag = (value: boolean) => (is51 ? String(value) : value);

  describe(`${kind} schema`, () => {
    let db: TestDatabase;
    let schema: SchemaInfo;
    beforeAll(async () => {
      db = await createTestDatabase({ prefix: "sb_compat", dump: kind, migrate: true });
      schema = await loadSchemaInfo(db.sql);
    }, 60_000);
    afterAll(async () => {
      await db?.drop();
    }, 30_000);

    test("migrations added only Switchboard's tables", () => {
      expect(db.migration?.existingFusionpbx).toBe(true);
      expect(db.migration?.applied).toEqual(SWITCHBOARD_MIGRATION_IDS);
    });

    test("SchemaInfo reports this version's column types", () => {
      expect(schema.typeOf("v_extensions", "enabled")).toBe(is51 ? "text" : "boolean");
      expect(schema.typeOf("v_ring_groups", "ring_group_enabled")).toBe(is51 ? "text" : "boolean");
      expect(schema.typeOf("v_domains", "domain_enabled")).toBe("boolean");
      expect(schema.hasColumn("v_extensions", "extension_language")).toBe(!is51);
      expect(schema.hasTable("v_settings")).toBe(is51);
      expect(schema.typeOf("switchboard_audit", "duration_ms")).toBe("integer");
    });

    test("the demo writes fit this version (missing columns left out, flags typed per column)", async () => {
      await seedDemo(db.sql, schema);
      const [ext] = await db.sql`select * from v_extensions where extension_uuid = ${DEMO_EXTENSIONS[0].extensionUuid}`;
      expect(Object.keys(ext ?? {})).toEqual(schema.columns("v_extensions").map((c) => c.name));
      expect(ext).toMatchObject({
        extension: "100",
        enabled: flag(true),
        call_screen_enabled: flag(false),
        call_timeout: "30",
      });
      const [vm] = await db.sql`select voicemail_enabled, voicemail_local_after_email, voicemail_file from v_voicemails
        where voicemail_uuid = ${DEMO_EXTENSIONS[0].voicemailUuid}`;
      expect(vm).toEqual({
        voicemail_enabled: flag(true),
        voicemail_local_after_email: flag(true),
        voicemail_file: "attach",
      });
      const [rg] =
        await db.sql`select ring_group_enabled, ring_group_forward_enabled, ring_group_call_timeout from v_ring_groups
        where ring_group_uuid = ${DEMO_RING_GROUP.ringGroupUuid}`;
      expect(rg).toEqual({
        ring_group_enabled: flag(true),
        ring_group_forward_enabled: flag(false),
        ring_group_call_timeout: "30",
      });
      const [plan] =
        await db.sql`select dialplan_continue, dialplan_enabled from v_dialplans where dialplan_uuid = ${DEMO_RING_GROUP.dialplanUuid}`;
      expect(plan).toEqual({ dialplan_continue: flag(false), dialplan_enabled: flag(true) });
    }, 30_000); // the demo key is hashed with bcrypt, slow on a loaded machine

    test("insertRow reports the columns it wrote, dropping those this version lacks", async () => {
      const written = await insertRow(db.sql, schema, "v_extensions", {
        extension_uuid: crypto.randomUUID(),
        domain_uuid: DEMO_DOMAIN_UUID,
        extension: "150",
        extension_language: "en",
        enabled: "false",
      });
      expect(written).toEqual(
        is51
          ? ["extension_uuid", "domain_uuid", "extension", "enabled"]
          : ["extension_uuid", "domain_uuid", "extension", "extension_language", "enabled"],
      );
      const [row] = await db.sql`select enabled from v_extensions where extension = '150'`;
      expect(row?.enabled).toBe(flag(false));
      await expect(insertRow(db.sql, schema, "v_no_such_table", { a: 1 })).rejects.toThrow(
        "table v_no_such_table does not exist",
      );
    });

    test("reads come back as PDO gives them: SELECT * in physical order, numeric and timestamps as text", async () => {
      const [domain] = await db.sql`SELECT * FROM v_domains WHERE domain_uuid = ${DEMO_DOMAIN_UUID}`;
      expect(Object.keys(domain ?? {})).toEqual(schema.columns("v_domains").map((c) => c.name));
      const cdrs = await db.sql`SELECT xml_cdr_uuid, duration, start_stamp, missed_call, leg FROM v_xml_cdr
        WHERE domain_uuid = ${DEMO_DOMAIN_UUID} ORDER BY end_stamp DESC LIMIT 100`;
      expect(cdrs.length).toBeGreaterThan(0);
      for (const c of cdrs) {
        expect(c.duration).toMatch(/^\d+$/);
        expect(c.start_stamp).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d/);
        expect(typeof c.missed_call).toBe("boolean");
      }
      const [dest] =
        await db.sql`SELECT destination_actions FROM v_destinations WHERE domain_uuid = ${DEMO_DOMAIN_UUID}`;
      expect(dest?.destination_actions).toBeString();
    });

    test("rest_api_keys: a PHP-style key verifies", async () => {
      const id = crypto.randomUUID();
      await db.sql`INSERT INTO rest_api_keys (key_uuid, key_secret, created) VALUES (${id}, ${await hashApiSecret("abc", 4)}, now())`;
      const [key] = await db.sql<{ key_secret: string }[]>`SELECT key_secret FROM rest_api_keys WHERE key_uuid = ${id}`;
      expect(await verifyApiSecret("abc", key?.key_secret)).toBe(true);
    });

    test("Switchboard's tables take writes in one transaction", async () => {
      const keyUuid = crypto.randomUUID();
      await db.sql.begin(async (tx) => {
        await tx`insert into switchboard_key_policies (key_uuid, domain_uuid, scopes) values (${keyUuid}, ${DEMO_DOMAIN_UUID}, ${tx.array(["read", "write"])})`;
        await tx`insert into switchboard_audit (face, key_uuid, action, domain_uuid, outcome, duration_ms) values ('legacy', ${keyUuid}, 'domain-details', ${DEMO_DOMAIN_UUID}, 'ok', 3)`;
        await tx`insert into switchboard_idempotency (scope, idem_key, result) values (${keyUuid}, 'k', ${'{"a":1}'})`;
        await tx`insert into switchboard_calls (call_uuid, domain_uuid, status, request) values (${crypto.randomUUID()}, ${DEMO_DOMAIN_UUID}, 'planned', ${"{}"})`;
        await tx`insert into switchboard_slack_workspaces (team_id, domain_uuid) values ('T1', ${DEMO_DOMAIN_UUID})`;
        await tx`insert into switchboard_slack_users (team_id, user_id, scopes, extension) values ('T1', 'U1', ${tx.array(["read"])}, '100')`;
      });
      const [policy] =
        await db.sql`select scopes, disabled, expires_at from switchboard_key_policies where key_uuid = ${keyUuid}`;
      expect(policy).toEqual({ scopes: ["read", "write"], disabled: false, expires_at: null });
      const [audit] = await db.sql`select outcome, duration_ms from switchboard_audit where key_uuid = ${keyUuid}`;
      expect(audit).toEqual({ outcome: "ok", duration_ms: 3 });
      const [idem] = await db.sql`select result from switchboard_idempotency where scope = ${keyUuid}`;
      expect(idem?.result).toBe('{"a": 1}');
    });
  });
}
