import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import type { ActionContext } from "../context.ts";
import type { ActionError } from "../errors.ts";
import { runAction } from "../execute.ts";
import {
  addDestination,
  addDomain,
  FUSIONPBX_KINDS,
  type Fixture,
  storedFlag,
  openFixture,
  rejection,
  rowsWhere,
} from "../fusionpbx/test-fixture.ts";
import { runLegacyAction } from "../legacy/run-legacy.ts";
import { actionsByName } from "../registry.ts";
import { destinationDelete } from "./destination-delete.ts";
import { destinationList } from "./destination-list.ts";
import { destinationUpdate } from "./destination-update.ts";

for (const dump of FUSIONPBX_KINDS) {
  describe(`destination actions on ${dump}`, () => {
    let fx: Fixture;
    let ctx: ActionContext;
    const a = { uuid: "", name: "a.example.com" };
    const b = { uuid: "", name: "b.example.com" };
    beforeAll(async () => {
      fx = await openFixture(dump);
      ctx = await fx.ctx({ address: "192.0.2.7" });
      a.uuid = await addDomain(ctx, a.name);
      b.uuid = await addDomain(ctx, b.name);
    }, 60_000);
    afterAll(async () => fx?.db.drop(), 30_000);

    describe("destination-list", () => {
      beforeAll(async () => {
        for (const n of [
          "2065550107",
          "2065550103",
          "2065550101",
          "3605550100",
          "2065550105",
          "2065550102",
          "2065550104",
        ]) {
          await addDestination(
            ctx,
            a,
            n,
            "100",
            n === "2065550104" ? { destination_enabled: false, destination_description: "Fax line" } : {},
          );
        }
        await addDestination(ctx, b, "4255550100", "200");
        await addDestination(ctx, b, "4255550101", "201");
      }, 30_000);

      test("the cursor walks every row of the domain exactly once, ordered by number", async () => {
        const seen: string[] = [];
        let cursor: string | null = null;
        do {
          const page = (await runAction(destinationList, ctx, {
            domain_uuid: a.uuid,
            limit: 3,
            ...(cursor ? { cursor } : {}),
          })) as {
            items: { destination_number: string; domain_uuid: string }[];
            nextCursor: string | null;
          };
          for (const item of page.items) expect(item.domain_uuid).toBe(a.uuid);
          seen.push(...page.items.map((d) => d.destination_number));
          cursor = page.nextCursor;
        } while (cursor);
        expect(seen).toEqual([...seen].sort());
        expect(new Set(seen).size).toBe(seen.length);
        expect(seen.filter((n) => n.startsWith("206") || n.startsWith("360")).length).toBe(7);
        const all = (await runAction(destinationList, ctx, {})) as { items: unknown[] };
        expect(all.items.length).toBeGreaterThanOrEqual(9);
      });

      test("filters: number prefix, enabled, search", async () => {
        const byPrefix = (await runAction(destinationList, ctx, { domain_uuid: a.uuid, number_prefix: "360" })) as {
          items: { destination_number: string }[];
        };
        expect(byPrefix.items.map((d) => d.destination_number)).toEqual(["3605550100"]);
        const disabled = (await runAction(destinationList, ctx, { domain_uuid: a.uuid, enabled: false })) as {
          items: { destination_number: string }[];
        };
        expect(disabled.items.map((d) => d.destination_number)).toEqual(["2065550104"]);
        const searched = (await runAction(destinationList, ctx, { domain_uuid: a.uuid, search: "fax" })) as {
          items: { destination_number: string }[];
        };
        expect(searched.items.map((d) => d.destination_number)).toEqual(["2065550104"]);
        const typed = destinationList.output.parse(disabled);
        expect(typed.items[0]!.destination_enabled).toBe(false);
        expect(typed.items[0]!.destination_order).toBe(100);
        expect(typed.items[0]!.destination_actions).toEqual([
          { destination_app: "transfer", destination_data: "100 XML a.example.com" },
        ]);
      });

      test("a caller bound to one domain sees none of another's rows (not found, not forbidden)", async () => {
        const bound = await fx.ctx({ domainUuid: b.uuid });
        const own = (await runAction(destinationList, bound, {})) as { items: { domain_uuid: string }[] };
        expect(own.items.length).toBe(2);
        for (const item of own.items) expect(item.domain_uuid).toBe(b.uuid);
        const other = await rejection(runAction(destinationList, bound, { domain_uuid: a.uuid }));
        expect(other.code).toBe("NOT_FOUND");
        expect(
          await runLegacyAction(destinationList, bound, { action: "destination-list", domain_uuid: a.uuid }),
        ).toEqual({
          status: 404,
          body: { error: "domain not found" },
        });
      });
    });

    describe("destination-update", () => {
      test("changes number and target: destination row, dialplan XML, details, transaction row", async () => {
        const { destinationUuid, dialplanUuid } = await addDestination(ctx, a, "5551000", "100");
        const out = (await runAction(destinationUpdate, ctx, {
          destination_uuid: destinationUuid,
          number: "5551001",
          extension: "101",
          description: 'Main <line> & "sales"',
          order: 150,
        })) as { row: Record<string, unknown>; applied: boolean };
        expect(out.applied).toBe(false);
        expect(out.row.destination_number).toBe("5551001");
        expect(Object.keys(out.row)).toEqual(ctx.schema.columns("v_destinations").map((c) => c.name));

        const [d] = await rowsWhere(ctx, "v_destinations", "destination_uuid", destinationUuid);
        expect(d!.domain_uuid).toBe(a.uuid);
        expect(d!.dialplan_uuid).toBe(dialplanUuid);
        expect(d!.destination_number).toBe("5551001");
        expect(d!.destination_number_regex).toBe("^(5551001)$");
        expect(d!.destination_actions).toBe(
          '[{"destination_app":"transfer","destination_data":"101 XML a.example.com"}]',
        );
        expect(d!.destination_app).toBe("transfer");
        expect(d!.destination_data).toBe("101 XML a.example.com");
        expect(d!.destination_alternate_app).toBeNull();
        expect(d!.destination_order).toBe("150");
        expect(d!.destination_enabled).toBe(storedFlag(dump, true));
        expect(d!.destination_description).toBe('Main <line> & "sales"');
        expect(d!.destination_context).toBe("public");
        expect(d!.update_date).not.toBeNull();
        expect(d!.update_user).toBeNull();

        const [p] = await rowsWhere(ctx, "v_dialplans", "dialplan_uuid", dialplanUuid);
        expect(p!.domain_uuid).toBe(a.uuid);
        expect(p!.app_uuid).toBe("c03b422e-13a8-bd1b-e42b-b6b9b4d27ce4");
        expect(p!.dialplan_name).toBe("5551001");
        expect(p!.dialplan_number).toBe("5551001");
        expect(p!.dialplan_context).toBe("public");
        expect(p!.dialplan_continue).toBe(storedFlag(dump, false));
        expect(p!.dialplan_enabled).toBe(storedFlag(dump, true));
        expect(p!.dialplan_order).toBe("150");
        expect(p!.dialplan_description).toBe('Main <line> & "sales"');
        expect(p!.dialplan_xml).toBe(
          `<extension name="5551001" continue="false" uuid="${dialplanUuid}">\n` +
            `\t<condition field="destination_number" expression="^(5551001)$">\n` +
            `\t\t<action application="export" data="call_direction=inbound" inline="true"/>\n` +
            `\t\t<action application="set" data="domain_uuid=${a.uuid}" inline="true"/>\n` +
            `\t\t<action application="set" data="domain_name=a.example.com" inline="true"/>\n` +
            `\t\t<action application="transfer" data="101 XML a.example.com"/>\n` +
            `\t</condition>\n` +
            // database->save() trims strings, so the template's trailing newline is not stored
            `</extension>`,
        );

        const details = (await rowsWhere(ctx, "v_dialplan_details", "dialplan_uuid", dialplanUuid)).sort(
          (x, y) => Number(x.dialplan_detail_order) - Number(y.dialplan_detail_order),
        );
        expect(
          details.map((r) => [
            r.dialplan_detail_tag,
            r.dialplan_detail_type,
            r.dialplan_detail_data,
            r.dialplan_detail_order,
            r.dialplan_detail_inline,
            r.dialplan_detail_group,
            r.dialplan_detail_enabled,
            r.domain_uuid,
          ]),
        ).toEqual([
          ["condition", "destination_number", "^(5551001)$", "20", null, "0", true, a.uuid],
          ["action", "transfer", "101 XML a.example.com", "40", null, "0", true, a.uuid],
        ]);

        const log =
          await ctx.sql`select * from v_database_transactions where transaction_new like ${`%${destinationUuid}%`}`;
        expect(log.length).toBe(1);
        expect(log[0]!.app_name).toBe("destinations");
        expect(log[0]!.app_uuid).toBe("5ec89622-b19c-3559-64f0-afde802ab139");
        expect(log[0]!.domain_uuid).toBe(a.uuid);
        expect(log[0]!.user_uuid).toBeNull();
        expect(log[0]!.transaction_type).toBe("update");
        expect(log[0]!.transaction_code).toBe("200");
        expect(log[0]!.transaction_address).toBe("192.0.2.7");
        expect(JSON.parse(String(log[0]!.transaction_old)).destinations[0].destination_number).toBe("5551000");
        expect(JSON.parse(String(log[0]!.transaction_new)).destinations[0].destination_number).toBe("5551001");

        const typed = destinationUpdate.output.parse(out);
        expect(typed.row.destination_enabled).toBe(true);
        expect(typed.row.destination_order).toBe(150);
        expect(typed.applied).toBe(false);
      });

      test("disabling keeps the route and disables its dialplan", async () => {
        const { destinationUuid, dialplanUuid } = await addDestination(ctx, a, "5552000", "100");
        await runAction(destinationUpdate, ctx, { destination_uuid: destinationUuid, enabled: "false" });
        const [d] = await rowsWhere(ctx, "v_destinations", "destination_uuid", destinationUuid);
        const [p] = await rowsWhere(ctx, "v_dialplans", "dialplan_uuid", dialplanUuid);
        expect(d!.destination_enabled).toBe(storedFlag(dump, false));
        expect(p!.dialplan_enabled).toBe(storedFlag(dump, false));
        expect(String(p!.dialplan_xml)).toContain(`<action application="transfer" data="100 XML a.example.com"/>`);
      });

      test("a missing dialplan is recreated and linked", async () => {
        const { destinationUuid, dialplanUuid } = await addDestination(ctx, a, "5553000", "100");
        await ctx.sql`delete from v_dialplans where dialplan_uuid = ${dialplanUuid}`;
        await runAction(destinationUpdate, ctx, { destination_uuid: destinationUuid, extension: "102" });
        const [d] = await rowsWhere(ctx, "v_destinations", "destination_uuid", destinationUuid);
        expect(d!.dialplan_uuid).not.toBe(dialplanUuid);
        const [p] = await rowsWhere(ctx, "v_dialplans", "dialplan_uuid", String(d!.dialplan_uuid));
        expect(String(p!.dialplan_xml)).toContain(`uuid="${d!.dialplan_uuid}"`);
        expect((await rowsWhere(ctx, "v_dialplan_details", "dialplan_uuid", dialplanUuid)).length).toBe(0);
      });

      test("a number another inbound destination routes is refused, in any domain", async () => {
        const { destinationUuid } = await addDestination(ctx, a, "5554000", "100");
        await addDestination(ctx, b, "5554001", "200");
        const error = await rejection(
          runAction(destinationUpdate, ctx, { destination_uuid: destinationUuid, number: "5554001" }),
        );
        expect(error.code).toBe("CONFLICT");
        expect(error.legacy).toEqual({ status: 400, body: { error: "number already routed" } });
      });

      test("races: of concurrent writers taking one number (updates and a create) exactly one wins", async () => {
        const first = await addDestination(ctx, a, "5554100", "100");
        const second = await addDestination(ctx, b, "5554200", "200");
        const create = actionsByName.get("destination-create");
        const attempts = [
          runAction(destinationUpdate, ctx, { destination_uuid: first.destinationUuid, number: "5554999" }),
          runAction(destinationUpdate, ctx, { destination_uuid: second.destinationUuid, number: "5554999" }),
          ...(create ? [runAction(create, ctx, { domain_uuid: a.uuid, number: "5554999", extension: "100" })] : []),
        ];
        const results = await Promise.allSettled(attempts);
        expect(results.filter((r) => r.status === "fulfilled").length).toBe(1);
        for (const r of results) {
          if (r.status === "rejected") expect((r.reason as ActionError).code).toBe("CONFLICT");
        }
        expect((await rowsWhere(ctx, "v_destinations", "destination_number", "5554999")).length).toBe(1);
      });

      test("values that would reach dialplan XML are validated", async () => {
        const { destinationUuid } = await addDestination(ctx, a, "5555000", "100");
        for (const bad of [
          { number: '1"/><action application="system" data="rm' },
          { extension: "100 XML other.example.com" },
          { number: "12\n34" },
        ]) {
          const reply = await runLegacyAction(destinationUpdate, ctx, {
            action: "destination-update",
            destination_uuid: destinationUuid,
            ...bad,
          });
          expect(reply.status).toBe(400);
        }
        const [d] = await rowsWhere(ctx, "v_destinations", "destination_uuid", destinationUuid);
        expect(d!.destination_number).toBe("5555000");
        expect(d!.destination_data).toBe("100 XML a.example.com");
      });

      test("a destination using features we do not regenerate is refused untouched", async () => {
        const { destinationUuid } = await addDestination(ctx, a, "5556000", "100", {
          destination_cid_name_prefix: "Sales",
        });
        const error = await rejection(
          runAction(destinationUpdate, ctx, { destination_uuid: destinationUuid, extension: "101" }),
        );
        expect(error.code).toBe("CONFLICT");
        expect(error.message).toContain("destination_cid_name_prefix");
      });

      test("a bound caller cannot touch another domain's destination: not found, nothing written", async () => {
        const { destinationUuid } = await addDestination(ctx, a, "5557000", "100");
        const bound = await fx.ctx({ domainUuid: b.uuid });
        const error = await rejection(
          runAction(destinationUpdate, bound, { destination_uuid: destinationUuid, extension: "666" }),
        );
        expect(error.code).toBe("NOT_FOUND");
        expect(error.message).toBe("destination not found");
        const named = await rejection(
          runAction(destinationUpdate, bound, { destination_uuid: destinationUuid, domain_uuid: a.uuid }),
        );
        expect(named.code).toBe("NOT_FOUND");
        const [d] = await rowsWhere(ctx, "v_destinations", "destination_uuid", destinationUuid);
        expect(d!.destination_data).toBe("100 XML a.example.com");
      });

      test("a failure on the last write rolls back every row", async () => {
        const { destinationUuid, dialplanUuid } = await addDestination(ctx, a, "5558000", "100");
        const before = {
          d: await rowsWhere(ctx, "v_destinations", "destination_uuid", destinationUuid),
          p: await rowsWhere(ctx, "v_dialplans", "dialplan_uuid", dialplanUuid),
          details: await rowsWhere(ctx, "v_dialplan_details", "dialplan_uuid", dialplanUuid),
        };
        await ctx.sql.unsafe(`
          create function fail_transaction_log() returns trigger language plpgsql as $$
          begin raise exception 'transaction log unavailable'; end $$;
          create trigger fail_transaction_log before insert on v_database_transactions
          for each row execute function fail_transaction_log();`);
        try {
          await expect(
            runAction(destinationUpdate, ctx, {
              destination_uuid: destinationUuid,
              number: "5558001",
              extension: "109",
            }),
          ).rejects.toThrow("transaction log unavailable");
        } finally {
          await ctx.sql.unsafe(
            "drop trigger fail_transaction_log on v_database_transactions; drop function fail_transaction_log();",
          );
        }
        expect(await rowsWhere(ctx, "v_destinations", "destination_uuid", destinationUuid)).toEqual(before.d);
        expect(await rowsWhere(ctx, "v_dialplans", "dialplan_uuid", dialplanUuid)).toEqual(before.p);
        expect(await rowsWhere(ctx, "v_dialplan_details", "dialplan_uuid", dialplanUuid)).toEqual(before.details);
      });

      test("legacy route: unknown destination is a 404, missing uuid the original's 400", async () => {
        expect(
          await runLegacyAction(destinationUpdate, ctx, {
            action: "destination-update",
            destination_uuid: crypto.randomUUID(),
          }),
        ).toEqual({
          status: 404,
          body: { error: "destination not found" },
        });
        expect(await runLegacyAction(destinationUpdate, ctx, { action: "destination-update" })).toEqual({
          status: 400,
          body: { error: { error: "missing required parameter(s)", missing_parameters: "destination_uuid" } },
        });
      });
    });

    describe("destination-delete", () => {
      test("deletes the destination, its dialplan and details, and logs the delete", async () => {
        const { destinationUuid, dialplanUuid } = await addDestination(ctx, a, "5559000", "100");
        const out = await runAction(destinationDelete, ctx, { destination_uuid: destinationUuid });
        expect(out).toEqual({ destination_uuid: destinationUuid, deleted: true, applied: false });
        expect(await rowsWhere(ctx, "v_destinations", "destination_uuid", destinationUuid)).toEqual([]);
        expect(await rowsWhere(ctx, "v_dialplans", "dialplan_uuid", dialplanUuid)).toEqual([]);
        expect(await rowsWhere(ctx, "v_dialplan_details", "dialplan_uuid", dialplanUuid)).toEqual([]);
        const log =
          await ctx.sql`select * from v_database_transactions where transaction_type = 'delete' and transaction_new like ${`%${destinationUuid}%`}`;
        expect(log.length).toBe(1);
        expect(log[0]!.app_name).toBe("destinations");
        expect(log[0]!.domain_uuid).toBe(a.uuid);
        expect(JSON.parse(String(log[0]!.transaction_old)).destinations[0].destination_number).toBe("5559000");
      });

      test("a bound caller gets not found for another domain's destination, which survives", async () => {
        const { destinationUuid } = await addDestination(ctx, a, "5559100", "100");
        const bound = await fx.ctx({ domainUuid: b.uuid });
        expect(
          await runLegacyAction(destinationDelete, bound, {
            action: "destination-delete",
            destination_uuid: destinationUuid,
          }),
        ).toEqual({
          status: 404,
          body: { error: "destination not found" },
        });
        expect((await rowsWhere(ctx, "v_destinations", "destination_uuid", destinationUuid)).length).toBe(1);
      });
    });
  });
}
