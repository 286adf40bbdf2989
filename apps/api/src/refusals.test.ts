import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { connect } from "node:net";
import { createKey } from "@switchboard/core";
import { DEMO_DOMAIN_UUID, DEMO_KEY_ID, DEMO_KEY_SECRET } from "@switchboard/db";
import { LEGACY_PATH } from "./legacy/rest-php.ts";
import { parseTrustedProxies } from "./middleware/client-address.ts";
import { basic, type Harness, startHarness } from "./testing/harness.ts";

// Real PostgreSQL on a shared, loaded machine.
setDefaultTimeout(30_000);

let h: Harness;
const OTHER_DOMAIN = "7b0c5d2e-4f1a-4e8b-9c3d-1a2b3c4d5e6f";
const demo = basic(DEMO_KEY_ID, DEMO_KEY_SECRET);
let addressCounter = 0;
/** A fresh client address per test (loopback is a trusted proxy here), so each test reads only its own rows. */
const nextAddress = () => `198.51.100.${++addressCounter}`;

beforeAll(async () => {
  h = await startHarness({
    trustedProxies: parseTrustedProxies("127.0.0.1"),
    auth: { maxFailuresPerAddress: 3 },
    maxBodyBytes: 2048,
    maxBatchSize: 2,
  });
  await h.db
    .sql`insert into v_domains (domain_uuid, domain_name, domain_enabled) values (${OTHER_DOMAIN}::uuid, 'other.example.net', ${h.deps.schema.typeOf("v_domains", "domain_enabled") === "boolean" ? true : "true"})`;
}, 60_000);
afterAll(async () => {
  await h?.close();
}, 60_000);

interface Row {
  face: string;
  reason: string;
  key_uuid: string | null;
  count: number;
}

async function refusalsFrom(address: string): Promise<Row[]> {
  await h.deps.refusals!.flush();
  return h.db.sql<Row[]>`
    select face, reason, key_uuid::text as key_uuid, count from switchboard_refusals
    where address = ${address} order by face, reason, key_uuid nulls first`;
}

const legacy = (address: string, body: string, headers: Record<string, string> = {}) =>
  fetch(`${h.origin}${LEGACY_PATH}`, { method: "POST", body, headers: { "x-forwarded-for": address, ...headers } });
const trpc = (address: string, path: string, init: RequestInit = {}) =>
  fetch(`${h.origin}/trpc/${path}`, { ...init, headers: { "x-forwarded-for": address, ...init.headers } });

