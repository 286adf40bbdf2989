import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import type { AnyAction } from "../action.ts";
import { runAction } from "../execute.ts";
import { SCHEMA_VARIANTS, openOriginalFixture, type OriginalFixture } from "../fusionpbx/test-fixture.ts";
import { originalActions } from "../groups/original.ts";
import { actionsByName, actionsByPath } from "../registry.ts";

const EXPECTED = {
  "domain-details": ["domains.details", "read", "query"],
  "extension-list": ["extensions.list", "read", "query"],
  "extension-details": ["extensions.details", "read", "query"],
  "extension-create": ["extensions.create", "write", "mutation"],
  "destination-create": ["destinations.create", "write", "mutation"],
  "destination-details": ["destinations.details", "read", "query"],
  "ringgroup-create": ["ringGroups.create", "write", "mutation"],
  "cdr-list": ["cdr.list", "read", "query"],
} as const;

function registered(name: keyof typeof EXPECTED): AnyAction {
  const action = actionsByName.get(name);
  if (!action) throw new Error(`${name} is not in the registry`);
  return action;
}

test("the original's actions are registered under their legacy names and tRPC paths", () => {
  expect(originalActions.map((a) => a.name)).toEqual(Object.keys(EXPECTED));
  for (const [name, [path, scope, kind]] of Object.entries(EXPECTED)) {
    const action = registered(name as keyof typeof EXPECTED);
    expect([action.path, action.scope, action.kind]).toEqual([path, scope, kind]);
    expect(actionsByPath.get(path)).toBe(action);
    expect(action.legacy).toBeDefined();
  }
});

for (const variant of SCHEMA_VARIANTS) {
  describe(`a client session of the original's actions, through the registry, on ${variant}`, () => {
    let fx: OriginalFixture;
    beforeAll(async () => {
      fx = await openOriginalFixture(variant);
    }, 60_000);
    afterAll(async () => fx?.close(), 30_000);

    test("look up the domain, create an extension, route a number to it, group it, read everything back", async () => {
      const domain = await fx.legacy(registered("domain-details"), { domain_name: "pbx.example.com" });
      expect(domain.status).toBe(200);
      const domainUuid = (domain.body as { domain_uuid: string }).domain_uuid;

      const created = await fx.legacy(registered("extension-create"), { domain_uuid: domainUuid, extension: "100" });
      expect(created.status).toBe(200);
      const extensionUuid = (created.body as { extension_uuid: string }).extension_uuid;

      const list = await fx.legacy(registered("extension-list"), { domain_uuid: domainUuid });
      expect(list.body).toEqual([
        { extension_uuid: extensionUuid, extension: "100", emergency_caller_id_number: null },
      ]);

      const details = await fx.legacy(registered("extension-details"), {
        domain_uuid: domainUuid,
        extension_uuid: extensionUuid,
      });
      expect((details.body as { extension: string }).extension).toBe("100");

      expect(
        (
          await fx.legacy(registered("destination-create"), {
            domain_uuid: domainUuid,
            number: "15551230000",
            extension: "100",
          })
        ).status,
      ).toBe(200);
      const route = await fx.legacy(registered("destination-details"), { number: "15551230000" });
      expect((route.body as { destination_actions: unknown }).destination_actions).toEqual([
        { destination_app: "transfer", destination_data: "100 XML pbx.example.com" },
      ]);

      const group = await fx.legacy(registered("ringgroup-create"), {
        domain_uuid: domainUuid,
        name: "Everyone",
        extension: "700",
        strategy: "simultaneous",
        destinations: JSON.stringify([{ number: "100" }]),
      });
      expect(group.status).toBe(200);

      expect(await fx.legacy(registered("cdr-list"), { domain_uuid: domainUuid })).toEqual({
        status: 200,
        body: [],
        json: "[]",
      });

      // The typed face runs the same registry entries.
      const typed = registered("extension-details");
      const out = typed.output.parse(
        await runAction(typed, fx.ctx({ face: "trpc" }), { domain_uuid: domainUuid, extension: "100" }),
      );
      expect(out).toMatchObject({ extension_uuid: extensionUuid, enabled: true });
    });

    test("scopes: a read-only key cannot create", async () => {
      const reply = await fx.legacy(
        registered("extension-create"),
        { domain_uuid: fx.domain.uuid, extension: "101" },
        { scopes: new Set(["read"]) },
      );
      expect(reply.status).toBe(403);
      expect((await fx.rows("v_extensions", "extension", "101")).length).toBe(0);
    });
  });
}
