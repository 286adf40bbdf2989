import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { runAction } from "../execute.ts";
import { SCHEMA_VARIANTS, openOriginalFixture, type OriginalFixture } from "../fusionpbx/test-fixture.ts";
import { destinationCreate } from "./destination-create.ts";
import { destinationDetails } from "./destination-details.ts";

for (const variant of SCHEMA_VARIANTS) {
  describe(`destination-details on ${variant}`, () => {
    let fx: OriginalFixture;
    beforeAll(async () => {
      fx = await openOriginalFixture(variant);
      await runAction(destinationCreate, fx.ctx(), {
        domain_uuid: fx.domain.uuid,
        number: "12065550100",
        extension: "100",
      });
      await runAction(destinationCreate, fx.ctx(), {
        domain_uuid: fx.otherDomain.uuid,
        number: "12065550199",
        extension: "200",
      });
    }, 60_000);
    afterAll(async () => fx?.close(), 30_000);

    const notFound = { status: 404, body: { error: "no such destination" }, json: '{"error":"no such destination"}' };

    test("the full row with destination_actions decoded, other json columns as text", async () => {
      const reply = await fx.legacy(destinationDetails, { number: 12065550100 });
      expect(reply.status).toBe(200);
      const row = reply.body as Record<string, unknown>;
      expect(Object.keys(row)).toEqual(fx.schema.columns("v_destinations").map((c) => c.name));
      expect(row.destination_actions).toEqual([
        { destination_app: "transfer", destination_data: "100 XML pbx.example.com" },
      ]);
      expect(reply.json).toContain(
        '"destination_actions":[{"destination_app":"transfer","destination_data":"100 XML pbx.example.com"}]',
      );
      expect(row.destination_conditions).toBeNull();
    });

    test("searches every domain for an unbound key, only its own for a bound one", async () => {
      expect((await fx.legacy(destinationDetails, { number: "12065550199" })).status).toBe(200);
      expect(await fx.legacy(destinationDetails, { number: "12065550199" }, { domainUuid: fx.domain.uuid })).toEqual(
        notFound,
      );
      expect(
        (await fx.legacy(destinationDetails, { number: "12065550100" }, { domainUuid: fx.domain.uuid })).status,
      ).toBe(200);
    });

    test("errors", async () => {
      expect(await fx.legacy(destinationDetails, { number: "5550000" })).toEqual(notFound);
      expect(await fx.legacy(destinationDetails, { number: { x: 1 } })).toEqual(notFound);
      expect((await fx.legacy(destinationDetails, { number: "0" })).body).toEqual({
        error: { error: "missing required parameter(s)", missing_parameters: "number" },
      });
    });

    test("typed face normalises the row", async () => {
      const typed = destinationDetails.output.parse(
        await runAction(destinationDetails, fx.ctx(), { number: "12065550100" }),
      );
      expect(typed.destination_enabled).toBe(true);
      expect(typed.destination_order).toBe(100);
      expect(typed.destination_actions).toEqual([
        { destination_app: "transfer", destination_data: "100 XML pbx.example.com" },
      ]);
    });
  });
}
