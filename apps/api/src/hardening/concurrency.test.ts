// Races through the real HTTP faces: one number created 50 times at once exists once; 50 different
// extensions created at once all exist with their voicemail boxes, never half a pair.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { DEMO_DOMAIN_UUID, DEMO_KEY_ID, DEMO_KEY_SECRET } from "@switchboard/db";
import { basic, type Harness, startHarness } from "../testing/harness.ts";
import { legacyPost } from "../testing/legacy-client.ts";
import { legacyResponseProblem, trpcResponseProblem } from "./support.ts";

let h: Harness;
const auth = { Authorization: basic(DEMO_KEY_ID, DEMO_KEY_SECRET) };

beforeAll(async () => {
  h = await startHarness();
}, 60_000);
afterAll(async () => {
  await h?.close();
}, 30_000);

const destinationCreate = (number: string, extension = "100") =>
  legacyPost(
    h.origin,
    JSON.stringify({ action: "destination-create", domain_uuid: DEMO_DOMAIN_UUID, number, extension }),
    auth,
  );

describe("50 parallel destination-create of one number", () => {
  test("legacy route: exactly one 200, the others 'number already routed', one destination with one dialplan", async () => {
    const number = "12069990001";
    const replies = await Promise.all(Array.from({ length: 50 }, () => destinationCreate(number)));
    for (const r of replies) expect(legacyResponseProblem(r.status, r.text)).toBeNull();
    expect(replies.filter((r) => r.status === 200)).toHaveLength(1);
    const refused = replies.filter((r) => r.status !== 200);
    expect(new Set(refused.map((r) => `${r.status} ${r.text}`))).toEqual(
      new Set(['400 {"error":"number already routed"}']),
    );
    const rows = await h.db.sql<{ destination_uuid: string; dialplan_uuid: string }[]>`
        select destination_uuid::text, dialplan_uuid::text from v_destinations where destination_number = ${number}`;
    expect(rows).toHaveLength(1);
    const [dialplans] = await h.db.sql<
      { n: number }[]
    >`select count(*)::int as n from v_dialplans where dialplan_number = ${number}`;
    expect(dialplans!.n).toBe(1);
    const [details] = await h.db.sql<
      { n: number }[]
    >`select count(*)::int as n from v_dialplan_details where dialplan_uuid = ${rows[0]!.dialplan_uuid}`;
    expect(details!.n).toBe(2);
  }, 60_000);

  test("tRPC and legacy racing each other for one number: still exactly one row", async () => {
    const number = "12069990002";
    const trpc = () =>
      fetch(`${h.origin}/trpc/destinations.create`, {
        method: "POST",
        headers: { ...auth, "content-type": "application/json" },
        body: JSON.stringify({ domain_uuid: DEMO_DOMAIN_UUID, number, extension: "101" }),
      }).then(async (r) => ({ status: r.status, text: await r.text() }));
    const replies = await Promise.all(
      Array.from({ length: 50 }, (_, i) => (i % 2 ? trpc() : destinationCreate(number, "101"))),
    );
    const okCount = replies.filter((r) => r.status === 200).length;
    expect(okCount).toBe(1);
    for (const [i, r] of replies.entries()) {
      expect(i % 2 ? trpcResponseProblem(r.status, r.text) : legacyResponseProblem(r.status, r.text)).toBeNull();
    }
    const [count] = await h.db.sql<
      { n: number }[]
    >`select count(*)::int as n from v_destinations where destination_number = ${number}`;
    expect(count!.n).toBe(1);
  }, 60_000);
});

describe("50 parallel extension-create of different numbers", () => {
  test("all 50 answered 200, all 50 extensions exist, each with exactly one voicemail box", async () => {
    const numbers = Array.from({ length: 50 }, (_, i) => String(6000 + i));
    const replies = await Promise.all(
      numbers.map((extension) =>
        legacyPost(
          h.origin,
          JSON.stringify({ action: "extension-create", domain_uuid: DEMO_DOMAIN_UUID, extension }),
          auth,
        ),
      ),
    );
    expect(replies.filter((r) => r.status !== 200).map((r) => `${r.status} ${r.text}`)).toEqual([]);
    const rows = await h.db.sql<{ extension: string; extensions: number; voicemails: number }[]>`
        select n as extension,
               (select count(*)::int from v_extensions e where e.domain_uuid = ${DEMO_DOMAIN_UUID} and e.extension = n) as extensions,
               (select count(*)::int from v_voicemails v where v.domain_uuid = ${DEMO_DOMAIN_UUID} and v.voicemail_id = n) as voicemails
        from unnest(${numbers}::text[]) as n`;
    expect(rows.filter((r) => r.extensions !== 1 || r.voicemails !== 1)).toEqual([]);
    const uuids = new Set(replies.map((r) => (JSON.parse(r.text) as { extension_uuid: string }).extension_uuid));
    expect(uuids.size).toBe(50);
  }, 60_000);

  test("50 parallel creates of the same extension number: one row and one voicemail box", async () => {
    const replies = await Promise.all(
      Array.from({ length: 50 }, () =>
        legacyPost(
          h.origin,
          JSON.stringify({ action: "extension-create", domain_uuid: DEMO_DOMAIN_UUID, extension: "6100" }),
          auth,
        ),
      ),
    );
    for (const r of replies) expect(legacyResponseProblem(r.status, r.text)).toBeNull();
    expect(replies.filter((r) => r.status === 200)).toHaveLength(1);
    expect(new Set(replies.filter((r) => r.status !== 200).map((r) => `${r.status} ${r.text}`))).toEqual(
      new Set(['500 {"error":"extension already exists"}']),
    );
    const [row] = await h.db.sql<{ extensions: number; voicemails: number }[]>`
        select (select count(*)::int from v_extensions where domain_uuid = ${DEMO_DOMAIN_UUID} and extension = '6100') as extensions,
               (select count(*)::int from v_voicemails where domain_uuid = ${DEMO_DOMAIN_UUID} and voicemail_id = '6100') as voicemails`;
    expect(row).toEqual({ extensions: 1, voicemails: 1 });
  }, 60_000);
});
