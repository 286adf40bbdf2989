import { describe, expect, test } from "bun:test";
import { actionsByName } from "../registry.ts";
import { LEGACY_ANY_ACTION_STATUSES, legacyErrorStatuses } from "./legacy-contract.ts";

const statusesOf = (name: string) => legacyErrorStatuses(actionsByName.get(name)!);

describe("legacyErrorStatuses: what each action can answer on the legacy route besides 200", () => {
  test("every action answers the shared statuses, and never lists 200", () => {
    for (const action of actionsByName.values()) {
      const statuses = legacyErrorStatuses(action);
      for (const status of LEGACY_ANY_ACTION_STATUSES) expect(statuses).toContain(status);
      expect(statuses).not.toContain(200);
      expect(statuses).toEqual([...statuses].sort((a, b) => a - b));
    }
  });

  test("the original's 200 answers for a missing domain replace its 404", () => {
    // extension-list and cdr-list answered [] (and false for a malformed uuid) with HTTP 200.
    expect(statusesOf("extension-list")).toEqual([400, 401, 403, 413, 429, 500, 503]);
    expect(statusesOf("cdr-list")).not.toContain(404);
  });

  test("the domain rule's not-found, and the original's own status for it", () => {
    expect(statusesOf("domain-details")).toContain(404);
    // destination-create answered a missing domain with 400, and a taken number too.
    expect(statusesOf("destination-create")).not.toContain(404);
    expect(statusesOf("extension-create")).not.toContain(404);
  });

  test("conflicts only where a handler can answer one on this route", () => {
    expect(statusesOf("domain-create")).toContain(409);
    expect(statusesOf("domain-delete")).toContain(409);
    expect(statusesOf("ringgroup-update")).toContain(409);
    // idempotency keys, the only conflict of originate, are not among the legacy parameters.
    expect(statusesOf("originate")).not.toContain(409);
    expect(statusesOf("domain-details")).not.toContain(409);
  });
});
