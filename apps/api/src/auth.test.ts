import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { createAuthenticator, createKey, hashSecret } from "@switchboard/core";
import { DEMO_DOMAIN_UUID, DEMO_KEY_ID, DEMO_KEY_SECRET } from "@switchboard/db";
import { createApp } from "./app.ts";
import { LEGACY_PATH } from "./legacy/rest-php.ts";
import { basic, type Harness, startHarness } from "./testing/harness.ts";
import { legacyPost } from "./testing/legacy-client.ts";

let h: Harness;
const OTHER_DOMAIN = "9d8f6a2e-1c4b-4f7a-8e3d-2b5c6a7d8e9f";

beforeAll(async () => {
  h = await startHarness({ auth: { maxFailuresPerAddress: 1000 } });
  await h.db
    .sql`insert into v_domains (domain_uuid, domain_name, domain_enabled) values (${OTHER_DOMAIN}::uuid, 'other.example.net', ${h.deps.schema.typeOf("v_domains", "domain_enabled") === "boolean" ? true : "true"})`;
}, 60_000);
afterAll(async () => {
  await h?.close();
}, 30_000);

const keyList = (authorization: string) =>
  legacyPost(h.origin, '{"action":"key-list"}', { Authorization: authorization });

describe("PHP bcrypt keys", () => {
  test("a key whose $2y$10$ hash was made by another bcrypt implementation works, its wrong secret does not", async () => {
    const keyId = "7c0d8c51-2f3a-4b6e-9d1c-0a2b3c4d5e6f";
    const hash = (await Bun.password.hash("FusionPBXmadeThis123", { algorithm: "bcrypt", cost: 10 })).replace(
      /^\$2[ab]\$/,
      "$2y$",
    );
    await h.db
      .sql`insert into rest_api_keys (key_uuid, name, key_secret, created) values (${keyId}::uuid, 'from the UI', ${hash}, now())`;
    expect((await keyList(basic(keyId, "FusionPBXmadeThis123"))).status).toBe(200);
    expect((await keyList(basic(keyId, "FusionPBXmadeThis124"))).status).toBe(401);
  });

  test("keys we create are $2y$10$ hashes another implementation verifies", async () => {
    const r = await legacyPost(h.origin, '{"action":"key-create","name":"made here"}', {
      Authorization: basic(DEMO_KEY_ID, DEMO_KEY_SECRET),
    });
    expect(r.status).toBe(200);
    const created = JSON.parse(r.text) as { key_uuid: string; secret: string };
    const [row] = await h.db.sql<
      { key_secret: string }[]
    >`select key_secret from rest_api_keys where key_uuid = ${created.key_uuid}::uuid`;
    expect(row!.key_secret).toStartWith("$2y$10$");
    expect(await Bun.password.verify(created.secret, row!.key_secret)).toBe(true);
    expect(
      JSON.stringify(await h.db.sql`select * from switchboard_key_policies where key_uuid = ${created.key_uuid}::uuid`),
    ).not.toContain(created.secret);
  });

  test("key ids in the odd forms PostgreSQL accepts work", async () => {
    for (const id of [DEMO_KEY_ID.toUpperCase(), `{${DEMO_KEY_ID}}`, DEMO_KEY_ID.replaceAll("-", "")]) {
      expect([id, (await keyList(basic(id, DEMO_KEY_SECRET))).status]).toEqual([id, 200]);
    }
  });

  test("last_used is written, at most once a minute", async () => {
    // Every write of last_used is announced, so the test waits on the write itself rather than on a clock.
    await h.db.sql.unsafe(`
      create function announce_last_used() returns trigger language plpgsql as $$
      begin perform pg_notify('last_used', new.key_uuid::text || ' ' || coalesce(new.last_used::text, 'null')); return new; end $$;
      create trigger announce_last_used after update of last_used on rest_api_keys
      for each row execute function announce_last_used();`);
    const writes: string[] = [];
    const waiters: Array<{ match: (w: string) => boolean; resolve: () => void }> = [];
    const listener = await h.db.sql.listen("last_used", (payload) => {
      writes.push(payload);
      for (const w of waiters.filter((w) => w.match(payload))) w.resolve();
    });
    const written = (keyId: string, match: (lastUsed: string) => boolean) =>
      new Promise<void>((resolve) => {
        const test = (w: string) => w.startsWith(`${keyId} `) && match(w.slice(keyId.length + 1));
        if (writes.some(test)) resolve();
        else waiters.push({ match: test, resolve });
      });
    const byRequest = (lastUsed: string) => lastUsed !== "null" && !lastUsed.startsWith("2001-01-01");
    try {
      const key = await createKey(h.db.sql, { name: "touch", scopes: ["admin"] });
      await h.db.sql`update rest_api_keys set last_used = null where key_uuid = ${key.keyId}::uuid`;
      expect((await keyList(basic(key.keyId, key.secret))).status).toBe(200);
      await written(key.keyId, byRequest);
      const [first] = await h.db.sql<
        { last_used: string | null }[]
      >`select last_used from rest_api_keys where key_uuid = ${key.keyId}::uuid`;
      expect(first!.last_used).not.toBeNull();

      await h.db.sql`update rest_api_keys set last_used = '2001-01-01' where key_uuid = ${key.keyId}::uuid`;
      await written(key.keyId, (lastUsed) => lastUsed.startsWith("2001-01-01"));
      expect((await keyList(basic(key.keyId, key.secret))).status).toBe(200);
      // A key never used before is written at once; once its write is seen, one the request above would have
      // started before it would have been seen too.
      const later = await createKey(h.db.sql, { name: "touch later", scopes: ["admin"] });
      expect((await keyList(basic(later.keyId, later.secret))).status).toBe(200);
      await written(later.keyId, byRequest);
      expect(
        writes.filter((w) => w.startsWith(`${key.keyId} `) && byRequest(w.slice(key.keyId.length + 1))),
      ).toHaveLength(1);
      const [second] = await h.db.sql<
        { last_used: string }[]
      >`select last_used::text from rest_api_keys where key_uuid = ${key.keyId}::uuid`;
      expect(second!.last_used).toStartWith("2001-01-01");
    } finally {
      await listener.unlisten();
    }
  }, 30_000);
});

