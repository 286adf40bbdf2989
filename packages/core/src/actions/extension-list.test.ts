import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { runAction } from "../execute.ts";
import { availableVariants, openOriginalFixture, type OriginalFixture } from "../fusionpbx/test-fixture.ts";
import { extensionCreate } from "./extension-create.ts";
import { extensionList } from "./extension-list.ts";

for (const variant of availableVariants("extension-list")) {
  describe(`extension-list on ${variant}`, () => {
    let fx: OriginalFixture;
    const created: Record<string, string> = {};
    beforeAll(async () => {
      fx = await openOriginalFixture(variant);
      for (const [domain, extension, cid] of [
        [fx.domain.uuid, "100", "+12065550100"],
        [fx.domain.uuid, "101", undefined],
        [fx.otherDomain.uuid, "100", undefined],
      ] as const) {
        const out = (await runAction(extensionCreate, fx.ctx(), {
          domain_uuid: domain,
          extension,
          ...(cid ? { caller_id_number: cid } : {}),
        })) as { row: { extension_uuid: string } };
        created[`${domain}:${extension}`] = out.row.extension_uuid;
      }
    }, 60_000);
    afterAll(async () => fx?.close(), 30_000);

    test("the domain's extensions with the original's three keys", async () => {
      const reply = await fx.legacy(extensionList, { domain_uuid: fx.domain.uuid });
      expect(reply.status).toBe(200);
      const items = reply.body as Record<string, unknown>[];
      expect(items.map((i) => Object.keys(i))).toEqual([
        ["extension_uuid", "extension", "emergency_caller_id_number"],
        ["extension_uuid", "extension", "emergency_caller_id_number"],
      ]);
      expect([...items].sort((a, b) => String(a.extension).localeCompare(String(b.extension)))).toEqual([
        { extension_uuid: created[`${fx.domain.uuid}:100`], extension: "100", emergency_caller_id_number: "+12065550100" },
        { extension_uuid: created[`${fx.domain.uuid}:101`], extension: "101", emergency_caller_id_number: null },
      ]);
    });

    test("unknown domain gives [], malformed uuid gives 200 false, missing gives 400", async () => {
      expect(await fx.legacy(extensionList, { domain_uuid: crypto.randomUUID() })).toEqual({ status: 200, body: [], json: "[]" });
      expect(await fx.legacy(extensionList, { domain_uuid: "garbage" })).toEqual({ status: 200, body: false, json: "false" });
      expect((await fx.legacy(extensionList, {})).status).toBe(400);
    });

    test("a caller bound to another domain sees nothing", async () => {
      expect((await fx.legacy(extensionList, { domain_uuid: fx.domain.uuid }, { domainUuid: fx.otherDomain.uuid })).body).toEqual([]);
      expect(((await fx.legacy(extensionList, { domain_uuid: fx.otherDomain.uuid }, { domainUuid: fx.otherDomain.uuid })).body as unknown[]).length).toBe(1);
    });
  });
}
