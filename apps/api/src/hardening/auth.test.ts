// Authentication under attack, each case with its exact answer on both faces: wrong secrets, unknown and
// oddly written key ids, revoked/expired/disabled keys, scope and domain violations, brute force → 429
// without locking out other clients.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { createKey } from "@switchboard/core";
import { DEMO_DOMAIN_UUID, DEMO_EXTENSIONS, DEMO_KEY_ID, DEMO_KEY_SECRET } from "@switchboard/db";
import { LEGACY_PATH } from "../legacy/rest-php.ts";
import { basic, type Harness, startHarness } from "../testing/harness.ts";
import { legacyPost } from "../testing/legacy-client.ts";
import { requestFrom, rowCounts } from "./support.ts";

let h: Harness;
const OTHER_DOMAIN = "6b1f3c1e-2d4a-4b7c-9e8f-0a1b2c3d4e5f";
const UNAUTHORIZED = [401, '{"error":"unauthorized"}'];
const DOMAIN_DETAILS = JSON.stringify({ action: "domain-details", domain_uuid: DEMO_DOMAIN_UUID });

beforeAll(async () => {
  h = await startHarness();
  await h.db
    .sql`insert into v_domains (domain_uuid, domain_name, domain_enabled) values (${OTHER_DOMAIN}, 'other.example.test', true)`;
}, 60_000);
afterAll(async () => {
  await h?.close();
}, 30_000);

const legacyAs = (authorization: string | null, body = DOMAIN_DETAILS) =>
  legacyPost(h.origin, body, authorization ? { Authorization: authorization } : {});

async function trpcAs(
  authorization: string | null,
  path = "domains.details",
  input: unknown = { domain_uuid: DEMO_DOMAIN_UUID },
) {
  const res = await fetch(`${h.origin}/trpc/${path}?input=${encodeURIComponent(JSON.stringify(input))}`, {
    headers: authorization ? { authorization } : {},
  });
  const text = await res.text();
  const code = (JSON.parse(text) as { error?: { data?: { code?: string } } }).error?.data?.code ?? null;
  return { status: res.status, code, text, retryAfter: res.headers.get("retry-after") };
}

describe("credentials", () => {
  test("the right key and secret: 200 on both faces (Basic, and Bearer on tRPC)", async () => {
    expect((await legacyAs(basic(DEMO_KEY_ID, DEMO_KEY_SECRET))).status).toBe(200);
    expect((await trpcAs(basic(DEMO_KEY_ID, DEMO_KEY_SECRET))).status).toBe(200);
    expect((await trpcAs(`Bearer ${DEMO_KEY_ID}:${DEMO_KEY_SECRET}`)).status).toBe(200);
  });

  test.each([
    ["a wrong secret", basic(DEMO_KEY_ID, "wrong-secret-000000")],
    ["an empty secret", basic(DEMO_KEY_ID, "")],
    ["the secret with a trailing space", basic(DEMO_KEY_ID, `${DEMO_KEY_SECRET} `)],
    ["the stored hash as the secret", null],
    ["an unknown key id", basic("0b7b5f0e-8d4c-4e0a-9a55-2f1e6c3d9b10", DEMO_KEY_SECRET)],
    ["a key id that is no uuid", basic("admin", DEMO_KEY_SECRET)],
    ["an unbalanced brace", basic(`{${DEMO_KEY_ID}`, DEMO_KEY_SECRET)],
    ["a key id with spaces", basic(` ${DEMO_KEY_ID}`, DEMO_KEY_SECRET)],
    ["no credentials", ""],
    ["Bearer on the legacy route", `Bearer ${DEMO_KEY_ID}:${DEMO_KEY_SECRET}`],
  ])("%s: legacy 401 unauthorized, tRPC UNAUTHORIZED", async (_name, given) => {
    let authorization = given;
    if (authorization === null) {
      const [row] = await h.db.sql<
        { key_secret: string }[]
      >`select key_secret from rest_api_keys where key_uuid = ${DEMO_KEY_ID}::uuid`;
      authorization = basic(DEMO_KEY_ID, row!.key_secret);
    }
    const legacy = await legacyAs(authorization || null);
    expect([legacy.status, legacy.text]).toEqual(UNAUTHORIZED);
    if (!authorization.startsWith("Bearer")) {
      const trpc = await trpcAs(authorization || null);
      expect([trpc.status, trpc.code]).toEqual([401, "UNAUTHORIZED"]);
    }
  });

  test.each([
    ["upper case", DEMO_KEY_ID.toUpperCase()],
    ["braces", `{${DEMO_KEY_ID}}`],
    ["no hyphens", DEMO_KEY_ID.replaceAll("-", "")],
    ["upper case in braces", `{${DEMO_KEY_ID.toUpperCase()}}`],
  ])("a key id written in %s is the same key (PostgreSQL's lenient uuid input, as the original)", async (_name, id) => {
    const legacy = await legacyAs(basic(id, DEMO_KEY_SECRET));
    expect(legacy.status).toBe(200);
    expect(JSON.parse(legacy.text).domain_uuid).toBe(DEMO_DOMAIN_UUID);
    expect((await trpcAs(basic(id, DEMO_KEY_SECRET))).status).toBe(200);
  });
});