describe("refused requests are counted with the presented key id, the client address, the face and the reason", () => {
  test("legacy: no credentials, an unknown key id, a wrong secret", async () => {
    const address = nextAddress();
    const stranger = crypto.randomUUID();
    expect((await legacy(address, '{"action":"domain-list"}')).status).toBe(401);
    expect((await legacy(address, '{"action":"domain-list"}', { authorization: basic(stranger, "x") })).status).toBe(
      401,
    );
    expect(
      (await legacy(address, '{"action":"domain-list"}', { authorization: basic(DEMO_KEY_ID, "nope") })).status,
    ).toBe(401);
    const rows = await refusalsFrom(address);
    expect(rows).toEqual(
      [
        { face: "legacy", reason: "bad_credentials", key_uuid: stranger, count: 1 },
        { face: "legacy", reason: "bad_credentials", key_uuid: DEMO_KEY_ID, count: 1 },
        { face: "legacy", reason: "no_credentials", key_uuid: null, count: 1 },
      ].sort((a, b) => `${a.reason}${a.key_uuid ?? ""}`.localeCompare(`${b.reason}${b.key_uuid ?? ""}`)),
    );
  });

  test("the failure limiter's 429, counted per minute rather than per request", async () => {
    const address = nextAddress();
    for (let i = 0; i < 3; i++)
      await legacy(address, '{"action":"domain-list"}', { authorization: basic(DEMO_KEY_ID, `w${i}`) });
    for (let i = 0; i < 5; i++) {
      const r = await legacy(address, '{"action":"domain-list"}', { authorization: basic(DEMO_KEY_ID, "guess") });
      expect(r.status).toBe(429);
    }
    expect(await refusalsFrom(address)).toEqual([
      { face: "legacy", reason: "bad_credentials", key_uuid: DEMO_KEY_ID, count: 3 },
      { face: "legacy", reason: "rate_limited", key_uuid: DEMO_KEY_ID, count: 5 },
    ]);
  });

  test("legacy: malformed body, no action, unknown app, unknown action, body too large", async () => {
    const address = nextAddress();
    const auth = { authorization: demo };
    await legacy(address, "{not json", auth);
    await legacy(address, '{"domain_uuid":"x"}', auth);
    await legacy(address, '{"action":"domain-list","app":"xml_cdr"}', auth);
    await legacy(address, '{"action":"../../etc/passwd"}', auth);
    expect((await legacy(address, JSON.stringify({ action: "domain-list", pad: "x".repeat(4096) }), auth)).status).toBe(
      413,
    );
    expect((await legacy(address, '{"action":"domain-list"}', auth)).status).toBe(200);
    expect((await refusalsFrom(address)).map((r) => [r.reason, r.key_uuid, r.count])).toEqual([
      ["body_too_large", DEMO_KEY_ID, 1],
      ["malformed_body", DEMO_KEY_ID, 1],
      ["missing_action", DEMO_KEY_ID, 1],
      ["unknown_action", DEMO_KEY_ID, 1],
      ["unknown_app", DEMO_KEY_ID, 1],
    ]);
  });

  test("tRPC: bad credentials, unknown procedure, wrong method, a batch too large, a malformed body", async () => {
    const address = nextAddress();
    const auth = { authorization: demo };
    expect(
      (await trpc(address, "domains.list", { headers: { authorization: `Bearer ${DEMO_KEY_ID}:no` } })).status,
    ).toBe(401);
    expect((await trpc(address, "nothing.here", { headers: auth })).status).toBe(404);
    expect((await trpc(address, "extensions.create", { headers: auth })).status).toBe(405);
    expect((await trpc(address, "domains.list,domains.list,domains.list?batch=1", { headers: auth })).status).toBe(400);
    const malformed = await trpc(address, "extensions.create", {
      method: "POST",
      headers: { ...auth, "content-type": "application/json" },
      body: "{oops",
    });
    expect(malformed.status).toBe(400);
    expect((await refusalsFrom(address)).map((r) => [r.face, r.reason, r.key_uuid])).toEqual([
      ["trpc", "bad_credentials", DEMO_KEY_ID],
      ["trpc", "batch_too_large", DEMO_KEY_ID],
      ["trpc", "malformed_body", DEMO_KEY_ID],
      ["trpc", "method_not_allowed", DEMO_KEY_ID],
      ["trpc", "unknown_procedure", DEMO_KEY_ID],
    ]);
  });

  test("a malformed Host and wrong credentials on /health are counted too; the request log names the key", async () => {
    const address = nextAddress();
    const stranger = crypto.randomUUID();
    await new Promise<void>((resolve, reject) => {
      const socket = connect(h.server.port!, "127.0.0.1");
      socket.on("error", reject);
      socket.on("close", () => resolve());
      socket.resume();
      socket.write(
        `GET / HTTP/1.1\r\nHost: a b\r\nX-Forwarded-For: ${address}\r\nAuthorization: ${basic(stranger, "s")}\r\nConnection: close\r\n\r\n`,
      );
    });
    const health = await fetch(`${h.origin}/health`, {
      headers: {
        "x-forwarded-for": address,
        authorization: basic(stranger, "s"),
        "x-request-id": `refused-${stranger}`,
      },
    });
    expect(health.status).toBe(401);
    expect((await refusalsFrom(address)).map((r) => [r.face, r.reason, r.key_uuid])).toEqual([
      ["health", "bad_credentials", stranger],
      ["http", "bad_host", stranger],
    ]);
    const line = h.logs
      .map((l) => JSON.parse(l) as { request_id?: string; key_id?: string; refusal?: string; address?: string })
      .find((l) => l.request_id === `refused-${stranger}`);
    expect(line).toMatchObject({ key_id: stranger, refusal: "bad_credentials", address });
  });
});

