import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { migrate } from "@switchboard/db";
import type { z } from "zod";
import type { AnyAction } from "../action.ts";
import { runAction } from "../execute.ts";
import { type OriginalFixture, openOriginalFixture, SCHEMA_VARIANTS } from "../fusionpbx/test-fixture.ts";
import { insertRow } from "../fusionpbx/rows.ts";
import { actions } from "../registry.ts";

type Def = { type: string; shape?: Record<string, z.ZodType> };
const defOf = (schema: z.ZodType) => (schema as unknown as { _zod: { def: Def } })._zod.def;

/** How a list answers on the typed faces: a page (`items`, `nextCursor`) or a bare array; else not a list. */
function listKind(action: AnyAction): "page" | "array" | null {
  const def = defOf(action.output);
  if (def.type === "array") return "array";
  if (def.type === "object" && def.shape && "items" in def.shape && "nextCursor" in def.shape) return "page";
  return null;
}

const EMPTY_QUEUE = "9999";
/** Inputs that make each list come back empty: a domain with nothing in it, filters that match nothing. */
function emptyInput(action: AnyAction, domainUuid: string): Record<string, unknown> {
  const shape = defOf(action.input).shape ?? {};
  const input: Record<string, unknown> = {};
  if ("domain_uuid" in shape) input.domain_uuid = domainUuid;
  if ("search" in shape) input.search = "matches-nothing";
  if ("queue" in shape) input.queue = EMPTY_QUEUE;
  return input;
}

const lists = (actions as readonly AnyAction[]).filter((a) => listKind(a) !== null);

for (const variant of SCHEMA_VARIANTS) {
  describe(`empty results on ${variant}: one shape per action on each face`, () => {
    let fx: OriginalFixture;
    const empty = { uuid: crypto.randomUUID(), name: "empty.example.org" };
    beforeAll(async () => {
      fx = await openOriginalFixture(variant);
      // As at a server's start-up: Switchboard's own tables beside FusionPBX's (keys, audit, calls).
      await migrate(fx.db.sql);
      await insertRow(fx.db.sql, fx.schema, "v_domains", {
        domain_uuid: empty.uuid,
        domain_name: empty.name,
        domain_enabled: true,
      });
      fx.fake.setQueue(`${EMPTY_QUEUE}@${empty.name}`, []);
      fx.fake.setAgents([]);
      fx.fake.setRegistrations([]);
    }, 60_000);
    afterAll(async () => fx?.close(), 30_000);

    test("the registry's lists are found", () => {
      expect(lists.map((a) => a.name)).toEqual(
        expect.arrayContaining(["extension-list", "cdr-list", "domain-list", "key-list", "registrations"]),
      );
    });

    for (const action of lists) {
      test(`${action.name}: typed faces ${listKind(action) === "page" ? "{ items: [], nextCursor: null }" : "[]"}; the legacy route its own empty body`, async () => {
        // A key bound to the empty domain: lists that take no domain (keys, domains) answer for it alone.
        const caller = { domainUuid: empty.uuid };
        const input = emptyInput(action, empty.uuid);
        const raw = await runAction(action, fx.ctx(caller), input);
        const typed = action.output.parse(raw);
        expect(typed).toEqual(listKind(action) === "page" ? { items: [], nextCursor: null } : []);

        const legacy = await fx.legacy(action, input, caller);
        expect(legacy.status).toBe(200);
        // The legacy body of an empty result is the legacy spec's reshaping of the same empty output.
        expect(legacy.body).toEqual(action.legacy?.toBody ? action.legacy.toBody(raw) : raw);
      });
    }
  });
}
