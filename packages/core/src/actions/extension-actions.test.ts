import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import type { ActionContext } from "../context.ts";
import { runAction } from "../execute.ts";
import { insertRow } from "../fusionpbx/rows.ts";
import {
  addDomain,
  addExtension,
  addRingGroup,
  FUSIONPBX_KINDS,
  type Fixture,
  storedFlag,
  openFixture,
  rejection,
  rowsWhere,
} from "../fusionpbx/test-fixture.ts";
import { runLegacyAction } from "../legacy/run-legacy.ts";
import { extensionDelete } from "./extension-delete.ts";
import { extensionUpdate } from "./extension-update.ts";

async function voicemailsOf(ctx: ActionContext, domainUuid: string, id: string) {
  return ctx.sql`select * from v_voicemails where domain_uuid = ${domainUuid} and voicemail_id = ${id}`;
}

for (const dump of FUSIONPBX_KINDS) {
  describe(`extension actions on ${dump}`, () => {
    let fx: Fixture;
    let ctx: ActionContext;
    const a = { uuid: "", name: "a.example.com" };
    const b = { uuid: "", name: "b.example.com" };
    beforeAll(async () => {
      fx = await openFixture(dump);
      ctx = await fx.ctx({ address: "198.51.100.4" });
      a.uuid = await addDomain(ctx, a.name);
      b.uuid = await addDomain(ctx, b.name);
    }, 60_000);
    afterAll(async () => fx?.db.drop(), 30_000);

    describe("extension-update", () => {
      test("writes the given columns, keeps the others, updates the mailbox, never echoes the password", async () => {
        const uuid = await addExtension(ctx, a, "1001");
        const out = (await runAction(extensionUpdate, ctx, {
          extension_uuid: uuid,
          effective_caller_id_name: "Front Desk",
          outbound_caller_id_number: "+12065550100",
          directory_visible: false,
          call_timeout: 45,
          toll_allow: "domestic,international",
          user_record: "",
          enabled: "false",
          description: "Lobby phone",
          password: "N3w-Passw0rd",
          voicemail_password: "2468",
          voicemail_mail_to: "desk@example.com",
        })) as { row: Record<string, unknown>; applied: boolean };
        expect(out.applied).toBe(false);
        expect("password" in out.row).toBe(false);
        expect(out.row.effective_caller_id_name).toBe("Front Desk");

        const [e] = await rowsWhere(ctx, "v_extensions", "extension_uuid", uuid);
        expect(e!.extension).toBe("1001");
        expect(e!.effective_caller_id_name).toBe("Front Desk");
        expect(e!.effective_caller_id_number).toBe("1001");
        expect(e!.outbound_caller_id_number).toBe("+12065550100");
        expect(e!.directory_visible).toBe(storedFlag(dump, false));
        expect(e!.directory_exten_visible).toBe(storedFlag(dump, true));
        expect(e!.call_timeout).toBe("45");
        expect(e!.toll_allow).toBe("domestic:international");
        expect(e!.user_record).toBeNull();
        expect(e!.enabled).toBe(storedFlag(dump, false));
        expect(e!.description).toBe("Lobby phone");
        expect(e!.password).toBe("N3w-Passw0rd");
        expect(e!.limit_max).toBe("5");
        expect(e!.update_date).not.toBeNull();

        const [vm] = await voicemailsOf(ctx, a.uuid, "1001");
        expect(vm!.voicemail_password).toBe("2468");
        expect(vm!.voicemail_mail_to).toBe("desk@example.com");
        expect(vm!.voicemail_description).toBe("Lobby phone");
        expect(vm!.voicemail_enabled).toBe(storedFlag(dump, true));

        const log =
          await ctx.sql`select * from v_database_transactions where app_name = 'extensions' and transaction_new like ${`%${uuid}%`}`;
        expect(log.length).toBe(1);
        expect(log[0]!.transaction_type).toBe("update");
        expect(log[0]!.app_uuid).toBe("e68d9689-2769-e013-28fa-6214bf47fca3");
        expect(log[0]!.domain_uuid).toBe(a.uuid);
        expect(log[0]!.transaction_address).toBe("198.51.100.4");
        expect(JSON.parse(String(log[0]!.transaction_new)).voicemails[0].voicemail_mail_to).toBe("desk@example.com");

        const typed = extensionUpdate.output.parse(out);
        expect(typed.row.enabled).toBe(false);
        expect(typed.row.directory_visible).toBe(false);
        expect(typed.row.call_timeout).toBe(45);
      });

      test("do-not-disturb and call forwarding (FusionPBX's Call Forward columns); forwarding needs a number", async () => {
        const uuid = await addExtension(ctx, a, "1005");
        await runAction(extensionUpdate, ctx, {
          extension_uuid: uuid,
          do_not_disturb: true,
          forward_all_enabled: true,
          forward_all_destination: "+12065550199",
        });
        const [e] = await rowsWhere(ctx, "v_extensions", "extension_uuid", uuid);
        expect(e!.do_not_disturb).toBe(storedFlag(dump, true));
        expect(e!.forward_all_enabled).toBe(storedFlag(dump, true));
        expect(e!.forward_all_destination).toBe("+12065550199");
        // Turning forwarding off keeps the number for next time, as FusionPBX's page does.
        await runAction(extensionUpdate, ctx, { extension_uuid: uuid, forward_all_enabled: false });
        const [off] = await rowsWhere(ctx, "v_extensions", "extension_uuid", uuid);
        expect(off!.forward_all_enabled).toBe(storedFlag(dump, false));
        expect(off!.forward_all_destination).toBe("+12065550199");

        const bare = await addExtension(ctx, a, "1006");
        expect(
          await rejection(runAction(extensionUpdate, ctx, { extension_uuid: bare, forward_all_enabled: true })),
        ).toMatchObject({ code: "BAD_REQUEST", message: "forwarding needs a number to forward to" });
        const reply = await runLegacyAction(extensionUpdate, ctx, {
          action: "extension-update",
          extension_uuid: bare,
          forward_all_enabled: "true",
          forward_all_destination: "1001;reloadxml",
        });
        expect(reply.status).toBe(400);
        const [untouched] = await rowsWhere(ctx, "v_extensions", "extension_uuid", bare);
        expect(untouched!.update_date).toBeNull();
      });

      test("injection attempts are rejected before anything is written", async () => {
        const uuid = await addExtension(ctx, a, "1002");
        for (const bad of [
          // biome-ignore lint/suspicious/noTemplateCurlyInString: a FreeSWITCH expansion is the attack
          { effective_caller_id_name: "x${system(rm -rf /)}" },
          { effective_caller_id_name: "a\nb" },
          { outbound_caller_id_number: "1001;reloadxml" },
          { toll_allow: "a b" },
          { password: "short" },
          { voicemail_mail_to: "not-an-email" },
        ]) {
          const reply = await runLegacyAction(extensionUpdate, ctx, {
            action: "extension-update",
            extension_uuid: uuid,
            ...bad,
          });
          expect(reply.status).toBe(400);
        }
        const [e] = await rowsWhere(ctx, "v_extensions", "extension_uuid", uuid);
        expect(e!.effective_caller_id_name).toBe("Old Name");
        expect(e!.update_date).toBeNull();
      });

      test("another domain's extension is not found for a bound caller", async () => {
        const uuid = await addExtension(ctx, a, "1003");
        const bound = await fx.ctx({ domainUuid: b.uuid });
        expect(
          await runLegacyAction(extensionUpdate, bound, {
            action: "extension-update",
            extension_uuid: uuid,
            description: "x",
          }),
        ).toEqual({
          status: 404,
          body: { error: "extension not found" },
        });
        const [e] = await rowsWhere(ctx, "v_extensions", "extension_uuid", uuid);
        expect(e!.description).toBeNull();
      });

      test("a failure on the last write rolls back the extension and the mailbox", async () => {
        const uuid = await addExtension(ctx, a, "1004");
        await ctx.sql.unsafe(`
          create function fail_transaction_log() returns trigger language plpgsql as $$
          begin raise exception 'transaction log unavailable'; end $$;
          create trigger fail_transaction_log before insert on v_database_transactions
          for each row execute function fail_transaction_log();`);
        try {
          await expect(
            runAction(extensionUpdate, ctx, {
              extension_uuid: uuid,
              description: "changed",
              voicemail_password: "9999",
            }),
          ).rejects.toThrow("transaction log unavailable");
        } finally {
          await ctx.sql.unsafe(
            "drop trigger fail_transaction_log on v_database_transactions; drop function fail_transaction_log();",
          );
        }
        const [e] = await rowsWhere(ctx, "v_extensions", "extension_uuid", uuid);
        expect(e!.description).toBeNull();
        const [vm] = await voicemailsOf(ctx, a.uuid, "1004");
        expect(vm!.voicemail_password).toBe("12345678");
      });
    });

    describe("extension-delete", () => {
      test("deletes the extension and what FusionPBX deletes with it", async () => {
        const uuid = await addExtension(ctx, a, "2001");
        const [vm] = await voicemailsOf(ctx, a.uuid, "2001");
        const vmUuid = String(vm!.voicemail_uuid);
        const followMe = crypto.randomUUID();
        await ctx.sql`update v_extensions set follow_me_uuid = ${followMe} where extension_uuid = ${uuid}`;
        await insertRow(ctx.sql, ctx.schema, "v_follow_me", { follow_me_uuid: followMe, domain_uuid: a.uuid });
        await insertRow(ctx.sql, ctx.schema, "v_follow_me_destinations", {
          follow_me_destination_uuid: crypto.randomUUID(),
          follow_me_uuid: followMe,
          domain_uuid: a.uuid,
        });
        await insertRow(ctx.sql, ctx.schema, "v_extension_users", {
          extension_user_uuid: crypto.randomUUID(),
          domain_uuid: a.uuid,
          extension_uuid: uuid,
          user_uuid: crypto.randomUUID(),
        });
        await insertRow(ctx.sql, ctx.schema, "v_extension_settings", {
          extension_setting_uuid: crypto.randomUUID(),
          domain_uuid: a.uuid,
          extension_uuid: uuid,
        });
        for (const table of ["v_voicemail_options", "v_voicemail_messages"]) {
          const pk = `${table.slice(2, -1)}_uuid`;
          await insertRow(ctx.sql, ctx.schema, table, {
            [pk]: crypto.randomUUID(),
            voicemail_uuid: vmUuid,
            domain_uuid: a.uuid,
          });
        }
        await insertRow(ctx.sql, ctx.schema, "v_voicemail_destinations", {
          voicemail_destination_uuid: crypto.randomUUID(),
          voicemail_uuid: crypto.randomUUID(),
          voicemail_uuid_copy: vmUuid,
          domain_uuid: a.uuid,
        });
        await insertRow(ctx.sql, ctx.schema, "v_voicemail_greetings", {
          voicemail_greeting_uuid: crypto.randomUUID(),
          voicemail_id: "2001",
          domain_uuid: a.uuid,
        });
        const group = await addRingGroup(ctx, a, "Sales", "7001", ["2001", "2002"]);
        const otherDomainMember = await addRingGroup(ctx, b, "B Sales", "7001", ["2001"]);

        const out = await runAction(extensionDelete, ctx, { extension_uuid: uuid });
        expect(out).toEqual({
          extension_uuid: uuid,
          deleted: true,
          voicemails_deleted: 1,
          ring_group_destinations_deleted: 1,
          applied: false,
        });

        expect(await rowsWhere(ctx, "v_extensions", "extension_uuid", uuid)).toEqual([]);
        expect(await rowsWhere(ctx, "v_extension_users", "extension_uuid", uuid)).toEqual([]);
        expect(await rowsWhere(ctx, "v_extension_settings", "extension_uuid", uuid)).toEqual([]);
        expect(await rowsWhere(ctx, "v_follow_me", "follow_me_uuid", followMe)).toEqual([]);
        expect(await rowsWhere(ctx, "v_follow_me_destinations", "follow_me_uuid", followMe)).toEqual([]);
        expect(await rowsWhere(ctx, "v_voicemails", "voicemail_uuid", vmUuid)).toEqual([]);
        expect(await rowsWhere(ctx, "v_voicemail_options", "voicemail_uuid", vmUuid)).toEqual([]);
        expect(await rowsWhere(ctx, "v_voicemail_messages", "voicemail_uuid", vmUuid)).toEqual([]);
        expect(await rowsWhere(ctx, "v_voicemail_destinations", "voicemail_uuid_copy", vmUuid)).toEqual([]);
        expect(
          (await ctx.sql`select 1 from v_voicemail_greetings where domain_uuid = ${a.uuid} and voicemail_id = '2001'`)
            .length,
        ).toBe(0);
        const members = await rowsWhere(ctx, "v_ring_group_destinations", "ring_group_uuid", group.ringGroupUuid);
        expect(members.map((m) => m.destination_number)).toEqual(["2002"]);
        expect(
          (await rowsWhere(ctx, "v_ring_group_destinations", "ring_group_uuid", otherDomainMember.ringGroupUuid))
            .length,
        ).toBe(1);

        const logs = await ctx.sql`select app_name, transaction_type, domain_uuid from v_database_transactions
          where transaction_type = 'delete' and transaction_old like ${`%${uuid}%`} or transaction_old like ${`%${vmUuid}%`} order by app_name`;
        expect(logs.map((l) => [l.app_name, l.transaction_type, l.domain_uuid])).toEqual([
          ["extensions", "delete", a.uuid],
          ["voicemail", "delete", a.uuid],
        ]);
      });

      test("delete_voicemail=false keeps the mailbox", async () => {
        const uuid = await addExtension(ctx, a, "2003");
        const out = await runAction(extensionDelete, ctx, { extension_uuid: uuid, delete_voicemail: "false" });
        expect((out as { voicemails_deleted: number }).voicemails_deleted).toBe(0);
        expect((await voicemailsOf(ctx, a.uuid, "2003")).length).toBe(1);
      });

      test("a bound caller cannot delete another domain's extension", async () => {
        const uuid = await addExtension(ctx, a, "2004");
        const bound = await fx.ctx({ domainUuid: b.uuid });
        const error = await rejection(runAction(extensionDelete, bound, { extension_uuid: uuid }));
        expect(error.code).toBe("NOT_FOUND");
        expect((await rowsWhere(ctx, "v_extensions", "extension_uuid", uuid)).length).toBe(1);
        expect((await voicemailsOf(ctx, a.uuid, "2004")).length).toBe(1);
      });

      test("a failure on the last write leaves every row in place", async () => {
        const uuid = await addExtension(ctx, a, "2005");
        await insertRow(ctx.sql, ctx.schema, "v_extension_users", {
          extension_user_uuid: crypto.randomUUID(),
          domain_uuid: a.uuid,
          extension_uuid: uuid,
          user_uuid: crypto.randomUUID(),
        });
        await ctx.sql.unsafe(`
          create function fail_transaction_log() returns trigger language plpgsql as $$
          begin if new.app_name = 'extensions' then raise exception 'transaction log unavailable'; end if; return new; end $$;
          create trigger fail_transaction_log before insert on v_database_transactions
          for each row execute function fail_transaction_log();`);
        try {
          await expect(runAction(extensionDelete, ctx, { extension_uuid: uuid })).rejects.toThrow(
            "transaction log unavailable",
          );
        } finally {
          await ctx.sql.unsafe(
            "drop trigger fail_transaction_log on v_database_transactions; drop function fail_transaction_log();",
          );
        }
        expect((await rowsWhere(ctx, "v_extensions", "extension_uuid", uuid)).length).toBe(1);
        expect((await rowsWhere(ctx, "v_extension_users", "extension_uuid", uuid)).length).toBe(1);
        expect((await voicemailsOf(ctx, a.uuid, "2005")).length).toBe(1);
        expect(
          (
            await ctx.sql`select 1 from v_database_transactions where app_name = 'voicemail' and transaction_old like ${`%"2005"%`}`
          ).length,
        ).toBe(0);
      });
    });
  });
}
