import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import type { ActionError } from "../errors.ts";
import { runAction } from "../execute.ts";
import { passwordAlphabet } from "../fusionpbx/generate-password.ts";
import {
  SCHEMA_VARIANTS,
  storedFlag,
  openOriginalFixture,
  type OriginalFixture,
  unreachableSwitches,
} from "../fusionpbx/test-fixture.ts";
import { extensionCreate } from "./extension-create.ts";

const charsOf = (alphabet: string) => new RegExp(`^[${alphabet.replace(/[\\\]^-]/g, "\\$&")}]+$`);

for (const variant of SCHEMA_VARIANTS) {
  describe(`extension-create on ${variant}`, () => {
    let fx: OriginalFixture;
    beforeAll(async () => {
      fx = await openOriginalFixture(variant);
    }, 60_000);
    afterAll(async () => fx?.close(), 30_000);

    test("writes the extension and voicemail rows and the transaction row as the original did", async () => {
      fx.fake.clearReceived();
      const luaBefore = fx.fake.luaRuns.length;
      const reply = await fx.legacy(extensionCreate, {
        action: "extension-create",
        domain_uuid: fx.domain.uuid,
        extension: 1001,
        caller_id_name: "  Front Desk ",
        caller_id_number: "+12065550100",
      });
      expect(reply.status).toBe(200);
      const body = reply.body as Record<string, unknown>;
      expect(Object.keys(body)).toEqual(fx.schema.columns("v_extensions").map((c) => c.name));
      const extensionUuid = body.extension_uuid as string;
      const [row] = await fx.rows("v_extensions", "extension_uuid", extensionUuid);
      expect(body).toEqual(row!);
      const password = row!.password as string;
      expect(password).toHaveLength(10);
      expect(password).toMatch(charsOf(passwordAlphabet(4)));
      const expected: Record<string, unknown> = {
        extension_uuid: extensionUuid,
        domain_uuid: fx.domain.uuid,
        extension: "1001",
        password,
        accountcode: "pbx.example.com",
        effective_caller_id_name: "Front Desk",
        effective_caller_id_number: "+12065550100",
        outbound_caller_id_name: "Front Desk",
        outbound_caller_id_number: "+12065550100",
        emergency_caller_id_name: "Front Desk",
        emergency_caller_id_number: "+12065550100",
        directory_visible: storedFlag(variant, true),
        directory_exten_visible: storedFlag(variant, true),
        limit_max: "5",
        limit_destination: "!USER_BUSY",
        user_context: "pbx.example.com",
        call_timeout: "30",
        call_screen_enabled: storedFlag(variant, false),
        enabled: storedFlag(variant, true),
        insert_user: null,
      };
      for (const column of fx.schema.columns("v_extensions").map((c) => c.name)) {
        if (column === "insert_date") expect(row!.insert_date).toEqual(expect.any(String));
        else expect([column, row![column]]).toEqual([column, column in expected ? expected[column] : null]);
      }

      const [voicemail] = await fx.rows("v_voicemails", "voicemail_id", "1001");
      const pin = voicemail!.voicemail_password as string;
      expect(pin).toMatch(/^[0-9]{8}$/);
      const expectedVoicemail: Record<string, unknown> = {
        domain_uuid: fx.domain.uuid,
        voicemail_uuid: voicemail!.voicemail_uuid,
        voicemail_id: "1001",
        voicemail_password: pin,
        voicemail_file: "attach",
        voicemail_local_after_email: storedFlag(variant, true),
        voicemail_transcription_enabled: storedFlag(variant, false),
        voicemail_enabled: storedFlag(variant, true),
      };
      for (const column of fx.schema.columns("v_voicemails").map((c) => c.name)) {
        if (column === "insert_date") expect(voicemail!.insert_date).toEqual(expect.any(String));
        else expect([column, voicemail![column]]).toEqual([column, expectedVoicemail[column] ?? null]);
      }

      const [log] = await fx.db
        .sql`select * from v_database_transactions where transaction_new like ${`%${extensionUuid}%`}`;
      const is56 = fx.schema.typeOf("v_dialplans", "dialplan_enabled") === "boolean";
      expect(log).toMatchObject({
        app_name: is56 ? "rest_api" : "voicemails",
        app_uuid: "2bfe71d9-e112-4b8b-bcff-75aeb0e06302",
        transaction_code: "200",
        transaction_type: "add",
        domain_uuid: null,
      });
      // The original logged both secrets; so does the transaction row, as FusionPBX writes it.
      const callerId = { name: "  Front Desk ", number: "+12065550100" };
      const logged = {
        extensions: [
          {
            domain_uuid: fx.domain.uuid,
            extension_uuid: extensionUuid,
            extension: "1001",
            password,
            accountcode: "pbx.example.com",
            effective_caller_id_name: callerId.name,
            effective_caller_id_number: callerId.number,
            outbound_caller_id_name: callerId.name,
            outbound_caller_id_number: callerId.number,
            emergency_caller_id_name: callerId.name,
            emergency_caller_id_number: callerId.number,
            directory_first_name: "",
            directory_last_name: "",
            directory_visible: "true",
            directory_exten_visible: "true",
            max_registrations: "",
            limit_max: "5",
            limit_destination: "!USER_BUSY",
            user_context: "pbx.example.com",
            missed_call_app: "",
            missed_call_data: "",
            toll_allow: "",
            call_timeout: "30",
            call_group: "",
            call_screen_enabled: "false",
            user_record: "",
            hold_music: "",
            auth_acl: "",
            cidr: "",
            sip_force_contact: "",
            sip_force_expires: "",
            mwi_account: "",
            sip_bypass_media: "",
            absolute_codec_string: "",
            force_ping: "",
            dial_string: "",
            enabled: "true",
            description: "",
          },
        ],
        voicemails: [
          {
            domain_uuid: fx.domain.uuid,
            voicemail_uuid: voicemail!.voicemail_uuid,
            voicemail_id: "1001",
            voicemail_password: pin,
            voicemail_mail_to: "",
            voicemail_file: "attach",
            voicemail_local_after_email: "true",
            voicemail_transcription_enabled: "false",
            voicemail_tutorial: null,
            voicemail_enabled: "true",
            voicemail_description: "",
          },
        ],
      };
      // As PHP's pretty JSON: 4 spaces, `/` written `\/`.
      expect(log!.transaction_new).toBe(JSON.stringify(logged, null, 4).replaceAll("/", "\\/"));

      expect(fx.fake.sentEvents.map((e) => e.headers["API-Command-Argument"])).toEqual([
        "delete directory.1001@pbx.example.com",
      ]);
      expect(fx.fake.luaRuns.slice(luaBefore)).toEqual([
        "app/servers/resources/clear_cache.lua delete directory.1001@pbx.example.com",
      ]);
    });

    test("a formatted caller id number is stored as given, like FusionPBX's form", async () => {
      const reply = await fx.legacy(extensionCreate, {
        domain_uuid: fx.domain.uuid,
        extension: "1009",
        caller_id_number: "(206) 555-0100",
      });
      expect((reply.body as Record<string, unknown>).effective_caller_id_number).toBe("(206) 555-0100");
    });

    test("typed face: booleans, numbers and applied; optional caller id stays NULL", async () => {
      const out = await runAction(extensionCreate, fx.ctx(), { domain_uuid: fx.domain.uuid, extension: "1002" });
      const typed = extensionCreate.output.parse(out);
      expect(typed.applied).toBe(true);
      expect(typed.row.enabled).toBe(true);
      expect(typed.row.call_timeout).toBe(30);
      expect(typed.row.effective_caller_id_name).toBeNull();
      expect(typed.row.insert_date).toMatch(/^\d{4}-\d\d-\d\dT/);
    });

    test("errors keep the original's statuses: 500 for domain and duplicate", async () => {
      const domainNotFound = { status: 500, body: { error: "domain not found" }, json: '{"error":"domain not found"}' };
      expect(await fx.legacy(extensionCreate, { domain_uuid: crypto.randomUUID(), extension: "1" })).toEqual(
        domainNotFound,
      );
      expect(await fx.legacy(extensionCreate, { domain_uuid: "nope", extension: "1" })).toEqual(domainNotFound);
      expect(
        await fx.legacy(
          extensionCreate,
          { domain_uuid: fx.domain.uuid, extension: "1" },
          { domainUuid: fx.otherDomain.uuid },
        ),
      ).toEqual(domainNotFound);
      expect(await fx.legacy(extensionCreate, { domain_uuid: fx.domain.uuid, extension: "1001" })).toEqual({
        status: 500,
        body: { error: "extension already exists" },
        json: '{"error":"extension already exists"}',
      });
      // The same number in another domain is fine.
      expect((await fx.legacy(extensionCreate, { domain_uuid: fx.otherDomain.uuid, extension: "1001" })).status).toBe(
        200,
      );
      expect((await fx.legacy(extensionCreate, { extension: "1001" })).body).toEqual({
        error: { error: "missing required parameter(s)", missing_parameters: "domain_uuid" },
      });
    });

    test("values that could reach the directory or a switch command are validated", async () => {
      const before = await fx.count("v_extensions");
      for (const [field, value] of [
        ["extension", "1003@evil"],
        ["extension", "1003 1004"],
        ["caller_id_number", "555\nsendevent"],
        ["caller_id_name", "line\nbreak"],
        // biome-ignore lint/suspicious/noTemplateCurlyInString: FreeSWITCH variable syntax, literally
        ["caller_id_name", "${hangup}"],
        ["caller_id_name", "<b>"],
        ["caller_id_name", 'say "hi"'],
      ] as const) {
        const reply = await fx.legacy(extensionCreate, {
          domain_uuid: fx.domain.uuid,
          extension: "1003",
          [field]: value,
        });
        expect(reply).toMatchObject({ status: 400, body: { error: `invalid parameter: ${field}` } });
      }
      expect(await fx.count("v_extensions")).toBe(before);
    });

    test("concurrent creates of one extension give one extension and one voicemail box", async () => {
      const input = { domain_uuid: fx.domain.uuid, extension: "2000" };
      const results = await Promise.allSettled([0, 1, 2].map(() => runAction(extensionCreate, fx.ctx(), input)));
      expect(results.filter((r) => r.status === "fulfilled").length).toBe(1);
      for (const r of results) if (r.status === "rejected") expect((r.reason as ActionError).code).toBe("CONFLICT");
      expect((await fx.rows("v_extensions", "extension", "2000")).length).toBe(1);
      expect((await fx.rows("v_voicemails", "voicemail_id", "2000")).length).toBe(1);
    });

    test("a voicemail insert failure rolls the extension back; legacy answers 200 false", async () => {
      await fx.db.sql`alter table v_voicemails add constraint test_no_3000 check (voicemail_id <> '3000') not valid`;
      try {
        const reply = await fx.legacy(extensionCreate, { domain_uuid: fx.domain.uuid, extension: "3000" });
        expect(reply).toEqual({ status: 200, body: false, json: "false" });
        expect((await fx.rows("v_extensions", "extension", "3000")).length).toBe(0);
      } finally {
        await fx.db.sql`alter table v_voicemails drop constraint test_no_3000`;
      }
    });

    test("with the switch down the extension is written and applied is false", async () => {
      const down = unreachableSwitches();
      try {
        const out = await runAction(extensionCreate, fx.ctx({}, down), {
          domain_uuid: fx.domain.uuid,
          extension: "4000",
        });
        expect(extensionCreate.output.parse(out).applied).toBe(false);
        expect((await fx.rows("v_extensions", "extension", "4000")).length).toBe(1);
      } finally {
        await down.close();
      }
    }, 15_000);
  });
}
