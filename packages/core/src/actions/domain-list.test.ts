import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { runAction } from "../execute.ts";
import { addDomain, FUSIONPBX_KINDS, type Fixture, openFixture } from "../fusionpbx/test-fixture.ts";
import { runLegacyAction } from "../legacy/run-legacy.ts";
import { domainList } from "./domain-list.ts";

for (const dump of FUSIONPBX_KINDS) {
  describe(`domain-list on ${dump}`, () => {
    let fx: Fixture;
    const uuids: Record<string, string> = {};
    beforeAll(async () => {
      fx = await openFixture(dump);
      const ctx = await fx.ctx();
      for (const name of ["b.example.com", "a.example.com", "c.example.com", "d.example.com", "e.example.com"]) {
        uuids[name] = await addDomain(ctx, name, name !== "d.example.com");
      }
    }, 60_000);
    afterAll(async () => fx?.db.drop(), 30_000);

    test("walks every domain once, by name, with the cursor", async () => {
      const ctx = await fx.ctx();
      const seen: string[] = [];
      let cursor: string | undefined;
      let pages = 0;
      do {
        const page = (await runAction(domainList, ctx, { limit: 2, ...(cursor ? { cursor } : {}) })) as {
          items: { domain_name: string }[];
          nextCursor: string | null;
        };
        expect(page.items.length).toBeLessThanOrEqual(2);
        seen.push(...page.items.map((d) => d.domain_name));
        cursor = page.nextCursor ?? undefined;
        pages++;
      } while (cursor);
      expect(seen).toEqual(["a.example.com", "b.example.com", "c.example.com", "d.example.com", "e.example.com"]);
      expect(pages).toBe(3);
    });

    test("rows are the full v_domains rows; the output contract normalises them", async () => {
      const ctx = await fx.ctx();
      const page = await runAction(domainList, ctx, { search: "A.EXAMPLE" });
      const items = (page as { items: Record<string, unknown>[] }).items;
      expect(items.length).toBe(1);
      expect(Object.keys(items[0]!)).toEqual(ctx.schema.columns("v_domains").map((c) => c.name));
      expect(items[0]!.domain_uuid).toBe(uuids["a.example.com"]!);
      expect(items[0]!.domain_enabled).toBe(true);
      const typed = domainList.output.parse(page);
      expect(typed.nextCursor).toBeNull();
      expect(typed.items[0]!.insert_date).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    });

    test("filters on enabled", async () => {
      const ctx = await fx.ctx();
      const disabled = (await runAction(domainList, ctx, { enabled: false })) as { items: { domain_name: string }[] };
      expect(disabled.items.map((d) => d.domain_name)).toEqual(["d.example.com"]);
      const enabled = (await runAction(domainList, ctx, { enabled: "true" })) as { items: unknown[] };
      expect(enabled.items.length).toBe(4);
    });

    test("a caller bound to a domain sees only that domain", async () => {
      const ctx = await fx.ctx({ domainUuid: uuids["c.example.com"]! });
      const page = (await runAction(domainList, ctx, {})) as { items: { domain_uuid: string }[] };
      expect(page.items.map((d) => d.domain_uuid)).toEqual([uuids["c.example.com"]!]);
    });

    test("legacy route: 200 with the page; a forged cursor or a limit over 1000 is a 400", async () => {
      const ctx = await fx.ctx();
      const ok = await runLegacyAction(domainList, ctx, { action: "domain-list", limit: "1" });
      expect(ok.status).toBe(200);
      expect((ok.body as { items: unknown[] }).items.length).toBe(1);
      expect(await runLegacyAction(domainList, ctx, { action: "domain-list", cursor: "bm9wZQ" })).toEqual({
        status: 400,
        body: { error: "invalid parameter: cursor" },
      });
      const forged = Buffer.from(JSON.stringify([1, "a.example.com", "1' or '1'='1"])).toString("base64url");
      expect(await runLegacyAction(domainList, ctx, { action: "domain-list", cursor: forged })).toEqual({
        status: 400,
        body: { error: "invalid parameter: cursor" },
      });
      expect(await runLegacyAction(domainList, ctx, { action: "domain-list", limit: 1001 })).toEqual({
        status: 400,
        body: { error: "invalid parameter: limit" },
      });
    });
  });
}