describe("policies", () => {
  test("a domain-bound key cannot see or act on another domain", async () => {
    const key = await createKey(h.db.sql, {
      name: "bound",
      domainUuid: DEMO_DOMAIN_UUID,
      scopes: ["read", "write", "admin"],
    });
    const auth = { Authorization: basic(key.keyId, key.secret) };
    const other = await legacyPost(
      h.origin,
      JSON.stringify({ action: "domain-details", domain_uuid: OTHER_DOMAIN }),
      auth,
    );
    expect(other.status).toBe(404);
    const byName = await legacyPost(
      h.origin,
      JSON.stringify({ action: "domain-details", domain_name: "other.example.net" }),
      auth,
    );
    expect(byName.status).toBe(404);
    const own = await legacyPost(
      h.origin,
      JSON.stringify({ action: "domain-details", domain_uuid: DEMO_DOMAIN_UUID }),
      auth,
    );
    expect(own.status).toBe(200);
    const foreignKey = await legacyPost(
      h.origin,
      JSON.stringify({ action: "key-create", name: "x", domain_uuid: OTHER_DOMAIN }),
      auth,
    );
    expect(foreignKey.status).toBe(404);
    const listed = JSON.parse((await legacyPost(h.origin, '{"action":"key-list"}', auth)).text) as {
      domain_uuid: string | null;
    }[];
    expect(listed.length).toBeGreaterThan(0);
    expect(listed.every((k) => k.domain_uuid === DEMO_DOMAIN_UUID)).toBe(true);
  });

  test("a key lacking a scope is refused with 403", async () => {
    const key = await createKey(h.db.sql, { name: "reader", scopes: ["read"] });
    const r = await keyList(basic(key.keyId, key.secret));
    expect([r.status, r.text]).toEqual([403, `{"error":"this key lacks the 'admin' scope"}`]);
  });

  test("expired and disabled keys fail", async () => {
    const expired = await createKey(h.db.sql, { name: "expired", scopes: ["admin"] });
    expect((await keyList(basic(expired.keyId, expired.secret))).status).toBe(200);
    await h.db
      .sql`update switchboard_key_policies set expires_at = now() - interval '1 second' where key_uuid = ${expired.keyId}::uuid`;
    expect((await keyList(basic(expired.keyId, expired.secret))).status).toBe(401);

    const disabled = await createKey(h.db.sql, { name: "disabled", scopes: ["admin"] });
    await h.db.sql`update switchboard_key_policies set disabled = true where key_uuid = ${disabled.keyId}::uuid`;
    expect((await keyList(basic(disabled.keyId, disabled.secret))).status).toBe(401);
  });

  test("SWITCHBOARD_REQUIRE_POLICY: a key without a policy row is refused", async () => {
    const strict = createApp({
      ...h.deps,
      authenticator: createAuthenticator(h.db.sql, { requirePolicy: true, slowAfterFailures: 0 }),
    });
    const call = (id: string, secret: string) =>
      strict.fetch(
        new Request(`http://127.0.0.1${LEGACY_PATH}`, {
          method: "POST",
          body: '{"action":"key-list"}',
          headers: { Authorization: basic(id, secret) },
        }),
      );
    expect((await call(DEMO_KEY_ID, DEMO_KEY_SECRET)).status).toBe(401);
    const withPolicy = await createKey(h.db.sql, { name: "policy", scopes: ["admin"] });
    expect((await call(withPolicy.keyId, withPolicy.secret)).status).toBe(200);
  });
});

