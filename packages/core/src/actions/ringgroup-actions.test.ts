import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import type { ActionContext } from "../context.ts";
import type { ActionError } from "../errors.ts";
import { runAction } from "../execute.ts";
import {
  addDomain,
  addRingGroup,
  FUSIONPBX_KINDS,
  type Fixture,
  storedFlag,
  openFixture,
  rejection,
  rowsWhere,
} from "../fusionpbx/test-fixture.ts";
import { runLegacyAction } from "../legacy/run-legacy.ts";
import { ringGroupDelete } from "./ringgroup-delete.ts";
import { ringGroupDetails } from "./ringgroup-details.ts";
import { ringGroupList } from "./ringgroup-list.ts";
import { ringGroupUpdate } from "./ringgroup-update.ts";

async function failingTransactionLog(ctx: ActionContext, run: () => Promise<unknown>) {
  await ctx.sql.unsafe(`
    create function fail_transaction_log() returns trigger language plpgsql as $$
    begin raise exception 'transaction log unavailable'; end $$;
    create trigger fail_transaction_log before insert on v_database_transactions
    for each row execute function fail_transaction_log();`);
  try {
    await expect(run()).rejects.toThrow("transaction log unavailable");
  } finally {
    await ctx.sql.unsafe(
      "drop trigger fail_transaction_log on v_database_transactions; drop function fail_transaction_log();",
    );
  }
}

