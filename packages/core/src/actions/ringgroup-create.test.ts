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
import { NO_DESTINATIONS, ringGroupCreate } from "./ringgroup-create.ts";

for (const variant of SCHEMA_VARIANTS) {
  describe(`ringgroup-create on ${variant}`, () => {
    let fx: OriginalFixture;
    beforeAll(async () => {
      fx = await openOriginalFixture(variant);
    }, 60_000);
    afterAll(async () => fx?.close(), 30_000);

    test("writes the ring group, its destinations, its dialplan and the transaction row as the original did", async () => {
      fx.fake.clearReceived();
      const luaBefore = fx.fake.luaRuns.length;
      const reloadsBefore = fx.fake.reloadxmlCount;
      const reply = await fx.legacy(ringGroupCreate, {
        action: "ringgroup-create",
        domain_uuid: fx.domain.uuid,
        name: "Sales & Support",
        extension: "600",
        strategy: "simultaneous",
        destinations: '[{"number":"101"},{"number":102}]',
      });
      expect(reply.status).toBe(200);
      const body = reply.body as Record<string, unknown>;
      expect(Object.keys(body)).toEqual(fx.schema.columns("v_ring_groups").map((c) => c.name));
      const ringGroupUuid = body.ring_group_uuid as string;
      const dialplanUuid = body.dialplan_uuid as string;
      const [row] = await fx.rows("v_ring_groups", "ring_group_uuid", ringGroupUuid);
      expect(body).toEqual(row!);
      const expected: Record<string, unknown> = {
        domain_uuid: fx.domain.uuid,
        ring_group_uuid: ringGroupUuid,
        ring_group_name: "Sales & Support",
        ring_group_extension: "600",
        ring_group_context: "pbx.example.com",
        ring_group_call_timeout: "30",
        ring_group_forward_enabled: storedFlag(variant, false),
        ring_group_strategy: "simultaneous",
        // biome-ignore lint/suspicious/noTemplateCurlyInString: FreeSWITCH variable syntax, literally
        ring_group_ringback: "${us-ring}",
        ring_group_enabled: storedFlag(variant, true),
        dialplan_uuid: dialplanUuid,
      };
      for (const column of fx.schema.columns("v_ring_groups").map((c) => c.name)) {
        if (column === "insert_date") expect(row!.insert_date).toEqual(expect.any(String));
        else expect([column, row![column]]).toEqual([column, expected[column] ?? null]);
      }

      const members = await fx.db.sql`
        select * from v_ring_group_destinations where ring_group_uuid = ${ringGroupUuid} order by destination_number`;
      expect(members.map((m) => m.destination_number)).toEqual(["101", "102"]);
      for (const m of members) {
        const expectedMember: Record<string, unknown> = {
          ring_group_destination_uuid: m.ring_group_destination_uuid,
          domain_uuid: fx.domain.uuid,
          ring_group_uuid: ringGroupUuid,
          destination_number: m.destination_number,
          destination_delay: "0",
          destination_timeout: "30",
          destination_enabled: true,
        };
        for (const column of fx.schema.columns("v_ring_group_destinations").map((c) => c.name)) {
          if (column === "insert_date") expect(m.insert_date).toEqual(expect.any(String));
          else expect([column, m[column]]).toEqual([column, expectedMember[column] ?? null]);
        }
      }

      const [dialplan] = await fx.rows("v_dialplans", "dialplan_uuid", dialplanUuid);
      expect(dialplan).toEqual({
        domain_uuid: fx.domain.uuid,
        dialplan_uuid: dialplanUuid,
        app_uuid: "1d61fb65-1eec-bc73-a6ee-a6203b4fe6f2",
        hostname: null,
        dialplan_context: "pbx.example.com",
        dialplan_name: "Sales & Support",
        dialplan_number: "600",
        dialplan_destination: null,
        dialplan_continue: storedFlag(variant, false),
        dialplan_xml: [
          `<extension name="Sales &amp; Support" continue="" uuid="${dialplanUuid}">`,
          `\t<condition field="destination_number" expression="^600$">`,
          `\t\t<action application="ring_ready" data="" />`,
          `\t\t<action application="set" data="ring_group_uuid=${ringGroupUuid}" />`,
          `\t\t<action application="lua" data="app.lua ring_groups" />`,
          `\t</condition>`,
          `</extension>`,
        ].join("\n"),
        dialplan_order: "101",
        dialplan_enabled: storedFlag(variant, true),
        dialplan_description: null,
        insert_date: expect.any(String),
        insert_user: null,
        update_date: null,
        update_user: null,
      });
      expect((await fx.rows("v_dialplan_details", "dialplan_uuid", dialplanUuid)).length).toBe(0);

      const [log] = await fx.db
        .sql`select * from v_database_transactions where transaction_new like ${`%${ringGroupUuid}%`}`;
      const is56 = fx.schema.typeOf("v_dialplans", "dialplan_enabled") === "boolean";
      expect(log).toMatchObject({
        app_name: is56 ? "ring_groups" : "dialplans",
        app_uuid: is56 ? "1d61fb65-1eec-bc73-a6ee-a6203b4fe6f2" : "2bfe71d9-e112-4b8b-bcff-75aeb0e06302",
        transaction_type: "add",
        transaction_code: "200",
      });
      const byNumber = new Map(
        members.map((m) => [m.destination_number as string, m.ring_group_destination_uuid as string]),
      );
      // As PHP's pretty JSON (4 spaces, `/` written `\/`): 5.1 logs the original's array, 5.6 each added row.
      const loggedMembers = ["101", "102"].map((number) => ({
        ring_group_uuid: ringGroupUuid,
        ring_group_destination_uuid: byNumber.get(number)!,
        destination_number: number,
        destination_delay: "0",
        destination_timeout: "30",
        destination_prompt: "",
        destination_enabled: "true",
        domain_uuid: fx.domain.uuid,
      }));
      const group = {
        ring_group_uuid: ringGroupUuid,
        domain_uuid: fx.domain.uuid,
        ring_group_name: "Sales & Support",
        ring_group_extension: "600",
        ring_group_greeting: "",
        ring_group_strategy: "simultaneous",
        ring_group_call_timeout: "30",
        ring_group_caller_id_name: "",
        ring_group_caller_id_number: "",
        ring_group_distinctive_ring: "",
        // biome-ignore lint/suspicious/noTemplateCurlyInString: the value is the text `${us-ring}`
        ring_group_ringback: "${us-ring}",
        ring_group_call_forward_enabled: "",
        ring_group_follow_me_enabled: "",
        ring_group_missed_call_app: null,
        ring_group_missed_call_data: null,
        ring_group_forward_enabled: "false",
        ring_group_forward_destination: "",
        ring_group_forward_toll_allow: "",
        ring_group_context: "pbx.example.com",
        ring_group_enabled: "true",
        ring_group_description: "",
        dialplan_uuid: dialplanUuid,
        ring_group_timeout_app: "",
        ring_group_timeout_data: "",
        ring_group_destinations: loggedMembers,
      };
      const loggedDialplan = {
        domain_uuid: fx.domain.uuid,
        dialplan_uuid: dialplanUuid,
        dialplan_name: "Sales & Support",
        dialplan_number: "600",
        dialplan_context: "pbx.example.com",
        dialplan_continue: "false",
        dialplan_xml: [
          `<extension name="Sales &amp; Support" continue="" uuid="${dialplanUuid}">`,
          `\t<condition field="destination_number" expression="^600$">`,
          `\t\t<action application="ring_ready" data="" />`,
          `\t\t<action application="set" data="ring_group_uuid=${ringGroupUuid}" />`,
          `\t\t<action application="lua" data="app.lua ring_groups" />`,
          `\t</condition>`,
          `</extension>`,
        ].join("\n"),
        dialplan_order: "101",
        dialplan_enabled: "true",
        dialplan_description: "",
        app_uuid: "1d61fb65-1eec-bc73-a6ee-a6203b4fe6f2",
      };
      const logged = is56
        ? { ring_groups: [group], ring_group_destination: loggedMembers, dialplans: [loggedDialplan] }
        : { ring_groups: [group], dialplans: [loggedDialplan] };
      expect(log!.transaction_new).toBe(JSON.stringify(logged, null, 4).replaceAll("/", "\\/"));

      expect(fx.fake.sentEvents.map((e) => e.headers["API-Command-Argument"])).toEqual([
        "delete dialplan.pbx.example.com",
      ]);
      expect(fx.fake.luaRuns.slice(luaBefore)).toEqual([
        "app/servers/resources/clear_cache.lua delete dialplan.pbx.example.com",
      ]);
      expect(fx.fake.reloadxmlCount).toBe(reloadsBefore + 1);
    });

    test("destinations as a real JSON array work on the typed face; names are XML-escaped", async () => {
      const out = await runAction(ringGroupCreate, fx.ctx(), {
        domain_uuid: fx.domain.uuid,
        // biome-ignore lint/suspicious/noTemplateCurlyInString: FreeSWITCH variable syntax, literally
        name: 'Evil" continue="true"><action application="system" data="id"/> ${hangup}',
        extension: "*601",
        strategy: "enterprise",
        destinations: [{ number: "101" }],
      });
      const typed = ringGroupCreate.output.parse(out);
      expect(typed.applied).toBe(true);
      expect(typed.row.ring_group_enabled).toBe(true);
      expect(typed.row.ring_group_call_timeout).toBe(30);
      const [dialplan] = await fx.rows("v_dialplans", "dialplan_uuid", typed.row.dialplan_uuid!);
      expect((dialplan!.dialplan_xml as string).split("\n").slice(0, 2)).toEqual([
        `<extension name="Evil&quot; continue=&quot;true&quot;&gt;&lt;action application=&quot;system&quot; data=&quot;id&quot;/&gt; " continue="" uuid="${typed.row.dialplan_uuid}">`,
        `\t<condition field="destination_number" expression="^\\*601$">`,
      ]);
    });

    test("a channel variable assembled from two halves never reaches the dialplan XML", async () => {
      const out = await runAction(ringGroupCreate, fx.ctx(), {
        domain_uuid: fx.domain.uuid,
        name: "Ops $${x}{system(id)}",
        extension: "*602",
        strategy: "enterprise",
        destinations: [{ number: "101" }],
      });
      const typed = ringGroupCreate.output.parse(out);
      const [dialplan] = await fx.rows("v_dialplans", "dialplan_uuid", typed.row.dialplan_uuid!);
      expect(dialplan!.dialplan_xml as string).not.toContain("${");
      expect((dialplan!.dialplan_xml as string).split("\n")[0]).toBe(
        `<extension name="Ops " continue="" uuid="${typed.row.dialplan_uuid}">`,
      );
    });

    test("the original's errors and statuses", async () => {
      const base = {
        domain_uuid: fx.domain.uuid,
        name: "G",
        extension: "610",
        strategy: "sequence",
        destinations: '[{"number":"1"}]',
      };
      const error = (status: number, message: string) => ({
        status,
        body: { error: message },
        json: JSON.stringify({ error: message }),
      });
      expect(await fx.legacy(ringGroupCreate, { ...base, domain_uuid: crypto.randomUUID() })).toEqual(
        error(500, "domain not found"),
      );
      expect(await fx.legacy(ringGroupCreate, { ...base, domain_uuid: "x" })).toEqual(error(500, "domain not found"));
      expect(await fx.legacy(ringGroupCreate, base, { domainUuid: fx.otherDomain.uuid })).toEqual(
        error(500, "domain not found"),
      );
      expect(await fx.legacy(ringGroupCreate, { ...base, extension: "600" })).toEqual(
        error(500, "ring group already exists"),
      );
      for (const destinations of ["[]", "not json", '{"number":"1"}', "5"]) {
        expect(await fx.legacy(ringGroupCreate, { ...base, destinations })).toEqual(error(500, NO_DESTINATIONS));
      }
      expect((await fx.legacy(ringGroupCreate, { ...base, destinations: [] })).body).toEqual({
        error: { error: "missing required parameter(s)", missing_parameters: "destinations" },
      });
      expect((await fx.legacy(ringGroupCreate, {})).body).toEqual({
        error: { error: "missing required parameter(s)", missing_parameters: "strategy" },
      });
      expect(await fx.legacy(ringGroupCreate, { ...base, destinations: '[{"number":"1; bgapi x"}]' })).toMatchObject({
        status: 400,
        body: { error: "invalid parameter: destinations.0.number" },
      });
      expect(await fx.legacy(ringGroupCreate, { ...base, extension: "6.*" })).toMatchObject({
        status: 400,
        body: { error: "invalid parameter: extension" },
      });
      expect(await fx.legacy(ringGroupCreate, { ...base, strategy: "all-at-once" })).toMatchObject({
        status: 400,
        body: { error: "invalid parameter: strategy" },
      });
      expect((await fx.rows("v_ring_groups", "ring_group_extension", "610")).length).toBe(0);
    });

    test("concurrent creates of one extension give one ring group", async () => {
      const input = {
        domain_uuid: fx.domain.uuid,
        name: "R",
        extension: "620",
        strategy: "random",
        destinations: [{ number: "1" }],
      };
      const results = await Promise.allSettled([0, 1, 2].map(() => runAction(ringGroupCreate, fx.ctx(), input)));
      expect(results.filter((r) => r.status === "fulfilled").length).toBe(1);
      for (const r of results) if (r.status === "rejected") expect((r.reason as ActionError).code).toBe("CONFLICT");
      expect((await fx.rows("v_ring_groups", "ring_group_extension", "620")).length).toBe(1);
      expect((await fx.rows("v_dialplans", "dialplan_number", "620")).length).toBe(1);
    });

    test("a failing destination row rolls back the ring group and its dialplan", async () => {
      await fx.db
        .sql`alter table v_ring_group_destinations add constraint test_no_999 check (destination_number <> '999') not valid`;
      try {
        const membersBefore = await fx.count("v_ring_group_destinations");
        const reply = await fx.legacy(ringGroupCreate, {
          domain_uuid: fx.domain.uuid,
          name: "Broken",
          extension: "630",
          strategy: "rollover",
          destinations: '[{"number":"101"},{"number":"999"}]',
        });
        expect(reply).toEqual({ status: 200, body: false, json: "false" });
        expect((await fx.rows("v_ring_groups", "ring_group_extension", "630")).length).toBe(0);
        expect((await fx.rows("v_dialplans", "dialplan_number", "630")).length).toBe(0);
        expect(await fx.count("v_ring_group_destinations")).toBe(membersBefore);
      } finally {
        await fx.db.sql`alter table v_ring_group_destinations drop constraint test_no_999`;
      }
    });

    test("with the switch down the ring group is written and applied is false", async () => {
      const down = unreachableSwitches();
      try {
        const out = await runAction(ringGroupCreate, fx.ctx({}, down), {
          domain_uuid: fx.domain.uuid,
          name: "Down",
          extension: "640",
          strategy: "sequence",
          destinations: [{ number: "1" }],
        });
        expect(ringGroupCreate.output.parse(out).applied).toBe(false);
        expect((await fx.rows("v_ring_groups", "ring_group_extension", "640")).length).toBe(1);
      } finally {
        await down.close();
      }
    }, 15_000);
  });
}
