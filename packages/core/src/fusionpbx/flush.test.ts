import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { createdDestinationCacheKeys } from "./cache-keys.ts";
import { flushDestination, flushExtension, flushRingGroup } from "./flush.ts";
import { SCHEMA_VARIANTS, openOriginalFixture, type OriginalFixture } from "./test-fixture.ts";

async function setSetting(
  fx: OriginalFixture,
  category: string,
  subcategory: string,
  value: string | null,
  domainUuid?: string,
) {
  if (domainUuid) {
    await fx.db
      .sql`delete from v_domain_settings where domain_setting_category = ${category} and domain_setting_subcategory = ${subcategory}`;
    if (value !== null) {
      await fx.db.sql`insert into v_domain_settings (domain_setting_uuid, domain_uuid, domain_setting_category,
        domain_setting_subcategory, domain_setting_name, domain_setting_value, domain_setting_enabled)
        values (${crypto.randomUUID()}, ${domainUuid}, ${category}, ${subcategory}, 'text', ${value}, true)`;
    }
    return;
  }
  await fx.db
    .sql`delete from v_default_settings where default_setting_category = ${category} and default_setting_subcategory = ${subcategory}`;
  if (value !== null) {
    await fx.db
      .sql`insert into v_default_settings (default_setting_uuid, default_setting_category, default_setting_subcategory,
      default_setting_name, default_setting_value, default_setting_enabled)
      values (${crypto.randomUUID()}, ${category}, ${subcategory}, 'text', ${value}, true)`;
  }
}

for (const variant of SCHEMA_VARIANTS.filter((v) => v !== "fusionpbx-5.6-master")) {
  describe(`cache flushes on ${variant}`, () => {
    let fx: OriginalFixture;
    beforeAll(async () => {
      fx = await openOriginalFixture(variant);
    }, 60_000);
    afterAll(async () => fx?.close(), 30_000);

    test("file mode: FusionPBX's CUSTOM event, byte for byte, and clear_cache.lua", async () => {
      fx.fake.clearReceived();
      const luaBefore = fx.fake.luaRuns.length;
      expect(await flushExtension(fx.ctx(), { extension: "100", userContext: "pbx.example.com" })).toBe(true);
      const event = fx.fake.received.find((r) => r.startsWith("sendevent CUSTOM"));
      expect(event).toBe(
        "sendevent CUSTOM\nEvent-Name: CUSTOM\nEvent-Subclass: fusion::file\nAPI-Command: cache\nAPI-Command-Argument: delete directory.100@pbx.example.com\n\n",
      );
      expect(fx.fake.apiCommands()).toContain(
        "luarun app/servers/resources/clear_cache.lua delete directory.100@pbx.example.com",
      );
      expect(fx.fake.luaRuns.length).toBe(luaBefore + 1);
    });

    test("memcache mode: the fusion::memcache event and memcache delete; an absent key still counts as cleared", async () => {
      await setSetting(fx, "cache", "method", "memcache");
      try {
        fx.fake.clearReceived();
        fx.fake.memcache.set("directory:100@pbx.example.com", "<xml/>");
        expect(await flushExtension(fx.ctx(), { extension: "100", userContext: "pbx.example.com" })).toBe(true);
        expect(fx.fake.memcache.has("directory:100@pbx.example.com")).toBe(false);
        expect(fx.fake.sentEvents.at(-1)!.headers).toMatchObject({
          "Event-Subclass": "fusion::memcache",
          "API-Command": "memcache",
          "API-Command-Argument": "delete directory:100@pbx.example.com",
        });
        expect(await flushExtension(fx.ctx(), { extension: "100", userContext: "pbx.example.com" })).toBe(true);
      } finally {
        await setSetting(fx, "cache", "method", null);
      }
    });

    test("destination keys follow destinations.dialplan_mode; a domain setting overrides the default", async () => {
      const v = { domainUuid: fx.domain.uuid, context: "public", number: "5551234" };
      expect(await createdDestinationCacheKeys(fx.db.sql, v)).toEqual(["dialplan:public:5551234", "dialplan:public"]);
      await setSetting(fx, "destinations", "dialplan_mode", "multiple");
      expect(await createdDestinationCacheKeys(fx.db.sql, v)).toEqual(["dialplan:public"]);
      await setSetting(fx, "destinations", "dialplan_mode", "single", fx.domain.uuid);
      expect(await createdDestinationCacheKeys(fx.db.sql, v)).toEqual(["dialplan:public:5551234"]);
      expect(await createdDestinationCacheKeys(fx.db.sql, { ...v, prefix: "1" })).toEqual([
        "dialplan:public:5551234",
        "dialplan:public:15551234",
        "dialplan:public:+15551234",
      ]);
      expect(await createdDestinationCacheKeys(fx.db.sql, { ...v, domainUuid: fx.otherDomain.uuid })).toEqual([
        "dialplan:public",
      ]);
      await setSetting(fx, "destinations", "dialplan_mode", null, fx.domain.uuid);
      await setSetting(fx, "destinations", "dialplan_mode", null);
    });

    test("ring groups clear the context and reloadxml", async () => {
      const reloads = fx.fake.reloadxmlCount;
      expect(await flushRingGroup(fx.ctx(), { context: "pbx.example.com" })).toBe(true);
      expect(fx.fake.reloadxmlCount).toBe(reloads + 1);
    });

    test("an unsafe key is never sent: applied is false", async () => {
      fx.fake.clearReceived();
      expect(
        await flushDestination(fx.ctx(), { domainUuid: fx.domain.uuid, context: "public", number: "1 2\nsendevent x" }),
      ).toBe(false);
      expect(await flushExtension(fx.ctx(), { extension: "100", userContext: "evil domain" })).toBe(false);
      expect(fx.fake.received).toEqual([]);
    });
  });
}