describe("key lifecycle", () => {
  test("revoked through key-revoke: refused on the very next request, although it was cached", async () => {
    const key = await createKey(h.db.sql, { name: "to revoke", scopes: ["read"] });
    const auth = basic(key.keyId, key.secret);
    expect((await legacyAs(auth)).status).toBe(200);
    expect((await trpcAs(auth)).status).toBe(200);
    const revoke = await legacyAs(
      basic(DEMO_KEY_ID, DEMO_KEY_SECRET),
      JSON.stringify({ action: "key-revoke", key_uuid: key.keyId }),
    );
    expect(revoke.status).toBe(200);
    const legacy = await legacyAs(auth);
    expect([legacy.status, legacy.text]).toEqual(UNAUTHORIZED);
    expect((await trpcAs(auth)).code).toBe("UNAUTHORIZED");
  });

  test("deleted in FusionPBX's UI (a plain DELETE on rest_api_keys): refused on the next request", async () => {
    const key = await createKey(h.db.sql, { name: "deleted in fusionpbx", scopes: ["read"] });
    const auth = basic(key.keyId, key.secret);
    expect((await legacyAs(auth)).status).toBe(200);
    await h.db.sql`delete from rest_api_keys where key_uuid = ${key.keyId}::uuid`;
    expect([(await legacyAs(auth)).status, (await legacyAs(auth)).text]).toEqual(UNAUTHORIZED);
  });

  test("expired: refused from the start, and a key that expires while cached is refused at once", async () => {
    const past = await createKey(h.db.sql, { name: "expired", scopes: ["read"], expiresAt: "2020-01-01T00:00:00Z" });
    expect([
      (await legacyAs(basic(past.keyId, past.secret))).status,
      (await legacyAs(basic(past.keyId, past.secret))).text,
    ]).toEqual(UNAUTHORIZED);
    const soon = await createKey(h.db.sql, {
      name: "expires",
      scopes: ["read"],
      expiresAt: new Date(Date.now() + 3_600_000).toISOString(),
    });
    const auth = basic(soon.keyId, soon.secret);
    expect((await legacyAs(auth)).status).toBe(200);
    await h.db
      .sql`update switchboard_key_policies set expires_at = now() - interval '1 second' where key_uuid = ${soon.keyId}::uuid`;
    const legacy = await legacyAs(auth);
    expect([legacy.status, legacy.text]).toEqual(UNAUTHORIZED);
    expect((await trpcAs(auth)).code).toBe("UNAUTHORIZED");
  });

  test("disabled: refused at once, usable again when re-enabled", async () => {
    const key = await createKey(h.db.sql, { name: "disabled", scopes: ["read"] });
    const auth = basic(key.keyId, key.secret);
    expect((await legacyAs(auth)).status).toBe(200);
    await h.db.sql`update switchboard_key_policies set disabled = true where key_uuid = ${key.keyId}::uuid`;
    expect([(await legacyAs(auth)).status, (await legacyAs(auth)).text]).toEqual(UNAUTHORIZED);
    await h.db.sql`update switchboard_key_policies set disabled = false where key_uuid = ${key.keyId}::uuid`;
    expect((await legacyAs(auth)).status).toBe(200);
  });
});

describe("scope and domain violations", () => {
  test("a read-only key cannot write or call: 403 naming the scope, nothing written, no call", async () => {
    const key = await createKey(h.db.sql, { name: "read only", scopes: ["read"] });
    const auth = basic(key.keyId, key.secret);
    const before = await rowCounts(h.db.sql);
    const originates = h.fake.originates.length;
    const create = await legacyAs(
      auth,
      JSON.stringify({ action: "extension-create", domain_uuid: DEMO_DOMAIN_UUID, extension: "4321" }),
    );
    expect([create.status, create.text]).toEqual([403, `{"error":"this key lacks the 'write' scope"}`]);
    const call = await legacyAs(
      auth,
      JSON.stringify({
        action: "originate",
        domain_uuid: DEMO_DOMAIN_UUID,
        caller_id_number: "100",
        destination_a: "101",
        destination_b: "100",
      }),
    );
    expect([call.status, call.text]).toEqual([403, `{"error":"this key lacks the 'calls' scope"}`]);
    const admin = await legacyAs(auth, JSON.stringify({ action: "key-list" }));
    expect([admin.status, admin.text]).toEqual([403, `{"error":"this key lacks the 'admin' scope"}`]);
    const trpc = await fetch(`${h.origin}/trpc/extensions.create`, {
      method: "POST",
      headers: { authorization: auth, "content-type": "application/json" },
      body: JSON.stringify({ domain_uuid: DEMO_DOMAIN_UUID, extension: "4322" }),
    });
    const trpcBody = (await trpc.json()) as { error: { data: { code: string } } };
    expect([trpc.status, trpcBody.error.data.code]).toEqual([403, "FORBIDDEN"]);
    expect(await rowCounts(h.db.sql)).toEqual(before);
    expect(h.fake.originates.length).toBe(originates);
  });

  test("a key bound to another domain sees nothing of this one: not found, not forbidden, nothing written", async () => {
    const key = await createKey(h.db.sql, {
      name: "other tenant",
      domainUuid: OTHER_DOMAIN,
      scopes: ["read", "write", "calls"],
    });
    const auth = basic(key.keyId, key.secret);
    const before = await rowCounts(h.db.sql);
    const details = await legacyAs(auth);
    expect([details.status, details.text]).toEqual([404, '{"error":"domain not found"}']);
    const byName = await legacyAs(
      auth,
      JSON.stringify({ action: "domain-details", domain_name: "fusionpbx.example.net" }),
    );
    expect([byName.status, byName.text]).toEqual([404, '{"error":"domain not found"}']);
    const list = await legacyAs(auth, JSON.stringify({ action: "extension-list", domain_uuid: DEMO_DOMAIN_UUID }));
    for (const ext of DEMO_EXTENSIONS) expect(list.text).not.toContain(ext.extensionUuid);
    const create = await legacyAs(
      auth,
      JSON.stringify({ action: "extension-create", domain_uuid: DEMO_DOMAIN_UUID, extension: "4323" }),
    );
    expect(JSON.parse(create.text)).toEqual({ error: "domain not found" });
    const trpc = await trpcAs(auth);
    expect([trpc.status, trpc.code]).toEqual([404, "NOT_FOUND"]);
    expect(await rowCounts(h.db.sql)).toEqual(before);
  });
});

