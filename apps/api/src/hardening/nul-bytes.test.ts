// PostgreSQL refuses a NUL byte in text and jsonb: a NUL in any free-text field is refused up front with a
// 400 naming the field, never a 500 from the database.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { DEMO_DOMAIN_UUID, DEMO_EXTENSIONS, DEMO_KEY_ID, DEMO_KEY_SECRET } from "@switchboard/db";
import { basic, type Harness, startHarness } from "../testing/harness.ts";
import { legacyPost } from "../testing/legacy-client.ts";
import { rowCounts } from "./support.ts";

let h: Harness;
const auth = { Authorization: basic(DEMO_KEY_ID, DEMO_KEY_SECRET) };
const NUL = "a\u0000b";

beforeAll(async () => {
  h = await startHarness();
  h.fake.setOriginateOutcome({ kind: "answer" });
}, 60_000);
afterAll(async () => {
  await h?.close();
}, 30_000);

const originate = { domain_uuid: DEMO_DOMAIN_UUID, caller_id_number: "100", ring_first: "5401", connect_to: "101" };
const playback = { domain_uuid: DEMO_DOMAIN_UUID, caller_id_number: "100", number: "5402" };

/** [procedure, query or mutation, a valid input, the field that gets the NUL]. */
const TRPC_CASES: Array<[string, "query" | "mutation", Record<string, unknown>, string]> = [
  ["domains.list", "query", {}, "search"],
  ["extensions.list", "query", { domain_uuid: DEMO_DOMAIN_UUID }, "search"],
  ["destinations.list", "query", { domain_uuid: DEMO_DOMAIN_UUID }, "search"],
  ["ringGroups.list", "query", { domain_uuid: DEMO_DOMAIN_UUID }, "search"],
  ["audit.list", "query", {}, "action_name"],
  ["keys.create", "mutation", {}, "name"],
  ["extensions.create", "mutation", { domain_uuid: DEMO_DOMAIN_UUID, extension: "8801" }, "caller_id_name"],
  ["extensions.update", "mutation", { extension_uuid: DEMO_EXTENSIONS[0].extensionUuid }, "effective_caller_id_name"],
  ["calls.originate", "mutation", originate, "caller_id_name"],
  ["calls.originate", "mutation", originate, "idempotency_key"],
  ["calls.playback", "mutation", playback, "caller_id_name"],
  ["calls.playback", "mutation", playback, "idempotency_key"],
];

describe("a NUL byte in a text field is a 400 naming the field", () => {
  for (const [path, kind, base, field] of TRPC_CASES) {
    test(`tRPC ${path} ${field}`, async () => {
      const before = await rowCounts(h.db.sql);
      const input = { ...base, [field]: NUL };
      const res =
        kind === "query"
          ? await fetch(`${h.origin}/trpc/${path}?input=${encodeURIComponent(JSON.stringify(input))}`, {
              headers: auth,
            })
          : await fetch(`${h.origin}/trpc/${path}`, {
              method: "POST",
              headers: { ...auth, "content-type": "application/json" },
              body: JSON.stringify(input),
            });
      const body = (await res.json()) as { error?: { message: string; data: { code: string } } };
      expect([res.status, body.error?.data.code]).toEqual([400, "BAD_REQUEST"]);
      expect(body.error?.message).toContain(field);
      expect(body.error?.message).toContain("control characters");
      expect(await rowCounts(h.db.sql)).toEqual(before);
    });
  }

  const LEGACY_CASES: Array<[Record<string, unknown>, string]> = [
    [{ action: "domain-list", search: NUL }, "search"],
    [{ action: "key-create", name: NUL }, "name"],
    [
      { action: "extension-create", domain_uuid: DEMO_DOMAIN_UUID, extension: "8802", caller_id_name: NUL },
      "caller_id_name",
    ],
    [
      {
        action: "originate",
        domain_uuid: DEMO_DOMAIN_UUID,
        caller_id_number: "100",
        destination_a: "101",
        destination_b: "5403",
        caller_id_name: NUL,
      },
      "caller_id_name",
    ],
    [
      { action: "originate-playback-file", domain_uuid: DEMO_DOMAIN_UUID, cid: "100", to: "5404", caller_id_name: NUL },
      "caller_id_name",
    ],
  ];
  for (const [body, field] of LEGACY_CASES) {
    test(`legacy ${body.action} ${field}`, async () => {
      const before = await rowCounts(h.db.sql);
      const res = await legacyPost(h.origin, JSON.stringify(body), auth);
      expect(res.status).toBe(400);
      expect(res.text).toContain(field);
      expect(await rowCounts(h.db.sql)).toEqual(before);
      expect(h.fake.originates.filter((o) => /540[34]/.test(o.raw))).toEqual([]);
    });
  }
});
