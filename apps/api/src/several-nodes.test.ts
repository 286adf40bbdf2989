import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { createKey } from "@switchboard/core";
import { DEMO_DOMAIN_UUID, DEMO_KEY_ID, DEMO_KEY_SECRET, migrate, seedDemo } from "@switchboard/db";
import { createTestDatabase, type TestDatabase } from "@switchboard/db/testing";
import { type FakeSwitch, startFakeSwitch } from "@switchboard/esl/testing";
import { type ApiProcess, startApiProcess } from "./testing/api-process.ts";

// Two API processes on one PostgreSQL, as two nodes behind a load balancer: they share nothing else.
let db: TestDatabase;
let fake: FakeSwitch;
let nodeA: ApiProcess;
let nodeB: ApiProcess;

beforeAll(async () => {
  db = await createTestDatabase({ prefix: "sb_api_nodes" });
  await migrate(db.sql, { fusionpbx: "create-if-empty", onFusionpbxCreated: (tx) => seedDemo(tx) });
  fake = await startFakeSwitch();
  const env = {
    DATABASE_URL: db.url,
    HOST: "127.0.0.1",
    PORT: "0",
    SWITCHBOARD_WORKERS: "1",
    ESL_HOST: fake.host,
    ESL_PORT: String(fake.port),
    ESL_PASSWORD: fake.password,
  };
  [nodeA, nodeB] = await Promise.all([startApiProcess(env), startApiProcess(env)]);
}, 120_000);

afterAll(async () => {
  await Promise.all([nodeA?.stop(), nodeB?.stop()]);
  await fake?.stop();
  await db?.drop();
}, 60_000);

const bearer = (keyId: string, secret: string) => ({ authorization: `Bearer ${keyId}:${secret}` });

async function domainDetails(origin: string, keyId: string, secret: string): Promise<number> {
  const input = encodeURIComponent(JSON.stringify({ domain_uuid: DEMO_DOMAIN_UUID }));
  const response = await fetch(`${origin}/trpc/domains.details?input=${input}`, { headers: bearer(keyId, secret) });
  await response.arrayBuffer();
  return response.status;
}

describe("two API processes on one PostgreSQL", () => {
  test("a key revoked through one node stops working on the other", async () => {
    const { keyId, secret } = await createKey(db.sql, { name: "revoked across nodes", scopes: ["read"] });
    // Both nodes have verified (and cached) the key.
    expect(await domainDetails(nodeA.origin, keyId, secret)).toBe(200);
    expect(await domainDetails(nodeB.origin, keyId, secret)).toBe(200);
    const revoke = await fetch(`${nodeA.origin}/trpc/keys.revoke`, {
      method: "POST",
      headers: { ...bearer(DEMO_KEY_ID, DEMO_KEY_SECRET), "content-type": "application/json" },
      body: JSON.stringify({ key_uuid: keyId }),
    });
    expect(revoke.status).toBe(200);
    await revoke.arrayBuffer();
    // Node B hears of it (NOTIFY); wait for that, bounded by the test's timeout.
    let status = await domainDetails(nodeB.origin, keyId, secret);
    while (status === 200) status = await domainDetails(nodeB.origin, keyId, secret);
    expect(status).toBe(401);
    expect(await domainDetails(nodeA.origin, keyId, secret)).toBe(401);
  }, 30_000);

  test("an idempotency key used on both nodes at once places one call", async () => {
    const body = JSON.stringify({
      domain_uuid: DEMO_DOMAIN_UUID,
      caller_id_number: "100",
      ring_first: "101",
      connect_to: "5551234",
      idempotency_key: `nodes-${crypto.randomUUID()}`,
    });
    const originate = async (origin: string) => {
      const response = await fetch(`${origin}/trpc/calls.originate`, {
        method: "POST",
        headers: { ...bearer(DEMO_KEY_ID, DEMO_KEY_SECRET), "content-type": "application/json" },
        body,
      });
      expect(response.status).toBe(200);
      return ((await response.json()) as { result: { data: { call_uuid: string; replayed: boolean } } }).result.data;
    };
    const [a, b] = await Promise.all([originate(nodeA.origin), originate(nodeB.origin)]);
    expect(a.call_uuid).toBe(b.call_uuid);
    expect([a.replayed, b.replayed].sort()).toEqual([false, true]);
    const [calls] = await db.sql<
      { n: number }[]
    >`select count(*)::int as n from switchboard_calls where call_uuid = ${a.call_uuid}::uuid`;
    expect(calls?.n).toBe(1);
    const originates = fake.apiCommands().filter((c) => c.startsWith("originate") && c.includes(a.call_uuid));
    expect(originates).toHaveLength(1);
  }, 30_000);

  test("failed secrets on both nodes add up for the guessing address, and never lock the key", async () => {
    const { keyId, secret } = await createKey(db.sql, { name: "guessed across nodes", scopes: ["read"] });
    // The address limit is 30 failures in 5 minutes, all from 127.0.0.1 here (the revoke test above spent two):
    // wrong secrets alternate between the nodes until the address is refused.
    const [before] = await db.sql<
      { n: number }[]
    >`select count(*)::int as n from switchboard_auth_failures where limiter = 'address'`;
    for (let i = 0; i < 30 - before!.n; i++) {
      expect(await domainDetails(i % 2 === 0 ? nodeA.origin : nodeB.origin, keyId, `wrong-${i}`)).toBe(401);
    }
    // Now that address is refused on either node, even with the right secret, with a Retry-After.
    for (const origin of [nodeA.origin, nodeB.origin]) {
      const input = encodeURIComponent(JSON.stringify({ domain_uuid: DEMO_DOMAIN_UUID }));
      const response = await fetch(`${origin}/trpc/domains.details?input=${input}`, { headers: bearer(keyId, secret) });
      await response.arrayBuffer();
      expect(response.status).toBe(429);
      expect(Number(response.headers.get("retry-after"))).toBeGreaterThan(0);
    }
    const counted = await db.sql<
      { limiter: string; n: number }[]
    >`select limiter, count(*)::int as n from switchboard_auth_failures group by limiter`;
    expect([...counted]).toEqual([{ limiter: "address", n: 30 }]);
  }, 120_000);
});
