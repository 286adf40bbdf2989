import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { destinationCreate } from "../actions/destination-create.ts";
import { destinationUpdate } from "../actions/destination-update.ts";
import { ringGroupCreate } from "../actions/ringgroup-create.ts";
import { ringGroupUpdate } from "../actions/ringgroup-update.ts";
import type { ActionContext } from "../context.ts";
import { runAction } from "../execute.ts";
import { runLegacyAction } from "../legacy/run-legacy.ts";
import {
  addDestination,
  addDomain,
  addExtension,
  addRingGroup,
  FUSIONPBX_KINDS,
  type Fixture,
  openFixture,
  rejection,
} from "./test-fixture.ts";

/** Routing a number or naming a ring group refuses a number the domain already uses, on every face. */
for (const dump of FUSIONPBX_KINDS) {
  describe(`number clashes on ${dump}`, () => {
    let fx: Fixture;
    let legacy: ActionContext;
    let trpc: ActionContext;
    const a = { uuid: "", name: "a.example.com" };
    const b = { uuid: "", name: "b.example.com" };
    beforeAll(async () => {
      fx = await openFixture(dump);
      legacy = await fx.ctx({ face: "legacy" });
      trpc = await fx.ctx({ face: "trpc" });
      a.uuid = await addDomain(legacy, a.name);
      b.uuid = await addDomain(legacy, b.name);
      await addExtension(legacy, a, "100");
      await addExtension(legacy, a, "101", { number_alias: "7101" });
      await addRingGroup(legacy, a, "Sales", "600", ["100"]);
      await addDestination(legacy, a, "2065550100", "100");
    }, 60_000);
    afterAll(async () => fx?.db.drop(), 30_000);

    const count = async (table: string, column: string, value: string) =>
      (
        await legacy.sql.unsafe(`select 1 from ${table} where ${column} = $1 and domain_uuid = $2::uuid`, [
          value,
          a.uuid,
        ])
      ).length;

    test("destination-create refuses an extension's number, its alias, or a ring group's (legacy and tRPC)", async () => {
      for (const [number, owner] of [
        ["100", "an extension"],
        ["7101", "an extension"],
        ["600", "a ring group"],
      ] as const) {
        const reply = await runLegacyAction(destinationCreate, legacy, {
          action: "destination-create",
          domain_uuid: a.uuid,
          number,
          extension: "100",
        });
        expect(reply).toEqual({ status: 400, body: { error: `${number} is already ${owner} of this domain` } });
        expect(
          await rejection(runAction(destinationCreate, trpc, { domain_uuid: a.uuid, number, extension: "100" })),
        ).toMatchObject({ code: "CONFLICT", message: `${number} is already ${owner} of this domain` });
        expect(await count("v_destinations", "destination_number", number)).toBe(0);
      }
      // Another domain's extension 100 does not clash with this one's numbers, and a free number is routed.
      expect(
        (
          await runLegacyAction(destinationCreate, legacy, {
            action: "destination-create",
            domain_uuid: b.uuid,
            number: "100",
            extension: "200",
          })
        ).status,
      ).toBe(200);
      expect(
        await runAction(destinationCreate, trpc, { domain_uuid: a.uuid, number: "2065550101", extension: "101" }),
      ).toMatchObject({ row: { destination_number: "2065550101" } });
    });

    test("ringgroup-create refuses an extension's number or an inbound number (legacy and tRPC)", async () => {
      for (const [extension, owner] of [
        ["101", "an extension"],
        ["2065550100", "an inbound number"],
      ] as const) {
        const body = {
          domain_uuid: a.uuid,
          name: "Clash",
          extension,
          strategy: "simultaneous",
          destinations: [{ number: "100" }],
        };
        const reply = await runLegacyAction(ringGroupCreate, legacy, { action: "ringgroup-create", ...body });
        expect(reply).toEqual({ status: 400, body: { error: `${extension} is already ${owner} of this domain` } });
        expect(await rejection(runAction(ringGroupCreate, trpc, body))).toMatchObject({ code: "CONFLICT" });
        expect(await count("v_ring_groups", "ring_group_extension", extension)).toBe(0);
      }
      // The original's own answer for a second ring group on the same extension is unchanged.
      const again = await runLegacyAction(ringGroupCreate, legacy, {
        action: "ringgroup-create",
        domain_uuid: a.uuid,
        name: "Again",
        extension: "600",
        strategy: "simultaneous",
        destinations: [{ number: "100" }],
      });
      expect(again).toEqual({ status: 500, body: { error: "ring group already exists" } });
    });

    test("updates refuse a clashing new number and keep their own", async () => {
      const group = await addRingGroup(legacy, a, "Support", "610", ["100"]);
      expect(
        await rejection(runAction(ringGroupUpdate, trpc, { ring_group_uuid: group.ringGroupUuid, extension: "100" })),
      ).toMatchObject({ code: "CONFLICT", message: "100 is already an extension of this domain" });
      expect(await count("v_ring_groups", "ring_group_extension", "610")).toBe(1);
      const route = await addDestination(legacy, a, "2065550199", "100");
      expect(
        await rejection(runAction(destinationUpdate, trpc, { destination_uuid: route.destinationUuid, number: "610" })),
      ).toMatchObject({ code: "CONFLICT", message: "610 is already a ring group of this domain" });
      expect(
        await runAction(destinationUpdate, trpc, { destination_uuid: route.destinationUuid, number: "2065550198" }),
      ).toMatchObject({ row: { destination_number: "2065550198" } });
    });
  });
}
