import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { createSwitchPool, type SwitchPool } from "@switchboard/esl";
import { type FakeSwitch, startFakeSwitch } from "@switchboard/esl/testing";
import type { ActionContext } from "../context.ts";
import { runAction } from "../execute.ts";
import {
  addDestination,
  addDomain,
  addExtension,
  addRingGroup,
  addSetting,
  FUSIONPBX_KINDS,
  type Fixture,
  openFixture,
  rowsWhere,
} from "../fusionpbx/test-fixture.ts";
import { actionsByName } from "../registry.ts";

/** The exact bytes FusionPBX's `cache->delete()` sends in file mode, as our pool writes them. */
function fileCacheEvent(received: readonly string[], dottedKey: string): string | undefined {
  return received.find(
    (r) => r.startsWith("sendevent CUSTOM") && r.includes(`API-Command-Argument: delete ${dottedKey}\n`),
  );
}

function action(name: string) {
  const found = actionsByName.get(name);
  if (!found) throw new Error(`${name} is not in the registry`);
  return found;
}

for (const dump of FUSIONPBX_KINDS) {
  describe(`manage actions flush FusionPBX's caches on ${dump}`, () => {
    let fx: Fixture;
    let fake: FakeSwitch;
    let pool: SwitchPool;
    let ctx: ActionContext;
    const a = { uuid: "", name: "a.example.com" };
    beforeAll(async () => {
      fx = await openFixture(dump);
      fake = await startFakeSwitch();
      pool = createSwitchPool({ switches: [{ host: fake.host, port: fake.port, password: fake.password }] });
      ctx = await fx.ctx({}, pool);
      a.uuid = await addDomain(ctx, a.name);
    }, 60_000);
    afterAll(async () => {
      await pool?.close();
      await fake?.stop();
      await fx?.db.drop();
    }, 30_000);

    test("destination-update deletes the old and the new number's keys (mode unset: both key kinds)", async () => {
      const { destinationUuid } = await addDestination(ctx, a, "2065550150", "100");
      fake.clearReceived();
      const out = (await runAction(action("destination-update"), ctx, {
        destination_uuid: destinationUuid,
        number: "2065550151",
      })) as {
        applied: boolean;
      };
      expect(out.applied).toBe(true);
      const args = fake.sentEvents.slice(-3).map((e) => e.headers["API-Command-Argument"]);
      expect(args).toEqual([
        "delete dialplan.public",
        "delete dialplan.public.2065550150",
        "delete dialplan.public.2065550151",
      ]);
      expect(fileCacheEvent(fake.received, "dialplan.public.2065550151")).toBe(
        "sendevent CUSTOM\nEvent-Name: CUSTOM\nEvent-Subclass: fusion::file\nAPI-Command: cache\n" +
          "API-Command-Argument: delete dialplan.public.2065550151\n\n",
      );
      expect(fake.received).toContain(
        "api luarun app/servers/resources/clear_cache.lua delete dialplan.public.2065550151\n\n",
      );
      expect(fake.apiCommands()).not.toContain("reloadxml");
    });

    test("with dialplan_mode single only the numbers' keys go; delete adds dialplan:<context>", async () => {
      await addSetting(ctx, "destinations", "dialplan_mode", "text", "single");
      try {
        const { destinationUuid } = await addDestination(ctx, a, "2065550160", "100");
        fake.clearReceived();
        const before = fake.sentEvents.length;
        await runAction(action("destination-update"), ctx, { destination_uuid: destinationUuid, extension: "101" });
        expect(fake.sentEvents.slice(before).map((e) => e.headers["API-Command-Argument"])).toEqual([
          "delete dialplan.public.2065550160",
        ]);
        const mark = fake.sentEvents.length;
        const out = (await runAction(action("destination-delete"), ctx, { destination_uuid: destinationUuid })) as {
          applied: boolean;
        };
        expect(out.applied).toBe(true);
        expect(fake.sentEvents.slice(mark).map((e) => e.headers["API-Command-Argument"])).toEqual([
          "delete dialplan.public",
          "delete dialplan.public.2065550160",
        ]);
      } finally {
        await ctx.sql`delete from v_default_settings where default_setting_category = 'destinations'`;
      }
    });

    test("extension-update and extension-delete delete directory:<ext>@<domain> and the alias's key", async () => {
      const uuid = await addExtension(ctx, a, "3001", { number_alias: "83001" });
      const mark = fake.sentEvents.length;
      const out = (await runAction(action("extension-update"), ctx, { extension_uuid: uuid, description: "x" })) as {
        applied: boolean;
      };
      expect(out.applied).toBe(true);
      expect(fake.sentEvents.slice(mark).map((e) => e.headers["API-Command-Argument"])).toEqual([
        "delete directory.3001@a.example.com",
        "delete directory.83001@a.example.com",
      ]);
      const mark2 = fake.sentEvents.length;
      await runAction(action("extension-delete"), ctx, { extension_uuid: uuid });
      expect(fake.sentEvents.slice(mark2).map((e) => e.headers["API-Command-Argument"])).toEqual([
        "delete directory.3001@a.example.com",
        "delete directory.83001@a.example.com",
      ]);
      expect(fake.apiCommands()).toContain(
        "luarun app/servers/resources/clear_cache.lua delete directory.3001@a.example.com",
      );
    });

    test("ringgroup-update and ringgroup-delete delete dialplan:<context> and send reloadxml", async () => {
      const { ringGroupUuid } = await addRingGroup(ctx, a, "Flush", "6100", ["101"]);
      fake.clearReceived();
      const mark = fake.sentEvents.length;
      const out = (await runAction(action("ringgroup-update"), ctx, {
        ring_group_uuid: ringGroupUuid,
        name: "Flushed",
      })) as { applied: boolean };
      expect(out.applied).toBe(true);
      expect(fake.sentEvents.slice(mark).map((e) => e.headers["API-Command-Argument"])).toEqual([
        "delete dialplan.a.example.com",
      ]);
      expect(fake.apiCommands()).toEqual([
        "luarun app/servers/resources/clear_cache.lua delete dialplan.a.example.com",
        "reloadxml",
      ]);
      expect(fake.received.some((r) => r.startsWith("api reloadxml\n"))).toBe(true);
      fake.clearReceived();
      await runAction(action("ringgroup-delete"), ctx, { ring_group_uuid: ringGroupUuid });
      expect(fake.apiCommands()).toEqual([
        "luarun app/servers/resources/clear_cache.lua delete dialplan.a.example.com",
        "reloadxml",
      ]);
    });

    test("memcache mode: the fusion::memcache event and `memcache delete` with colons kept", async () => {
      await addSetting(ctx, "cache", "method", "text", "memcache");
      try {
        const uuid = await addExtension(ctx, a, "3002");
        fake.clearReceived();
        const mark = fake.sentEvents.length;
        await runAction(action("extension-update"), ctx, { extension_uuid: uuid, enabled: false });
        expect(
          fake.sentEvents
            .slice(mark)
            .map((e) => [e.headers["Event-Subclass"], e.headers["API-Command"], e.headers["API-Command-Argument"]]),
        ).toEqual([["fusion::memcache", "memcache", "delete directory:3002@a.example.com"]]);
        expect(fake.apiCommands()).toEqual(["memcache delete directory:3002@a.example.com"]);
      } finally {
        await ctx.sql`delete from v_default_settings where default_setting_category = 'cache'`;
      }
    });

    test("with the switch down every write still commits and reports applied: false", async () => {
      const down = createSwitchPool({
        switches: [{ host: "127.0.0.1", port: 1, password: "ClueCon" }],
        connection: { connectTimeoutMs: 300, apiTimeoutMs: 300, commandTimeoutMs: 300 },
      });
      try {
        const downCtx = await fx.ctx({}, down);
        const { destinationUuid } = await addDestination(ctx, a, "2065550170", "100");
        const extension = await addExtension(ctx, a, "3003");
        const { ringGroupUuid } = await addRingGroup(ctx, a, "Down", "6200", ["101"]);
        const results = [
          await runAction(action("destination-update"), downCtx, {
            destination_uuid: destinationUuid,
            extension: "102",
          }),
          await runAction(action("extension-update"), downCtx, { extension_uuid: extension, description: "offline" }),
          await runAction(action("ringgroup-update"), downCtx, { ring_group_uuid: ringGroupUuid, name: "Offline" }),
          await runAction(action("ringgroup-delete"), downCtx, { ring_group_uuid: ringGroupUuid }),
        ] as { applied: boolean }[];
        expect(results.map((r) => r.applied)).toEqual([false, false, false, false]);
        expect((await rowsWhere(ctx, "v_destinations", "destination_uuid", destinationUuid))[0]!.destination_data).toBe(
          "102 XML a.example.com",
        );
        expect((await rowsWhere(ctx, "v_extensions", "extension_uuid", extension))[0]!.description).toBe("offline");
        expect(await rowsWhere(ctx, "v_ring_groups", "ring_group_uuid", ringGroupUuid)).toEqual([]);
      } finally {
        await down.close();
      }
    }, 20_000);
  });
}
