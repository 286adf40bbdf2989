import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { runAction } from "../execute.ts";
import { SCHEMA_VARIANTS, openOriginalFixture, type OriginalFixture } from "../fusionpbx/test-fixture.ts";
import { domainDetails } from "./domain-details.ts";

for (const variant of SCHEMA_VARIANTS) {
  describe(`domain-details on ${variant}`, () => {
    let fx: OriginalFixture;
    beforeAll(async () => {
      fx = await openOriginalFixture(variant);
    }, 60_000);
    afterAll(async () => fx?.close(), 30_000);

    const notFound = { status: 404, body: { error: "domain not found" }, json: '{"error":"domain not found"}' };

    test("by uuid: the full row in column order, domain_name ignored", async () => {
      const reply = await fx.legacy(domainDetails, { domain_uuid: fx.domain.uuid, domain_name: "other.example.net" });
      expect(reply.status).toBe(200);
      expect(Object.keys(reply.body as object)).toEqual(fx.schema.columns("v_domains").map((c) => c.name));
      expect(reply.json).toBe(
        `{"domain_uuid":"${fx.domain.uuid}","domain_parent_uuid":null,"domain_name":"pbx.example.com","domain_enabled":true,"domain_description":null,"insert_date":null,"insert_user":null,"update_date":null,"update_user":null}`,
      );
    });

    test("by exact, case-sensitive name", async () => {
      expect(
        ((await fx.legacy(domainDetails, { domain_name: "other.example.net" })).body as { domain_uuid: string })
          .domain_uuid,
      ).toBe(fx.otherDomain.uuid);
      expect(await fx.legacy(domainDetails, { domain_name: "OTHER.example.net" })).toEqual(notFound);
    });

    test("errors: neither given is a 400; unknown or malformed is a 404", async () => {
      expect(await fx.legacy(domainDetails, { domain_uuid: "", domain_name: 0 })).toEqual({
        status: 400,
        body: { error: "missing required parameter domain_uuid or domain_name" },
        json: '{"error":"missing required parameter domain_uuid or domain_name"}',
      });
      expect(await fx.legacy(domainDetails, { domain_uuid: crypto.randomUUID() })).toEqual(notFound);
      expect(await fx.legacy(domainDetails, { domain_uuid: "1234" })).toEqual(notFound);
      expect(await fx.legacy(domainDetails, { domain_uuid: { a: 1 } })).toEqual(notFound);
    });

    test("a bound caller finds only its own domain, by uuid or by name", async () => {
      const bound = { domainUuid: fx.domain.uuid };
      expect((await fx.legacy(domainDetails, { domain_uuid: fx.domain.uuid }, bound)).status).toBe(200);
      expect(await fx.legacy(domainDetails, { domain_uuid: fx.otherDomain.uuid }, bound)).toEqual(notFound);
      expect(await fx.legacy(domainDetails, { domain_name: "other.example.net" }, bound)).toEqual(notFound);
      expect((await fx.legacy(domainDetails, { domain_name: "pbx.example.com" }, bound)).status).toBe(200);
    });

    test("typed face normalises the row", async () => {
      const typed = domainDetails.output.parse(
        await runAction(domainDetails, fx.ctx(), { domain_name: "pbx.example.com" }),
      );
      expect(typed.domain_enabled).toBe(true);
      expect(typed.domain_uuid).toBe(fx.domain.uuid);
    });
  });
}