for (const dump of FUSIONPBX_KINDS) {
  describe(`ring group actions on ${dump}`, () => {
    let fx: Fixture;
    let ctx: ActionContext;
    const a = { uuid: "", name: "a.example.com" };
    const b = { uuid: "", name: "b.example.com" };
    beforeAll(async () => {
      fx = await openFixture(dump);
      ctx = await fx.ctx({ address: "203.0.113.9" });
      a.uuid = await addDomain(ctx, a.name);
      b.uuid = await addDomain(ctx, b.name);
    }, 60_000);
    afterAll(async () => fx?.db.drop(), 30_000);

    describe("ringgroup-list and ringgroup-details", () => {
      const groups: Record<string, string> = {};
      beforeAll(async () => {
        for (const [name, ext] of [
          ["Support", "6003"],
          ["Sales", "6001"],
          ["Billing", "6005"],
          ["Night", "6002"],
          ["Ops", "6004"],
        ] as const) {
          groups[name] = (await addRingGroup(ctx, a, name, ext, ["101", "102"])).ringGroupUuid;
        }
        groups.Other = (await addRingGroup(ctx, b, "Other", "6001", ["201"])).ringGroupUuid;
        await ctx.sql`update v_ring_groups set ring_group_enabled = ${storedFlag(dump, false)} where ring_group_uuid = ${groups.Night!}`;
      }, 30_000);

      test("the cursor walks the domain's groups once, by extension", async () => {
        const seen: string[] = [];
        let cursor: string | null = null;
        do {
          const page = (await runAction(ringGroupList, ctx, {
            domain_uuid: a.uuid,
            limit: 2,
            ...(cursor ? { cursor } : {}),
          })) as {
            items: { ring_group_extension: string }[];
            nextCursor: string | null;
          };
          seen.push(...page.items.map((g) => g.ring_group_extension));
          cursor = page.nextCursor;
        } while (cursor);
        expect(seen.filter((e) => e.startsWith("600"))).toEqual(["6001", "6002", "6003", "6004", "6005"]);
      });

      test("an unbound caller's walk over every domain visits equal extensions once each (uuid breaks ties)", async () => {
        const seen: string[] = [];
        let cursor: string | null = null;
        do {
          const page = (await runAction(ringGroupList, ctx, { limit: 1, ...(cursor ? { cursor } : {}) })) as {
            items: { ring_group_uuid: string }[];
            nextCursor: string | null;
          };
          seen.push(...page.items.map((g) => g.ring_group_uuid));
          cursor = page.nextCursor;
        } while (cursor);
        const all = await ctx.sql`select ring_group_uuid from v_ring_groups`;
        expect(seen.length).toBe(all.length);
        expect(new Set(seen)).toEqual(new Set(all.map((r) => String(r.ring_group_uuid))));
        expect(seen).toContain(groups.Sales!);
        expect(seen).toContain(groups.Other!);
      });

      test("filters: enabled, extension prefix, search", async () => {
        const disabled = (await runAction(ringGroupList, ctx, { domain_uuid: a.uuid, enabled: false })) as {
          items: { ring_group_name: string }[];
        };
        expect(disabled.items.map((g) => g.ring_group_name)).toEqual(["Night"]);
        const byPrefix = (await runAction(ringGroupList, ctx, { domain_uuid: a.uuid, extension_prefix: "6005" })) as {
          items: { ring_group_name: string }[];
        };
        expect(byPrefix.items.map((g) => g.ring_group_name)).toEqual(["Billing"]);
        const searched = (await runAction(ringGroupList, ctx, { domain_uuid: a.uuid, search: "supp" })) as {
          items: { ring_group_name: string }[];
        };
        expect(searched.items.map((g) => g.ring_group_name)).toEqual(["Support"]);
        const typed = ringGroupList.output.parse(disabled);
        expect(typed.items[0]!.ring_group_enabled).toBe(false);
        expect(typed.items[0]!.ring_group_call_timeout).toBe(30);
      });

      test("details: the group's row and its destinations in ringing order", async () => {
        await ctx.sql`update v_ring_group_destinations set destination_delay = 5 where ring_group_uuid = ${groups.Sales!} and destination_number = '101'`;
        const out = (await runAction(ringGroupDetails, ctx, { ring_group_uuid: groups.Sales! })) as Record<
          string,
          unknown
        > & {
          destinations: Record<string, unknown>[];
        };
        expect(out.ring_group_name).toBe("Sales");
        expect(Object.keys(out).slice(0, -1)).toEqual(ctx.schema.columns("v_ring_groups").map((c) => c.name));
        expect(out.destinations.map((d) => [d.destination_number, d.destination_delay])).toEqual([
          ["102", "0"],
          ["101", "5"],
        ]);
        const typed = ringGroupDetails.output.parse(out);
        expect(typed.destinations[0]!.destination_enabled).toBe(true);
        expect(typed.destinations[1]!.destination_delay).toBe(5);
      });

      test("a bound caller sees only its domain's groups, and another's is not found", async () => {
        const bound = await fx.ctx({ domainUuid: b.uuid });
        const own = (await runAction(ringGroupList, bound, {})) as { items: { ring_group_uuid: string }[] };
        expect(own.items.map((g) => g.ring_group_uuid)).toEqual([groups.Other!]);
        expect(
          await runLegacyAction(ringGroupDetails, bound, {
            action: "ringgroup-details",
            ring_group_uuid: groups.Sales!,
          }),
        ).toEqual({
          status: 404,
          body: { error: "ring group not found" },
        });
        expect((await rejection(runAction(ringGroupList, bound, { domain_uuid: a.uuid }))).code).toBe("NOT_FOUND");
      });
    });

    describe("ringgroup-update", () => {
      test("rewrites the group, its members and its dialplan; logs the update", async () => {
        const { ringGroupUuid, dialplanUuid } = await addRingGroup(ctx, a, "Front", "7100", ["101", "102"]);
        const before = await rowsWhere(ctx, "v_ring_group_destinations", "ring_group_uuid", ringGroupUuid);
        const kept = before.find((r) => r.destination_number === "102")!;
        const out = (await runAction(ringGroupUpdate, ctx, {
          ring_group_uuid: ringGroupUuid,
          name: `Front & "Back" <desk>`,
          extension: "*7101",
          strategy: "sequence",
          call_timeout: 40,
          caller_id_name: "Front:Desk",
          destinations: [
            { number: "102", delay: 10, timeout: 20 },
            { number: "103", prompt: true },
          ],
        })) as { row: Record<string, unknown>; destinations: Record<string, unknown>[]; applied: boolean };
        expect(out.applied).toBe(false);
        expect(out.row.ring_group_extension).toBe("*7101");

        const [g] = await rowsWhere(ctx, "v_ring_groups", "ring_group_uuid", ringGroupUuid);
        expect(g!.ring_group_name).toBe(`Front & "Back" <desk>`);
        expect(g!.ring_group_extension).toBe("*7101");
        expect(g!.ring_group_strategy).toBe("sequence");
        expect(g!.ring_group_call_timeout).toBe("40");
        expect(g!.ring_group_caller_id_name).toBe("FrontDesk");
        expect(g!.ring_group_context).toBe("a.example.com");
        expect(g!.ring_group_enabled).toBe(storedFlag(dump, true));
        // biome-ignore lint/suspicious/noTemplateCurlyInString: a FreeSWITCH variable, as stored
        expect(g!.ring_group_ringback).toBe("${us-ring}");
        expect(g!.dialplan_uuid).toBe(dialplanUuid);
        expect(g!.update_date).not.toBeNull();

        const members = await rowsWhere(ctx, "v_ring_group_destinations", "ring_group_uuid", ringGroupUuid);
        const byNumber = Object.fromEntries(members.map((m) => [m.destination_number, m]));
        expect(Object.keys(byNumber).sort()).toEqual(["102", "103"]);
        expect(byNumber["102"]!.ring_group_destination_uuid).toBe(kept.ring_group_destination_uuid);
        expect([
          byNumber["102"]!.destination_delay,
          byNumber["102"]!.destination_timeout,
          byNumber["102"]!.destination_prompt,
        ]).toEqual(["10", "20", null]);
        expect([
          byNumber["103"]!.destination_delay,
          byNumber["103"]!.destination_timeout,
          byNumber["103"]!.destination_prompt,
        ]).toEqual(["0", "30", "1"]);
        expect(byNumber["103"]!.destination_enabled).toBe(true);
        expect(byNumber["103"]!.domain_uuid).toBe(a.uuid);
        expect(out.destinations.map((d) => d.destination_number)).toEqual(["103", "102"]);

        const [p] = await rowsWhere(ctx, "v_dialplans", "dialplan_uuid", dialplanUuid);
        expect(p!.dialplan_name).toBe(`Front & "Back" <desk>`);
        expect(p!.dialplan_number).toBe("*7101");
        expect(p!.dialplan_context).toBe("a.example.com");
        expect(p!.dialplan_order).toBe("101");
        expect(p!.app_uuid).toBe("1d61fb65-1eec-bc73-a6ee-a6203b4fe6f2");
        expect(p!.dialplan_continue).toBe(storedFlag(dump, false));
        expect(p!.dialplan_enabled).toBe(storedFlag(dump, true));
        expect(p!.dialplan_xml).toBe(
          `<extension name="Front &amp; &quot;Back&quot; &lt;desk&gt;" continue="" uuid="${dialplanUuid}">\n` +
            `\t<condition field="destination_number" expression="^\\*7101$">\n` +
            `\t\t<action application="ring_ready" data=""/>\n` +
            `\t\t<action application="set" data="ring_group_uuid=${ringGroupUuid}"/>\n` +
            `\t\t<action application="set" data="record_stereo=true"/>\n` +
            `\t\t<action application="lua" data="app.lua ring_groups"/>\n` +
            `\t</condition>\n` +
            `</extension>`,
        );

        const log =
          await ctx.sql`select * from v_database_transactions where app_name = 'ring_groups' and transaction_new like ${`%${ringGroupUuid}%`}`;
        expect(log.length).toBe(1);
        expect(log[0]!.transaction_type).toBe("update");
        expect(log[0]!.app_uuid).toBe("1d61fb65-1eec-bc73-a6ee-a6203b4fe6f2");
        expect(log[0]!.domain_uuid).toBe(a.uuid);
        expect(log[0]!.transaction_address).toBe("203.0.113.9");

        const typed = ringGroupUpdate.output.parse(out);
        expect(typed.row.ring_group_call_timeout).toBe(40);
        expect(typed.destinations[0]!.destination_prompt).toBe(1);
      });

      test("an extension another group of the domain uses is a conflict; other domains do not count", async () => {
        await addRingGroup(ctx, a, "Taken", "7200", ["101"]);
        await addRingGroup(ctx, b, "Elsewhere", "7201", ["201"]);
        const { ringGroupUuid } = await addRingGroup(ctx, a, "Mover", "7202", ["101"]);
        const error = await rejection(
          runAction(ringGroupUpdate, ctx, { ring_group_uuid: ringGroupUuid, extension: "7200" }),
        );
        expect(error.code).toBe("CONFLICT");
        expect(error.legacy).toEqual({ status: 409, body: { error: "ring group already exists" } });
        await runAction(ringGroupUpdate, ctx, { ring_group_uuid: ringGroupUuid, extension: "7201" });
        expect((await rowsWhere(ctx, "v_ring_groups", "ring_group_uuid", ringGroupUuid))[0]!.ring_group_extension).toBe(
          "7201",
        );
      });

      test("races: two groups moved to one free extension concurrently, exactly one wins", async () => {
        const one = await addRingGroup(ctx, a, "Racer 1", "7210", ["101"]);
        const two = await addRingGroup(ctx, a, "Racer 2", "7211", ["101"]);
        const results = await Promise.allSettled([
          runAction(ringGroupUpdate, ctx, { ring_group_uuid: one.ringGroupUuid, extension: "7299" }),
          runAction(ringGroupUpdate, ctx, { ring_group_uuid: two.ringGroupUuid, extension: "7299" }),
        ]);
        expect(results.map((r) => r.status).sort()).toEqual(["fulfilled", "rejected"]);
        const rejected = results.find((r) => r.status === "rejected") as PromiseRejectedResult;
        expect((rejected.reason as ActionError).code).toBe("CONFLICT");
        expect(
          (await ctx.sql`select 1 from v_ring_groups where domain_uuid = ${a.uuid} and ring_group_extension = '7299'`)
            .length,
        ).toBe(1);
      });

      test("injection attempts are rejected before anything is written", async () => {
        const { ringGroupUuid } = await addRingGroup(ctx, a, "Safe", "7300", ["101"]);
        for (const bad of [
          { extension: '7300$"/><action application="system"' },
          { name: "two\nlines" },
          { destinations: [{ number: "101 XML evil" }] },
          { destinations: "[]" },
          { strategy: "all-at-once" },
        ]) {
          const reply = await runLegacyAction(ringGroupUpdate, ctx, {
            action: "ringgroup-update",
            ring_group_uuid: ringGroupUuid,
            ...bad,
          });
          expect(reply.status).toBe(400);
        }
        const [g] = await rowsWhere(ctx, "v_ring_groups", "ring_group_uuid", ringGroupUuid);
        expect(g!.ring_group_extension).toBe("7300");
        expect(g!.update_date).toBeNull();
      });

      test("a bound caller cannot update another domain's group", async () => {
        const { ringGroupUuid } = await addRingGroup(ctx, a, "Mine", "7400", ["101"]);
        const bound = await fx.ctx({ domainUuid: b.uuid });
        expect(
          (await rejection(runAction(ringGroupUpdate, bound, { ring_group_uuid: ringGroupUuid, name: "Stolen" }))).code,
        ).toBe("NOT_FOUND");
        expect((await rowsWhere(ctx, "v_ring_groups", "ring_group_uuid", ringGroupUuid))[0]!.ring_group_name).toBe(
          "Mine",
        );
      });

      test("a failure on the last write rolls back group, members and dialplan", async () => {
        const { ringGroupUuid, dialplanUuid } = await addRingGroup(ctx, a, "Atomic", "7500", ["101", "102"]);
        const before = {
          g: await rowsWhere(ctx, "v_ring_groups", "ring_group_uuid", ringGroupUuid),
          m: await rowsWhere(ctx, "v_ring_group_destinations", "ring_group_uuid", ringGroupUuid),
          p: await rowsWhere(ctx, "v_dialplans", "dialplan_uuid", dialplanUuid),
        };
        await failingTransactionLog(ctx, () =>
          runAction(ringGroupUpdate, ctx, {
            ring_group_uuid: ringGroupUuid,
            name: "Changed",
            extension: "7501",
            destinations: [{ number: "109" }],
          }),
        );
        expect(await rowsWhere(ctx, "v_ring_groups", "ring_group_uuid", ringGroupUuid)).toEqual(before.g);
        expect(await rowsWhere(ctx, "v_ring_group_destinations", "ring_group_uuid", ringGroupUuid)).toEqual(before.m);
        expect(await rowsWhere(ctx, "v_dialplans", "dialplan_uuid", dialplanUuid)).toEqual(before.p);
      });
    });

    describe("ringgroup-delete", () => {
      test("deletes the group, its users, members and dialplan; logs the delete", async () => {
        const { ringGroupUuid, dialplanUuid } = await addRingGroup(ctx, a, "Gone", "7600", ["101", "102"]);
        const out = await runAction(ringGroupDelete, ctx, { ring_group_uuid: ringGroupUuid });
        expect(out).toEqual({ ring_group_uuid: ringGroupUuid, deleted: true, applied: false });
        for (const table of ["v_ring_groups", "v_ring_group_users", "v_ring_group_destinations"]) {
          expect(await rowsWhere(ctx, table, "ring_group_uuid", ringGroupUuid)).toEqual([]);
        }
        expect(await rowsWhere(ctx, "v_dialplans", "dialplan_uuid", dialplanUuid)).toEqual([]);
        const log =
          await ctx.sql`select * from v_database_transactions where transaction_type = 'delete' and transaction_new like ${`%${ringGroupUuid}%`}`;
        expect(log.map((l) => [l.app_name, l.domain_uuid])).toEqual([["ring_groups", a.uuid]]);
        expect(JSON.parse(String(log[0]!.transaction_old)).ring_group_destinations.length).toBe(2);
      });

      test("a bound caller gets not found and the group survives", async () => {
        const { ringGroupUuid } = await addRingGroup(ctx, a, "Stays", "7700", ["101"]);
        const bound = await fx.ctx({ domainUuid: b.uuid });
        expect(
          await runLegacyAction(ringGroupDelete, bound, { action: "ringgroup-delete", ring_group_uuid: ringGroupUuid }),
        ).toEqual({
          status: 404,
          body: { error: "ring group not found" },
        });
        expect((await rowsWhere(ctx, "v_ring_groups", "ring_group_uuid", ringGroupUuid)).length).toBe(1);
      });

      test("a failure on the last write deletes nothing", async () => {
        const { ringGroupUuid, dialplanUuid } = await addRingGroup(ctx, a, "Kept", "7800", ["101"]);
        await failingTransactionLog(ctx, () => runAction(ringGroupDelete, ctx, { ring_group_uuid: ringGroupUuid }));
        expect((await rowsWhere(ctx, "v_ring_groups", "ring_group_uuid", ringGroupUuid)).length).toBe(1);
        expect((await rowsWhere(ctx, "v_ring_group_destinations", "ring_group_uuid", ringGroupUuid)).length).toBe(1);
        expect((await rowsWhere(ctx, "v_ring_group_users", "ring_group_uuid", ringGroupUuid)).length).toBe(1);
        expect((await rowsWhere(ctx, "v_dialplans", "dialplan_uuid", dialplanUuid)).length).toBe(1);
      });
    });
  });
}
