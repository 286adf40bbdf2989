import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import type { z } from "zod";
import { runAction } from "../execute.ts";
import { DOMAIN_NAME_RULE } from "../fusionpbx/domain-name.ts";
import {
  addExtension,
  type OriginalFixture,
  openOriginalFixture,
  rejection,
  SCHEMA_VARIANTS,
  storedFlag,
} from "../fusionpbx/test-fixture.ts";
import { insertRow } from "../fusionpbx/rows.ts";
import { APP_UUID } from "../fusionpbx/apps.ts";
import { BOUND_KEY_CANNOT_CREATE, domainCreate } from "./domain-create.ts";
import { BOUND_KEY_CANNOT_DELETE, domainDelete } from "./domain-delete.ts";
import { domainUpdate, RENAME_REFUSED } from "./domain-update.ts";

for (const variant of SCHEMA_VARIANTS) {
  describe(`domain actions on ${variant}`, () => {
    let fx: OriginalFixture;
    beforeAll(async () => {
      fx = await openOriginalFixture(variant);
    }, 60_000);
    afterAll(async () => fx?.close(), 30_000);

    const domainsNamed = (name: string) => fx.rows("v_domains", "domain_name", name);
    const transactions = async (domainUuid: string) => [
      ...(await fx.db.sql<{ app_uuid: string; app_name: string; transaction_type: string }[]>`
        select app_uuid::text, app_name, transaction_type from v_database_transactions
        where domain_uuid = ${domainUuid}::uuid order by transaction_date`),
    ];

    describe("domain-create", () => {
      test("writes the v_domains row lower-cased, logs it as the Domains app and flushes the whole cache", async () => {
        fx.fake.clearReceived();
        const out = (await runAction(domainCreate, fx.ctx(), {
          domain_name: "  New.Example.COM ",
          description: "Head office",
        })) as { row: Record<string, unknown>; applied: boolean };
        expect(out.applied).toBe(true);
        const [row] = await domainsNamed("new.example.com");
        expect(row).toBeDefined();
        expect(row!.domain_uuid).toBe(out.row.domain_uuid);
        expect(row!.domain_enabled).toBe(true);
        expect(row!.domain_description).toBe("Head office");
        expect(row!.insert_date).not.toBeNull();
        expect(row!.domain_parent_uuid).toBeNull();
        expect(await transactions(String(row!.domain_uuid))).toEqual([
          { app_uuid: APP_UUID.domains, app_name: "domains", transaction_type: "add" },
        ]);
        expect(fx.fake.luaRuns.some((run) => run.includes("clear_cache.lua flush"))).toBe(true);
        expect(
          fx.fake.sentEvents.some(
            (e) => e.headers["API-Command"] === "cache" && e.headers["API-Command-Argument"] === "flush",
          ),
        ).toBe(true);
      });

      test("a name that exists in any letter case is a conflict and writes nothing", async () => {
        const before = await fx.count("v_domains");
        const error = await rejection(runAction(domainCreate, fx.ctx(), { domain_name: "PBX.example.com" }));
        expect(error.code).toBe("CONFLICT");
        expect(error.message).toBe("a domain named pbx.example.com already exists");
        expect(await fx.count("v_domains")).toBe(before);
      });

      test("only host names and IPv4 addresses are accepted, with the rule in the message", async () => {
        const before = await fx.count("v_domains");
        for (const name of [
          "bad name.com",
          "-x.example.com",
          "a..b",
          "",
          "x_y.com",
          "a.b/../c",
          `${"a".repeat(64)}.com`,
        ]) {
          const error = await rejection(runAction(domainCreate, fx.ctx(), { domain_name: name }));
          expect(error.code).toBe("BAD_REQUEST");
          expect(error.field).toBe("domain_name");
          expect((error.cause as z.ZodError).issues.map((i) => i.message)).toEqual([DOMAIN_NAME_RULE]);
        }
        expect(await fx.count("v_domains")).toBe(before);
        const ip = (await runAction(domainCreate, fx.ctx(), { domain_name: "192.0.2.10", enabled: "false" })) as {
          row: Record<string, unknown>;
        };
        expect(ip.row.domain_name).toBe("192.0.2.10");
        expect((await domainsNamed("192.0.2.10"))[0]!.domain_enabled).toBe(false);
      });

      test("a key bound to a domain cannot create one; a key without admin scope neither", async () => {
        const bound = await rejection(
          runAction(domainCreate, fx.ctx({ domainUuid: fx.domain.uuid }), { domain_name: "c.example.com" }),
        );
        expect(bound.code).toBe("FORBIDDEN");
        expect(bound.message).toBe(BOUND_KEY_CANNOT_CREATE);
        const writer = await rejection(
          runAction(domainCreate, fx.ctx({ scopes: new Set(["read", "write"]) }), { domain_name: "c.example.com" }),
        );
        expect(writer.code).toBe("FORBIDDEN");
        expect(await domainsNamed("c.example.com")).toEqual([]);
      });

      test("the legacy route answers the row and the original's missing-parameter error", async () => {
        const created = await fx.legacy(domainCreate, { domain_name: "legacy.example.org" });
        expect(created.status).toBe(200);
        expect((created.body as { row: { domain_name: string } }).row.domain_name).toBe("legacy.example.org");
        expect(await fx.legacy(domainCreate, {})).toEqual({
          status: 400,
          body: { error: { error: "missing required parameter(s)", missing_parameters: "domain_name" } },
          json: '{"error":{"error":"missing required parameter(s)","missing_parameters":"domain_name"}}',
        });
      });
    });

    describe("domain-update", () => {
      test("changes the description and the enabled flag, logs the change and flushes the cache", async () => {
        const [created] = await domainsNamed("new.example.com");
        const uuid = String(created!.domain_uuid);
        fx.fake.clearReceived();
        const out = (await runAction(domainUpdate, fx.ctx(), {
          domain_uuid: uuid.toUpperCase(),
          enabled: false,
          description: "Closed",
        })) as { row: Record<string, unknown>; applied: boolean };
        expect(out.applied).toBe(true);
        const [row] = await domainsNamed("new.example.com");
        expect(row!.domain_enabled).toBe(false);
        expect(row!.domain_description).toBe("Closed");
        expect(row!.update_date).not.toBeNull();
        expect((await transactions(uuid)).map((t) => t.transaction_type)).toEqual(["add", "update"]);
        expect(fx.fake.luaRuns.some((run) => run.includes("clear_cache.lua flush"))).toBe(true);
        await runAction(domainUpdate, fx.ctx(), { domain_uuid: uuid, description: "" });
        expect((await domainsNamed("new.example.com"))[0]!.domain_description).toBeNull();
      });

      test("renaming is refused in words; a domain is named by uuid or name, in any letter case", async () => {
        const error = await rejection(
          runAction(domainUpdate, fx.ctx(), { domain_uuid: fx.domain.uuid, domain_name: "renamed.example.com" }),
        );
        expect(error.code).toBe("BAD_REQUEST");
        expect(error.message).toBe(RENAME_REFUSED);
        expect(await domainsNamed("pbx.example.com")).toHaveLength(1);
        await runAction(domainUpdate, fx.ctx(), {
          domain_uuid: fx.domain.uuid,
          domain_name: "PBX.example.com",
          description: "Main",
        });
        await runAction(domainUpdate, fx.ctx(), { domain_name: "Other.Example.NET", description: "By name" });
        expect((await domainsNamed("other.example.net"))[0]!.domain_description).toBe("By name");
        await runAction(domainUpdate, fx.ctx(), { domain_name: "other.example.net", description: "" });
        const nothing = await rejection(runAction(domainUpdate, fx.ctx(), { domain_uuid: fx.domain.uuid }));
        expect(nothing.message).toBe("nothing to change: give enabled or description");
      });

      test("a bound admin edits its own domain and gets not-found for another", async () => {
        const own = fx.ctx({ domainUuid: fx.domain.uuid });
        await runAction(domainUpdate, own, { domain_uuid: fx.domain.uuid, description: "Ours" });
        expect((await domainsNamed("pbx.example.com"))[0]!.domain_description).toBe("Ours");
        const other = await rejection(
          runAction(domainUpdate, own, { domain_uuid: fx.otherDomain.uuid, description: "Theirs" }),
        );
        expect(other.code).toBe("NOT_FOUND");
        expect((await domainsNamed("other.example.net"))[0]!.domain_description).toBeNull();
      });
    });

    describe("domain-delete", () => {
      test("an empty domain (settings and dialplans only) goes at once, its log rows kept", async () => {
        const { row } = (await runAction(domainCreate, fx.ctx(), { domain_name: "empty.example.com" })) as {
          row: { domain_uuid: string };
        };
        const uuid = row.domain_uuid;
        await insertRow(fx.db.sql, fx.schema, "v_dialplans", {
          dialplan_uuid: crypto.randomUUID(),
          domain_uuid: uuid,
          dialplan_name: "local_extension",
          dialplan_context: "empty.example.com",
        });
        fx.fake.clearReceived();
        const before = fx.fake.reloadxmlCount;
        const out = await runAction(domainDelete, fx.ctx(), { domain_name: "Empty.example.com" });
        expect(out).toEqual({
          domain_uuid: uuid,
          deleted: true,
          removed: { v_dialplans: 1 },
          revoked_keys: 0,
          applied: true,
        });
        expect(await domainsNamed("empty.example.com")).toEqual([]);
        expect(await fx.rows("v_dialplans", "domain_uuid", uuid)).toEqual([]);
        expect((await transactions(uuid)).map((t) => t.transaction_type)).toEqual(["add", "delete"]);
        expect(fx.fake.reloadxmlCount).toBe(before + 1);
      });

      test("a domain with extensions is refused in words and kept whole; force deletes everything in it", async () => {
        const { row } = (await runAction(domainCreate, fx.ctx(), { domain_name: "busy.example.com" })) as {
          row: { domain_uuid: string; domain_name: string };
        };
        const busy = { uuid: row.domain_uuid, name: row.domain_name };
        const ctx = fx.ctx();
        await addExtension(ctx, busy, "100");
        await addExtension(ctx, busy, "101");
        const refused = await rejection(runAction(domainDelete, fx.ctx(), { domain_uuid: busy.uuid }));
        expect(refused.code).toBe("CONFLICT");
        expect(refused.message).toBe(
          "domain busy.example.com is not empty (extensions: 2, voicemails: 2); delete those first, or send force: true to delete the domain with everything in it",
        );
        expect(await domainsNamed("busy.example.com")).toHaveLength(1);
        expect(await fx.rows("v_extensions", "domain_uuid", busy.uuid)).toHaveLength(2);

        const out = (await runAction(domainDelete, fx.ctx(), { domain_uuid: busy.uuid, force: "true" })) as {
          removed: Record<string, number>;
        };
        expect(out.removed).toEqual({ v_extensions: 2, v_voicemails: 2 });
        expect(await domainsNamed("busy.example.com")).toEqual([]);
        expect(await fx.rows("v_extensions", "domain_uuid", busy.uuid)).toEqual([]);
        expect(await domainsNamed("pbx.example.com")).toHaveLength(1);
      });

      test("a bound key cannot delete its own domain and does not see another", async () => {
        const own = await rejection(
          runAction(domainDelete, fx.ctx({ domainUuid: fx.domain.uuid }), { domain_uuid: fx.domain.uuid }),
        );
        expect(own.code).toBe("FORBIDDEN");
        expect(own.message).toBe(BOUND_KEY_CANNOT_DELETE);
        const other = await rejection(
          runAction(domainDelete, fx.ctx({ domainUuid: fx.domain.uuid }), { domain_uuid: fx.otherDomain.uuid }),
        );
        expect(other.code).toBe("NOT_FOUND");
        const byName = await rejection(
          runAction(domainDelete, fx.ctx({ domainUuid: fx.domain.uuid }), { domain_name: "other.example.net" }),
        );
        expect(byName.code).toBe("NOT_FOUND");
        const missing = await rejection(runAction(domainDelete, fx.ctx(), { domain_uuid: crypto.randomUUID() }));
        expect(missing.code).toBe("NOT_FOUND");
        expect(await domainsNamed("other.example.net")).toHaveLength(1);
      });

      test("a failure half-way writes nothing", async () => {
        const { row } = (await runAction(domainCreate, fx.ctx(), { domain_name: "half.example.com" })) as {
          row: { domain_uuid: string; domain_name: string };
        };
        await addExtension(fx.ctx(), { uuid: row.domain_uuid, name: row.domain_name }, "200");
        await fx.db.sql.unsafe(`
          create function fail_domain_delete() returns trigger language plpgsql as $$
          begin raise exception 'domain delete failed'; end $$;
          create trigger fail_domain_delete before delete on v_domains
          for each row execute function fail_domain_delete();`);
        try {
          await expect(
            runAction(domainDelete, fx.ctx(), { domain_uuid: row.domain_uuid, force: true }),
          ).rejects.toThrow();
        } finally {
          await fx.db.sql.unsafe("drop trigger fail_domain_delete on v_domains; drop function fail_domain_delete();");
        }
        expect(await domainsNamed("half.example.com")).toHaveLength(1);
        expect(await fx.rows("v_extensions", "domain_uuid", row.domain_uuid)).toHaveLength(1);
      });

      if (variant === "migrations") {
        test("keys bound to the domain hold it back; force revokes them", async () => {
          const { row } = (await runAction(domainCreate, fx.ctx(), { domain_name: "keyed.example.com" })) as {
            row: { domain_uuid: string };
          };
          const keyUuid = crypto.randomUUID();
          await fx.db.sql`insert into switchboard_key_policies (key_uuid, domain_uuid, scopes)
            values (${keyUuid}::uuid, ${row.domain_uuid}::uuid, ${["read"]})`;
          const refused = await rejection(runAction(domainDelete, fx.ctx(), { domain_uuid: row.domain_uuid }));
          expect(refused.message).toContain("API keys bound to it: 1");
          const out = (await runAction(domainDelete, fx.ctx(), { domain_uuid: row.domain_uuid, force: true })) as {
            revoked_keys: number;
          };
          expect(out.revoked_keys).toBe(1);
          expect(await fx.rows("switchboard_key_policies", "key_uuid", keyUuid)).toEqual([]);
        });
      }
    });
  });
}