describe("the console's sign-in", () => {
  test("a wrong secret and a form from another origin are counted under the console face", async () => {
    const address = nextAddress();
    const form = (secret: string, origin: string) =>
      fetch(`${h.origin}/console/sign-in`, {
        method: "POST",
        redirect: "manual",
        headers: { "x-forwarded-for": address, origin, "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({ key_id: DEMO_KEY_ID, secret }),
      });
    expect((await form("wrong", h.origin)).status).toBeGreaterThanOrEqual(400);
    expect((await form(DEMO_KEY_SECRET, "https://evil.example")).status).toBe(403);
    expect((await refusalsFrom(address)).map((r) => [r.face, r.reason, r.key_uuid])).toEqual([
      ["console", "bad_credentials", DEMO_KEY_ID],
      ["console", "csrf", null],
    ]);
  });
});

describe("refusal-list (audit.refusals)", () => {
  test("an unbound admin sees every refusal; a domain-bound admin only those of its domain's keys", async () => {
    const address = nextAddress();
    const mine = await createKey(h.db.sql, { name: "demo reader", domainUuid: DEMO_DOMAIN_UUID, scopes: ["read"] });
    const theirs = await createKey(h.db.sql, { name: "other reader", domainUuid: OTHER_DOMAIN, scopes: ["read"] });
    const admin = await createKey(h.db.sql, { name: "demo admin", domainUuid: DEMO_DOMAIN_UUID, scopes: ["admin"] });
    for (const key of [mine, theirs])
      await legacy(address, '{"action":"domain-list"}', { authorization: basic(key.keyId, "wrong") });
    await legacy(address, '{"action":"domain-list"}');
    await h.deps.refusals!.flush();

    const list = async (authorization: string) => {
      const r = await legacy(nextAddress(), JSON.stringify({ action: "refusal-list", limit: 500 }), { authorization });
      expect(r.status).toBe(200);
      const body = (await r.json()) as { items: Array<{ key_uuid: string | null; address: string; count: number }> };
      return body.items.filter((i) => i.address === address).map((i) => i.key_uuid);
    };
    expect((await list(demo)).sort()).toEqual([null, mine.keyId, theirs.keyId].sort());
    expect(await list(basic(admin.keyId, admin.secret))).toEqual([mine.keyId]);

    const typed = await trpc(
      nextAddress(),
      `audit.refusals?input=${encodeURIComponent(JSON.stringify({ reason: "no_credentials" }))}`,
      {
        headers: { authorization: demo },
      },
    );
    expect(typed.status).toBe(200);
    const items = ((await typed.json()) as { result: { data: { items: Array<{ reason: string; minute: string }> } } })
      .result.data.items;
    expect(items.length).toBeGreaterThan(0);
    expect(items.every((i) => i.reason === "no_credentials" && !Number.isNaN(Date.parse(i.minute)))).toBe(true);
  });

  test("pages with a cursor and refuses a reason it does not know", async () => {
    const pages: string[] = [];
    let cursor: string | null = null;
    do {
      const r = await legacy(
        nextAddress(),
        JSON.stringify({ action: "refusal-list", limit: 3, ...(cursor ? { cursor } : {}) }),
        { authorization: demo },
      );
      const body = (await r.json()) as { items: Array<{ refusal_uuid: string }>; nextCursor: string | null };
      pages.push(...body.items.map((i) => i.refusal_uuid));
      cursor = body.nextCursor;
    } while (cursor && pages.length < 200);
    expect(new Set(pages).size).toBe(pages.length);
    expect(pages.length).toBeGreaterThan(3);
    const bad = await legacy(nextAddress(), '{"action":"refusal-list","reason":"bored"}', { authorization: demo });
    expect(bad.status).toBe(400);
    expect(await bad.text()).toBe(`{"error":"invalid parameter: reason"}`);
  });
});