describe("revocation and the verification cache", () => {
  test("a revoked key fails at once, whether revoked by the admin action or by another process", async () => {
    const admin = { Authorization: basic(DEMO_KEY_ID, DEMO_KEY_SECRET) };
    const a = await createKey(h.db.sql, { name: "revoke me", scopes: ["admin"] });
    expect((await keyList(basic(a.keyId, a.secret))).status).toBe(200);
    expect(
      h.authenticator.cache.has(
        a.keyId,
        (await h.db.sql`select key_secret from rest_api_keys where key_uuid = ${a.keyId}::uuid`)[0]!.key_secret,
        a.secret,
      ),
    ).toBe(true);
    const revoked = await legacyPost(
      h.origin,
      JSON.stringify({ action: "key-revoke", key_uuid: a.keyId.toUpperCase() }),
      admin,
    );
    expect(revoked.status).toBe(200);
    expect((await keyList(basic(a.keyId, a.secret))).status).toBe(401);

    const b = await createKey(h.db.sql, { name: "deleted elsewhere", scopes: ["admin"] });
    expect((await keyList(basic(b.keyId, b.secret))).status).toBe(200);
    await h.db.sql`delete from rest_api_keys where key_uuid = ${b.keyId}::uuid`;
    expect((await keyList(basic(b.keyId, b.secret))).status).toBe(401);
  });

  test("a changed secret stops the old one at once", async () => {
    const key = await createKey(h.db.sql, { name: "rotate", scopes: ["admin"] });
    expect((await keyList(basic(key.keyId, key.secret))).status).toBe(200);
    await h.db
      .sql`update rest_api_keys set key_secret = ${await hashSecret("the-new-secret-value", 4)} where key_uuid = ${key.keyId}::uuid`;
    expect((await keyList(basic(key.keyId, key.secret))).status).toBe(401);
    expect((await keyList(basic(key.keyId, "the-new-secret-value"))).status).toBe(200);
  });
});

