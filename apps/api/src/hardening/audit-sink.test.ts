// One request with a malformed value must not switch the audit off for every request after it.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { DEMO_DOMAIN_UUID, DEMO_KEY_ID, DEMO_KEY_SECRET } from "@switchboard/db";
import { basic, type Harness, startHarness } from "../testing/harness.ts";
import { legacyPost } from "../testing/legacy-client.ts";

let h: Harness;
const auth = { Authorization: basic(DEMO_KEY_ID, DEMO_KEY_SECRET) };

beforeAll(async () => {
  h = await startHarness();
}, 60_000);
afterAll(async () => {
  await h?.close();
}, 30_000);

const audited = async (requestIds: string[]) => {
  await h.audit.flush();
  const rows = await h.db.sql<
    { request_id: string }[]
  >`select request_id from switchboard_audit where request_id = any(${requestIds}::text[]) order by request_id`;
  return rows.map((r) => r.request_id);
};

test("a domain_uuid of 36 hyphens (legacy) or 36 a's (tRPC) is answered, and later requests are still audited", async () => {
  const hyphens = await legacyPost(
    h.origin,
    JSON.stringify({ action: "domain-details", domain_uuid: "-".repeat(36) }),
    { ...auth, "X-Request-Id": "bad-legacy" },
  );
  expect(hyphens.status).toBeLessThan(500);
  const as = await fetch(
    `${h.origin}/trpc/domains.details?input=${encodeURIComponent(JSON.stringify({ domain_uuid: "a".repeat(36) }))}`,
    {
      headers: { ...auth, "X-Request-Id": "bad-trpc" },
    },
  );
  expect(as.status).toBeLessThan(500);
  await h.audit.flush();

  const later = ["later-1", "later-2", "later-3"];
  for (const id of later) {
    const r = await legacyPost(h.origin, JSON.stringify({ action: "domain-details", domain_uuid: DEMO_DOMAIN_UUID }), {
      ...auth,
      "X-Request-Id": id,
    });
    expect(r.status).toBe(200);
  }
  expect(await audited(later)).toEqual(later);
  expect(h.audit.stats?.()).toMatchObject({ buffered: 0 });
});
