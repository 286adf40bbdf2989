import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import type { ActionError } from "../errors.ts";
import { runAction } from "../execute.ts";
import {
  SCHEMA_VARIANTS,
  storedFlag,
  openOriginalFixture,
  type OriginalFixture,
  unreachableSwitches,
} from "../fusionpbx/test-fixture.ts";
import { destinationCreate } from "./destination-create.ts";

for (const variant of SCHEMA_VARIANTS) {
  describe(`destination-create on ${variant}`, () => {
    let fx: OriginalFixture;
    beforeAll(async () => {
      fx = await openOriginalFixture(variant);
    }, 60_000);
    afterAll(async () => fx?.close(), 30_000);

    test("writes the destination, dialplan, details and transaction row exactly as the original did", async () => {
      fx.fake.clearReceived();
      const reply = await fx.legacy(destinationCreate, {
        action: "destination-create",
        domain_uuid: fx.domain.uuid,
        number: 12065550100,
        extension: "100",
      });
      expect(reply.status).toBe(200);
      const body = reply.body as Record<string, unknown>;
      // Physical column order of this schema, as SELECT * gave it to PDO.
      expect(Object.keys(body)).toEqual(fx.schema.columns("v_destinations").map((c) => c.name));
      const destinationUuid = body.destination_uuid as string;
      const dialplanUuid = body.dialplan_uuid as string;

      const [destination] = await fx.rows("v_destinations", "destination_uuid", destinationUuid);
      const transferData = "100 XML pbx.example.com";
      const expected: Record<string, unknown> = {
        domain_uuid: fx.domain.uuid,
        destination_uuid: destinationUuid,
        dialplan_uuid: dialplanUuid,
        fax_uuid: null,
        user_uuid: null,
        group_uuid: null,
        destination_type: "inbound",
        destination_number: "12065550100",
        destination_trunk_prefix: null,
        destination_area_code: null,
        destination_prefix: null,
        destination_condition_field: null,
        destination_number_regex: "^(12065550100)$",
        destination_caller_id_name: null,
        destination_caller_id_number: "12065550100",
        destination_cid_name_prefix: null,
        destination_context: "public",
        destination_record: null,
        destination_hold_music: null,
        destination_distinctive_ring: null,
        destination_accountcode: null,
        destination_type_voice: null,
        destination_type_fax: null,
        destination_type_emergency: null,
        destination_type_text: null,
        destination_conditions: null,
        destination_actions: `[{"destination_app":"transfer","destination_data":"${transferData}"}]`,
        destination_app: null,
        destination_data: null,
        destination_alternate_app: null,
        destination_alternate_data: null,
        destination_order: "100",
        destination_enabled: storedFlag(variant, true),
        destination_description: null,
        insert_user: null,
        update_date: null,
        update_user: null,
      };
      for (const [column, value] of Object.entries(expected)) {
        if (fx.schema.hasColumn("v_destinations", column))
          expect([column, destination![column]]).toEqual([column, value]);
      }
      for (const column of fx.schema.columns("v_destinations").map((c) => c.name)) {
        if (!(column in expected) && column !== "insert_date")
          expect([column, destination![column]]).toEqual([column, null]);
      }
      expect(destination!.insert_date).toEqual(expect.any(String));
      expect(body).toEqual(destination!);
      expect(reply.json).toContain(
        '"destination_actions":"[{\\"destination_app\\":\\"transfer\\",\\"destination_data\\":\\"100 XML pbx.example.com\\"}]"',
      );

      const [dialplan] = await fx.rows("v_dialplans", "dialplan_uuid", dialplanUuid);
      const xml = [
        `<extension name="12065550100" continue="false" uuid="${dialplanUuid}">`,
        `\t<condition field="destination_number" expression="^\\+?1?(12065550100)$">`,
        `\t\t<action application="export" data="call_direction=inbound" inline="true" />`,
        `\t\t<action application="set" data="domain_uuid=${fx.domain.uuid}" inline="true" />`,
        `\t\t<action application="set" data="domain_name=pbx.example.com" inline="true" />`,
        `\t\t<action application="set" data="hangup_after_bridge=true" inline="true"/>`,
        `\t\t<action application="set" data="continue_on_fail=true" inline="true"/>`,
        `\t\t<action application="transfer" data="100 XML pbx.example.com"/>`,
        `\t</condition>`,
        `</extension>`,
      ].join("\n");
      expect(dialplan).toEqual({
        domain_uuid: fx.domain.uuid,
        dialplan_uuid: dialplanUuid,
        app_uuid: "c03b422e-13a8-bd1b-e42b-b6b9b4d27ce4",
        hostname: null,
        dialplan_context: "public",
        dialplan_name: "12065550100",
        dialplan_number: "12065550100",
        dialplan_destination: null,
        dialplan_continue: storedFlag(variant, false),
        dialplan_xml: xml,
        dialplan_order: "100",
        dialplan_enabled: storedFlag(variant, true),
        dialplan_description: null,
        insert_date: expect.any(String),
        insert_user: null,
        update_date: null,
        update_user: null,
      });

      const details = await fx.db.sql`
        select * from v_dialplan_details where dialplan_uuid = ${dialplanUuid} order by dialplan_detail_order`;
      expect(
        details.map((d): Record<string, unknown> => ({ ...d, dialplan_detail_uuid: "*", insert_date: "*" })),
      ).toEqual(
        [
          ["condition", "destination_number", "^(12065550100)$", "20"],
          ["action", "transfer", transferData, "40"],
        ].map(([tag, type, data, order]) => {
          const row: Record<string, unknown> = {
            domain_uuid: fx.domain.uuid,
            dialplan_uuid: dialplanUuid,
            dialplan_detail_uuid: "*",
            dialplan_detail_tag: tag,
            dialplan_detail_type: type,
            dialplan_detail_data: data,
            dialplan_detail_break: null,
            dialplan_detail_inline: null,
            dialplan_detail_group: null,
            dialplan_detail_order: order,
            dialplan_detail_enabled: null,
            insert_date: "*",
            insert_user: null,
            update_date: null,
            update_user: null,
          };
          return Object.fromEntries(fx.schema.columns("v_dialplan_details").map((c) => [c.name, row[c.name] ?? null]));
        }),
      );

      const [log] = await fx.db
        .sql`select * from v_database_transactions where transaction_new like ${`%${destinationUuid}%`}`;
      const is56 = fx.schema.typeOf("v_dialplans", "dialplan_enabled") === "boolean";
      expect(log).toMatchObject({
        domain_uuid: null,
        user_uuid: null,
        app_name: is56 ? "destinations" : "dialplans",
        app_uuid: is56 ? "5ec89622-b19c-3559-64f0-afde802ab139" : "2bfe71d9-e112-4b8b-bcff-75aeb0e06302",
        transaction_code: "200",
        transaction_address: "127.0.0.1",
        transaction_type: "add",
        transaction_old: null,
      });
      // transaction_new: 5.1 logs the original's array, 5.6 each added row (children again under their singular name),
      // as PHP's pretty JSON: 4 spaces, `/` written `\/`.
      const uuids = { domain_uuid: fx.domain.uuid, dialplan_uuid: dialplanUuid };
      const loggedDetails = [
        {
          ...uuids,
          dialplan_detail_tag: "condition",
          dialplan_detail_type: "destination_number",
          dialplan_detail_data: "^(12065550100)$",
          dialplan_detail_order: 20,
        },
        {
          ...uuids,
          dialplan_detail_tag: "action",
          dialplan_detail_type: "transfer",
          dialplan_detail_data: transferData,
          dialplan_detail_order: 40,
        },
      ];
      const loggedDestination = {
        dialplan_uuid: dialplanUuid,
        domain_uuid: fx.domain.uuid,
        destination_uuid: destinationUuid,
        fax_uuid: "",
        user_uuid: "",
        group_uuid: "",
        destination_type: "inbound",
        destination_number: "12065550100",
        destination_number_regex: "^(12065550100)$",
        destination_prefix: "",
        destination_caller_id_name: "",
        destination_caller_id_number: "12065550100",
        destination_cid_name_prefix: "",
        destination_context: "public",
        destination_hold_music: "",
        destination_distinctive_ring: "",
        destination_record: "",
        destination_accountcode: "",
        destination_type_voice: null,
        destination_type_fax: null,
        destination_type_text: null,
        destination_type_emergency: null,
        destination_conditions: "",
        destination_actions: '[{"destination_app":"transfer","destination_data":"100 XML pbx.example.com"}]',
        destination_order: "100",
        destination_enabled: "true",
        destination_description: "",
      };
      const loggedDialplan = {
        app_uuid: "c03b422e-13a8-bd1b-e42b-b6b9b4d27ce4",
        dialplan_uuid: dialplanUuid,
        domain_uuid: fx.domain.uuid,
        dialplan_name: "12065550100",
        dialplan_number: "12065550100",
        dialplan_context: "public",
        dialplan_continue: "false",
        dialplan_order: "100",
        dialplan_enabled: "true",
        dialplan_description: "",
        dialplan_xml: [
          `<extension name="12065550100" continue="false" uuid="${dialplanUuid}">`,
          `\t<condition field="destination_number" expression="^\\+?1?(12065550100)$">`,
          `\t\t<action application="export" data="call_direction=inbound" inline="true" />`,
          `\t\t<action application="set" data="domain_uuid=${fx.domain.uuid}" inline="true" />`,
          `\t\t<action application="set" data="domain_name=pbx.example.com" inline="true" />`,
          `\t\t<action application="set" data="hangup_after_bridge=true" inline="true"/>`,
          `\t\t<action application="set" data="continue_on_fail=true" inline="true"/>`,
          `\t\t<action application="transfer" data="100 XML pbx.example.com"/>`,
          `\t</condition>`,
          `</extension>`,
        ].join("\n"),
        dialplan_details: loggedDetails,
      };
      const logged = is56
        ? { destinations: [loggedDestination], dialplans: [loggedDialplan], dialplan_detail: loggedDetails }
        : { destinations: [loggedDestination], dialplans: [loggedDialplan] };
      expect(log!.transaction_new).toBe(JSON.stringify(logged, null, 4).replaceAll("/", "\\/"));
      const result = JSON.parse(log!.transaction_result as string);
      expect(result).toMatchObject({ message: "OK", code: "200", uuid: dialplanUuid });
      expect(result.details.map((d: { name: string }) => d.name)).toEqual([
        "destinations",
        is56 ? "destinations" : "dialplans",
        "dialplan_details",
        "dialplan_details",
      ]);
      // 5.1 binds every value as trimmed text; 5.6 keeps PHP's types.
      expect(result.details[2].params.dialplan_detail_order).toBe(is56 ? 20 : "20");
      expect(result.details[0].sql).toStartWith(
        "INSERT INTO v_destinations (dialplan_uuid, domain_uuid, destination_uuid, fax_uuid,",
      );

      // Cache: both keys (no dialplan_mode setting in this database), on the switch.
      const deletes = fx.fake.sentEvents.map((e) => e.headers["API-Command-Argument"]);
      expect(deletes).toEqual(["delete dialplan.public.12065550100", "delete dialplan.public"]);
      expect(fx.fake.sentEvents[0]!.headers).toMatchObject({
        "Event-Subclass": "fusion::file",
        "API-Command": "cache",
      });
      expect(fx.fake.luaRuns).toContain("app/servers/resources/clear_cache.lua delete dialplan.public.12065550100");
      expect(fx.fake.received.join("")).toContain("sendevent CUSTOM\n");
    });

    test("typed face: normalised row and applied: true; dialplan_mode single clears only the number's key", async () => {
      await fx.db
        .sql`insert into v_default_settings (default_setting_uuid, default_setting_category, default_setting_subcategory,
        default_setting_name, default_setting_value, default_setting_enabled)
        values (${crypto.randomUUID()}, 'destinations', 'dialplan_mode', 'text', 'single', true)`;
      const luaBefore = fx.fake.luaRuns.length;
      const out = await runAction(destinationCreate, fx.ctx(), {
        domain_uuid: fx.domain.uuid,
        number: "+15551234",
        extension: "*9664",
      });
      const typed = destinationCreate.output.parse(out);
      expect(typed.applied).toBe(true);
      expect(typed.row.destination_enabled).toBe(true);
      expect(typed.row.destination_order).toBe(100);
      expect(typed.row.destination_actions).toEqual([
        { destination_app: "transfer", destination_data: "*9664 XML pbx.example.com" },
      ]);
      // `+` and `*` are regex-escaped where they reach a regex.
      expect(typed.row.destination_number_regex).toBe("^(\\+15551234)$");
      const [dialplan] = await fx.rows("v_dialplans", "dialplan_uuid", typed.row.dialplan_uuid!);
      expect(dialplan!.dialplan_xml).toContain('expression="^\\+?1?(\\+15551234)$"');
      expect(fx.fake.luaRuns.slice(luaBefore)).toEqual([
        "app/servers/resources/clear_cache.lua delete dialplan.public.+15551234",
      ]);
      await fx.db.sql`delete from v_default_settings where default_setting_subcategory = 'dialplan_mode'`;
    });

    test("a number routed in any domain is refused with the original's 400, nothing written", async () => {
      const before = await fx.count("v_destinations");
      const reply = await fx.legacy(destinationCreate, {
        domain_uuid: fx.otherDomain.uuid,
        number: "12065550100",
        extension: "200",
      });
      expect(reply).toEqual({
        status: 400,
        body: { error: "number already routed" },
        json: '{"error":"number already routed"}',
      });
      expect(await fx.count("v_destinations")).toBe(before);
    });

    test("domain errors answer the original's 400 domain not found", async () => {
      const missing = { status: 400, body: { error: "domain not found" }, json: '{"error":"domain not found"}' };
      expect(
        await fx.legacy(destinationCreate, { domain_uuid: crypto.randomUUID(), number: "1", extension: "1" }),
      ).toEqual(missing);
      expect(await fx.legacy(destinationCreate, { domain_uuid: "not-a-uuid", number: "1", extension: "1" })).toEqual(
        missing,
      );
      // A key bound to another domain learns nothing about this one.
      expect(
        await fx.legacy(
          destinationCreate,
          { domain_uuid: fx.domain.uuid, number: "2", extension: "1" },
          { domainUuid: fx.otherDomain.uuid },
        ),
      ).toEqual(missing);
      // Upper case and brace forms PostgreSQL accepts still work.
      const upper = await fx.legacy(destinationCreate, {
        domain_uuid: `{${fx.domain.uuid.toUpperCase()}}`,
        number: "3003",
        extension: "1",
      });
      expect(upper.status).toBe(200);
    });

    test("missing parameters: only the last missing name, nested, 400", async () => {
      expect(await fx.legacy(destinationCreate, { action: "destination-create" })).toEqual({
        status: 400,
        body: { error: { error: "missing required parameter(s)", missing_parameters: "extension" } },
        json: '{"error":{"error":"missing required parameter(s)","missing_parameters":"extension"}}',
      });
      expect(
        (await fx.legacy(destinationCreate, { number: "0", extension: "1", domain_uuid: fx.domain.uuid })).body,
      ).toEqual({
        error: { error: "missing required parameter(s)", missing_parameters: "number" },
      });
    });

    test("dialplan and command injection is refused with a 400 naming the parameter; nothing written", async () => {
      const before = await fx.count("v_dialplans");
      const attempts: [string, Record<string, unknown>][] = [
        ["number", { number: '1"/><action application="system" data="rm -rf /"/><x a="' }],
        ["number", { number: "1|2" }],
        ["number", { number: "1.*" }],
        ["number", { number: "100\nbgapi originate" }],
        ["extension", { extension: "100 XML evil.example.com" }],
        // biome-ignore lint/suspicious/noTemplateCurlyInString: FreeSWITCH variable syntax, literally
        ["extension", { extension: "${system(id)}" }],
      ];
      for (const [field, values] of attempts) {
        const reply = await fx.legacy(destinationCreate, {
          domain_uuid: fx.domain.uuid,
          number: "4444",
          extension: "100",
          ...values,
        });
        expect(reply.status).toBe(400);
        expect(reply.body).toEqual({ error: `invalid parameter: ${field}` });
      }
      expect(await fx.count("v_dialplans")).toBe(before);
    });

    test("two concurrent creates of one number give exactly one row", async () => {
      const input = { domain_uuid: fx.domain.uuid, number: "19995550123", extension: "100" };
      const results = await Promise.allSettled([
        runAction(destinationCreate, fx.ctx(), input),
        runAction(destinationCreate, fx.ctx(), { ...input, domain_uuid: fx.otherDomain.uuid }),
        runAction(destinationCreate, fx.ctx(), input),
      ]);
      expect(results.filter((r) => r.status === "fulfilled").length).toBe(1);
      for (const r of results) if (r.status === "rejected") expect((r.reason as ActionError).code).toBe("CONFLICT");
      expect((await fx.rows("v_destinations", "destination_number", "19995550123")).length).toBe(1);
      expect((await fx.rows("v_dialplans", "dialplan_number", "19995550123")).length).toBe(1);
    });

    test("a failure in the middle of the save rolls everything back; legacy answers 200 false", async () => {
      await fx.db
        .sql`alter table v_dialplan_details add constraint test_no_transfer check (dialplan_detail_type <> 'transfer') not valid`;
      try {
        const before = {
          destinations: await fx.count("v_destinations"),
          dialplans: await fx.count("v_dialplans"),
          details: await fx.count("v_dialplan_details"),
          log: await fx.count("v_database_transactions"),
        };
        const reply = await fx.legacy(destinationCreate, {
          domain_uuid: fx.domain.uuid,
          number: "5550000",
          extension: "100",
        });
        expect(reply).toEqual({ status: 200, body: false, json: "false" });
        expect({
          destinations: await fx.count("v_destinations"),
          dialplans: await fx.count("v_dialplans"),
          details: await fx.count("v_dialplan_details"),
          log: await fx.count("v_database_transactions"),
        }).toEqual(before);
        await expect(
          runAction(destinationCreate, fx.ctx(), { domain_uuid: fx.domain.uuid, number: "5550000", extension: "100" }),
        ).rejects.toMatchObject({
          code: "INTERNAL_SERVER_ERROR",
        });
      } finally {
        await fx.db.sql`alter table v_dialplan_details drop constraint test_no_transfer`;
      }
    });

    test("with the switch down the route is still written and applied is false", async () => {
      const down = unreachableSwitches();
      try {
        const out = await runAction(destinationCreate, fx.ctx({}, down), {
          domain_uuid: fx.domain.uuid,
          number: "7770001",
          extension: "100",
        });
        const typed = destinationCreate.output.parse(out);
        expect(typed.applied).toBe(false);
        expect((await fx.rows("v_destinations", "destination_number", "7770001")).length).toBe(1);
      } finally {
        await down.close();
      }
    }, 15_000);
  });
}