describe("failed authentication is limited", () => {
  const limitedApp = (maxFailuresPerAddress: number) =>
    createApp({
      ...h.deps,
      authenticator: createAuthenticator(h.db.sql, { maxFailuresPerAddress, slowAfterFailures: 0, keyRowTtlMs: 0 }),
    });
  const legacyFrom = (app: ReturnType<typeof createApp>, address: string, authorization?: string) =>
    app.fetch(
      new Request(`http://127.0.0.1${LEGACY_PATH}`, {
        method: "POST",
        body: '{"action":"key-list"}',
        headers: authorization ? { Authorization: authorization } : {},
      }),
      { requestIP: () => ({ address }) },
    );

  test("wrong secrets for a known key id, from anywhere, never lock out its right secret", async () => {
    const app = limitedApp(3);
    const key = await createKey(h.db.sql, { name: "known id", scopes: ["admin"] });
    // Eight guessers, two wrong secrets each: under each address's limit, sixteen failures for the key.
    for (let i = 0; i < 8; i++) {
      for (let j = 0; j < 2; j++)
        expect((await legacyFrom(app, `127.0.10.${i + 1}`, basic(key.keyId, `wrong-${i}-${j}`))).status).toBe(401);
    }
    // The owner's secret, never verified before, from its own address: served.
    expect((await legacyFrom(app, "127.0.11.1", basic(key.keyId, key.secret))).status).toBe(200);
  }, 30_000);

  test("requests without credentials (or with a key id that is no uuid) never lock an address out for valid keys", async () => {
    const app = limitedApp(3);
    for (let i = 0; i < 40; i++) expect((await legacyFrom(app, "127.0.12.1")).status).toBe(401);
    for (let i = 0; i < 10; i++)
      expect((await legacyFrom(app, "127.0.12.1", basic("not-a-key-id", "x"))).status).toBe(401);
    expect((await legacyFrom(app, "127.0.12.1", basic(DEMO_KEY_ID, DEMO_KEY_SECRET))).status).toBe(200);
  });

  test("an unknown key id costs one bcrypt verification, like a wrong secret (no timing tell)", async () => {
    const hashes: string[] = [];
    const authenticator = createAuthenticator(h.db.sql, {
      slowAfterFailures: 0,
      verifySecret: async (secret, hash) => {
        hashes.push(hash);
        return Bun.password.verify(secret, hash.replace(/^\$2y\$/, "$2b$"));
      },
    });
    const unknown = await authenticator.authenticate({ keyId: crypto.randomUUID(), secret: "guess" }, "127.0.13.1");
    const known = await createKey(h.db.sql, { name: "timing", scopes: ["read"] });
    const wrong = await authenticator.authenticate({ keyId: known.keyId, secret: "guess" }, "127.0.13.1");
    expect([unknown, wrong]).toEqual([
      { ok: false, reason: "unauthorized" },
      { ok: false, reason: "unauthorized" },
    ]);
    expect(hashes).toHaveLength(2);
    // Both hashes are bcrypt at FusionPBX's cost 10, so both checks take as long.
    expect(hashes.map((hash) => hash.slice(0, 7))).toEqual(["$2y$10$", "$2y$10$"]);
    authenticator.close();
  });

  test("too many failures from one address: 429 there, other addresses unaffected (both faces)", async () => {
    const app = createApp({
      ...h.deps,
      authenticator: createAuthenticator(h.db.sql, { maxFailuresPerAddress: 3, slowAfterFailures: 0 }),
    });
    const from = (address: string, path: string, authorization: string) =>
      app.fetch(
        path === LEGACY_PATH
          ? new Request(`http://127.0.0.1${path}`, {
              method: "POST",
              body: '{"action":"key-list"}',
              headers: { Authorization: authorization },
            })
          : new Request(`http://127.0.0.1${path}`, { headers: { Authorization: authorization } }),
        { requestIP: () => ({ address }) },
      );
    for (let i = 0; i < 3; i++)
      expect((await from("127.0.0.2", LEGACY_PATH, basic(DEMO_KEY_ID, `nope${i}`))).status).toBe(401);
    const blocked = await from("127.0.0.2", LEGACY_PATH, basic(DEMO_KEY_ID, DEMO_KEY_SECRET));
    expect(blocked.status).toBe(429);
    expect(blocked.headers.get("retry-after")).toMatch(/^\d+$/);
    const trpc = await from("127.0.0.2", "/trpc/keys.list?input=%7B%7D", `Bearer ${DEMO_KEY_ID}:${DEMO_KEY_SECRET}`);
    expect(trpc.status).toBe(429);
    expect(trpc.headers.get("retry-after")).toMatch(/^\d+$/);
    expect((await from("127.0.0.3", LEGACY_PATH, basic(DEMO_KEY_ID, DEMO_KEY_SECRET))).status).toBe(200);
  }, 30_000);

  test("a parallel burst of guesses cannot get past the limit; a parallel burst of the right secret is served", async () => {
    const key = await createKey(h.db.sql, { name: "burst", scopes: ["admin"] });
    const limited = limitedApp(4);
    const guesses = await Promise.all(
      Array.from({ length: 30 }, (_, i) => legacyFrom(limited, "127.0.14.1", basic(key.keyId, `burst-guess-${i}`))),
    );
    const statuses = guesses.map((g) => g.status);
    expect(statuses.filter((s) => s === 401).length).toBeLessThanOrEqual(4);
    expect(statuses.filter((s) => s !== 401 && s !== 429)).toEqual([]);

    const app = createApp({
      ...h.deps,
      authenticator: createAuthenticator(h.db.sql, { maxFailuresPerAddress: 2, slowAfterFailures: 0 }),
    });
    const fresh = await createKey(h.db.sql, { name: "fresh burst", scopes: ["admin"] });
    const burst = await Promise.all(
      Array.from({ length: 20 }, () =>
        app.fetch(
          new Request(`http://127.0.0.1${LEGACY_PATH}`, {
            method: "POST",
            body: '{"action":"key-list"}',
            headers: { Authorization: basic(fresh.keyId, fresh.secret) },
          }),
          {
            requestIP: () => ({ address: "127.0.0.4" }),
          },
        ),
      ),
    );
    expect(burst.map((r) => r.status)).toEqual(Array.from({ length: 20 }, () => 200));
  }, 30_000);
});