describe("brute force", () => {
  test("a burst of wrong secrets from one address ends in 429 with Retry-After, while other clients keep being served", async () => {
    const attacker = "127.0.0.2";
    const url = h.origin + LEGACY_PATH;
    const goodAuth = { authorization: basic(DEMO_KEY_ID, DEMO_KEY_SECRET) };
    // Verified once, so the legitimate client's requests need no bcrypt.
    expect((await requestFrom("127.0.0.3", url, { headers: goodAuth, body: DOMAIN_DETAILS })).status).toBe(200);
    const [attempts, legitimate] = await Promise.all([
      Promise.all(
        Array.from({ length: 60 }, (_, i) =>
          requestFrom(attacker, url, {
            headers: { authorization: basic(DEMO_KEY_ID, `guess-${i}`) },
            body: DOMAIN_DETAILS,
          }),
        ),
      ),
      Promise.all(
        Array.from({ length: 5 }, () => requestFrom("127.0.0.3", url, { headers: goodAuth, body: DOMAIN_DETAILS })),
      ),
    ]);
    expect(legitimate.map((r) => r.status)).toEqual([200, 200, 200, 200, 200]);
    const statuses = attempts.map((a) => a.status);
    expect(statuses.filter((s) => s !== 401 && s !== 429)).toEqual([]);
    const limited = attempts.find((a) => a.status === 429);
    expect(limited?.text).toBe('{"error":"too many failed authentication attempts"}');
    expect(Number(limited?.headers["retry-after"])).toBeGreaterThan(0);
    // The attacker's address is refused even with the right secret; everyone else is not.
    const sameAddress = await requestFrom(attacker, url, {
      headers: { authorization: basic(DEMO_KEY_ID, DEMO_KEY_SECRET) },
      body: DOMAIN_DETAILS,
    });
    expect(sameAddress.status).toBe(429);
    const other = await requestFrom("127.0.0.3", url, {
      headers: { authorization: basic(DEMO_KEY_ID, DEMO_KEY_SECRET) },
      body: DOMAIN_DETAILS,
    });
    expect(other.status).toBe(200);
    const trpc = await requestFrom(
      attacker,
      `${h.origin}/trpc/domains.details?input=${encodeURIComponent(JSON.stringify({ domain_uuid: DEMO_DOMAIN_UUID }))}`,
      {
        method: "GET",
        headers: { authorization: basic(DEMO_KEY_ID, DEMO_KEY_SECRET) },
      },
    );
    expect(trpc.status).toBe(429);
    expect(JSON.parse(trpc.text).error.data.code).toBe("TOO_MANY_REQUESTS");
    expect(Number(trpc.headers["retry-after"])).toBeGreaterThan(0);
  });

  test("guessing one key's secret from many addresses never locks the key: its owner's secret, new to the server, still works", async () => {
    const key = await createKey(h.db.sql, { name: "under attack", scopes: ["read"] });
    const url = h.origin + LEGACY_PATH;
    const attempts = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        requestFrom(`127.0.1.${i + 1}`, url, {
          headers: { authorization: basic(key.keyId, `guess-${i}`) },
          body: DOMAIN_DETAILS,
        }),
      ),
    );
    expect(attempts.map((a) => a.status)).toEqual(Array.from({ length: 12 }, () => 401));
    const owner = await requestFrom("127.0.0.10", url, {
      headers: { authorization: basic(key.keyId, key.secret) },
      body: DOMAIN_DETAILS,
    });
    expect(owner.status).toBe(200);
  }, 30_000);
});
