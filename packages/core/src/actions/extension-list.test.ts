import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { runAction } from "../execute.ts";
import { SCHEMA_VARIANTS, openOriginalFixture, type OriginalFixture } from "../fusionpbx/test-fixture.ts";
import { extensionCreate } from "./extension-create.ts";
import { extensionList } from "./extension-list.ts";

for (const variant of SCHEMA_VARIANTS) {
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
        {
          extension_uuid: created[`${fx.domain.uuid}:100`],
          extension: "100",
          emergency_caller_id_number: "+12065550100",
        },
        { extension_uuid: created[`${fx.domain.uuid}:101`], extension: "101", emergency_caller_id_number: null },
      ]);
    });

    test("unknown domain gives [], malformed uuid gives 200 false, missing gives 400", async () => {
      expect(await fx.legacy(extensionList, { domain_uuid: crypto.randomUUID() })).toEqual({
        status: 200,
        body: [],
        json: "[]",
      });
      expect(await fx.legacy(extensionList, { domain_uuid: "garbage" })).toEqual({
        status: 200,
        body: false,
        json: "false",
      });
      expect((await fx.legacy(extensionList, {})).status).toBe(400);
    });

    test("a caller bound to another domain sees nothing", async () => {
      expect(
        (await fx.legacy(extensionList, { domain_uuid: fx.domain.uuid }, { domainUuid: fx.otherDomain.uuid })).body,
      ).toEqual([]);
      expect(
        (
          (await fx.legacy(extensionList, { domain_uuid: fx.otherDomain.uuid }, { domainUuid: fx.otherDomain.uuid }))
            .body as unknown[]
        ).length,
      ).toBe(1);
    });

    test("the legacy body ignores paging a script might send: every extension, three keys", async () => {
      const reply = await fx.legacy(extensionList, { domain_uuid: fx.domain.uuid, limit: 1, cursor: "x", search: "9" });
      expect((reply.body as unknown[]).length).toBe(2);
    });

    test("typed faces page in extension order, with a cursor that walks every row once", async () => {
      for (const n of ["102", "103", "110"])
        await runAction(extensionCreate, fx.ctx(), { domain_uuid: fx.domain.uuid, extension: n });
      const seen: string[] = [];
      let cursor: string | undefined;
      do {
        const raw = await runAction(extensionList, fx.ctx(), {
          domain_uuid: fx.domain.uuid,
          limit: 2,
          ...(cursor ? { cursor } : {}),
        });
        const page = extensionList.output.parse(raw);
        expect(page.items.length).toBeLessThanOrEqual(2);
        seen.push(...page.items.map((i) => i.extension ?? ""));
        cursor = page.nextCursor ?? undefined;
      } while (cursor);
      expect(seen).toEqual(["100", "101", "102", "103", "110"]);
    });

    test("typed faces filter by prefix and enabled, and get normalised flags", async () => {
      const page = extensionList.output.parse(
        await runAction(extensionList, fx.ctx(), { domain_uuid: fx.domain.uuid, search: "10" }),
      );
      expect(page.items.map((i) => i.extension)).toEqual(["100", "101", "102", "103"]);
      expect(page.items.every((i) => i.enabled === true)).toBe(true);
      const disabled = extensionList.output.parse(
        await runAction(extensionList, fx.ctx(), { domain_uuid: fx.domain.uuid, enabled: false }),
      );
      expect(disabled.items).toEqual([]);
      const percent = extensionList.output.parse(
        await runAction(extensionList, fx.ctx(), { domain_uuid: fx.domain.uuid, search: "%" }),
      );
      expect(percent.items).toEqual([]);
    });

    test("a forged cursor is a 400 naming it", async () => {
      await expect(
        runAction(extensionList, fx.ctx(), { domain_uuid: fx.domain.uuid, cursor: "bm90LWEtY3Vyc29y" }),
      ).rejects.toMatchObject({
        code: "BAD_REQUEST",
      });
    });
  });
}
