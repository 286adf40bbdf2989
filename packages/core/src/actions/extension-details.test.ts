import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { runAction } from "../execute.ts";
import { SCHEMA_VARIANTS, openOriginalFixture, type OriginalFixture } from "../fusionpbx/test-fixture.ts";
import { extensionCreate } from "./extension-create.ts";
import { EXTENSION_DETAIL_COLUMNS, extensionDetails } from "./extension-details.ts";

for (const variant of SCHEMA_VARIANTS) {
  describe(`extension-details on ${variant}`, () => {
    let fx: OriginalFixture;
    let uuid = "";
    beforeAll(async () => {
      fx = await openOriginalFixture(variant);
      const out = (await runAction(extensionCreate, fx.ctx(), {
        domain_uuid: fx.domain.uuid,
        extension: "105",
        caller_id_name: "Lobby",
      })) as { row: { extension_uuid: string } };
      uuid = out.row.extension_uuid;
      await runAction(extensionCreate, fx.ctx(), { domain_uuid: fx.otherDomain.uuid, extension: "105" });
    }, 60_000);
    afterAll(async () => fx?.close(), 30_000);

    const notFound = { status: 404, body: { error: "extension not found" }, json: '{"error":"extension not found"}' };

    test("by extension_uuid, by extension holding the uuid, and by number: the original's columns as an object", async () => {
      const columns = EXTENSION_DETAIL_COLUMNS.filter((c) => fx.schema.hasColumn("v_extensions", c));
      // forward_caller_id_uuid left FusionPBX in 2021: neither dump has it.
      expect(columns).not.toContain("forward_caller_id_uuid");
      for (const body of [
        { domain_uuid: fx.domain.uuid, extension_uuid: uuid },
        { domain_uuid: fx.domain.uuid, extension: uuid.toUpperCase() },
        { domain_uuid: fx.domain.uuid, extension: 105 },
      ]) {
        const reply = await fx.legacy(extensionDetails, body);
        expect(reply.status).toBe(200);
        const row = reply.body as Record<string, unknown>;
        expect(Object.keys(row)).toEqual(columns);
        expect(row).toMatchObject({ extension_uuid: uuid, extension: "105", effective_caller_id_name: "Lobby" });
        expect("password" in row).toBe(false);
      }
    });

    test("missing parameters follow the original's required list (domain_uuid, extension)", async () => {
      const missing = (name: string) => ({
        error: { error: "missing required parameter(s)", missing_parameters: name },
      });
      expect((await fx.legacy(extensionDetails, {})).body).toEqual(missing("extension"));
      expect((await fx.legacy(extensionDetails, { extension: "105" })).body).toEqual(missing("domain_uuid"));
      // Without a domain the original names `extension` last, whatever `extension_uuid` holds.
      expect((await fx.legacy(extensionDetails, { extension_uuid: uuid })).body).toEqual(missing("extension"));
      expect((await fx.legacy(extensionDetails, { domain_uuid: fx.domain.uuid })).body).toEqual(missing("extension"));
      expect((await fx.legacy(extensionDetails, { domain_uuid: fx.domain.uuid, extension: "" })).body).toEqual(
        missing("extension"),
      );
    });

    test("not found: unknown, other domain, malformed uuid, bound caller", async () => {
      expect(await fx.legacy(extensionDetails, { domain_uuid: fx.domain.uuid, extension: "999" })).toEqual(notFound);
      expect(await fx.legacy(extensionDetails, { domain_uuid: fx.otherDomain.uuid, extension_uuid: uuid })).toEqual(
        notFound,
      );
      expect(await fx.legacy(extensionDetails, { domain_uuid: "bad", extension: "105" })).toEqual(notFound);
      expect(await fx.legacy(extensionDetails, { domain_uuid: fx.domain.uuid, extension_uuid: "bad" })).toEqual(
        notFound,
      );
      expect(
        await fx.legacy(
          extensionDetails,
          { domain_uuid: fx.domain.uuid, extension: "105" },
          { domainUuid: fx.otherDomain.uuid },
        ),
      ).toEqual(notFound);
    });

    test("typed face normalises flags and numbers", async () => {
      const typed = extensionDetails.output.parse(
        await runAction(extensionDetails, fx.ctx(), { domain_uuid: fx.domain.uuid, extension: "105" }),
      );
      expect(typed.enabled).toBe(true);
      expect(typed.directory_visible).toBe(true);
      expect(typed.call_timeout).toBe(30);
    });
  });
}
