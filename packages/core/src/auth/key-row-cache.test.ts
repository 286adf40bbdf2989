import { afterAll, beforeAll, expect, test } from "bun:test";
import { createSql } from "@switchboard/db";
import { createTestDatabase, type TestDatabase } from "@switchboard/db/testing";
import { createAuthenticator } from "./authenticator.ts";
import { announceKeyChanged, listenForKeyChanges, onKeyChanged } from "./key-events.ts";
import { createKey, revokeKey } from "./keys.ts";

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase({ migrate: true });
}, 60_000);
afterAll(async () => {
  await db?.drop();
});

const credentials = (keyId: string, secret: string) => ({ keyId, secret });

test("a key row is reused for its TTL, so a change behind Switchboard's back takes effect when it expires", async () => {
  const { keyId, secret } = await createKey(db.sql, { name: "ttl" });
  let clock = 1_000_000;
  const auth = createAuthenticator(db.sql, { keyRowTtlMs: 1_000, slowAfterFailures: 0, now: () => clock });
  try {
    expect((await auth.authenticate(credentials(keyId, secret), "127.0.0.1")).ok).toBe(true);
    await db.sql`delete from rest_api_keys where key_uuid = ${keyId}::uuid`;
    clock += 500;
    expect((await auth.authenticate(credentials(keyId, secret), "127.0.0.1")).ok).toBe(true);
    clock += 600;
    expect(await auth.authenticate(credentials(keyId, secret), "127.0.0.1")).toEqual({
      ok: false,
      reason: "unauthorized",
    });
  } finally {
    auth.close();
  }
});

test("an expiry inside a cached row is checked against the clock on every request", async () => {
  const { keyId, secret } = await createKey(db.sql, {
    name: "expiring",
    expiresAt: new Date(Date.now() + 60_000).toISOString(),
  });
  let clock = Date.now();
  const auth = createAuthenticator(db.sql, { keyRowTtlMs: 3_600_000, slowAfterFailures: 0, now: () => clock });
  try {
    expect((await auth.authenticate(credentials(keyId, secret), "127.0.0.1")).ok).toBe(true);
    clock += 61_000;
    expect((await auth.authenticate(credentials(keyId, secret), "127.0.0.1")).ok).toBe(false);
  } finally {
    auth.close();
  }
});

test("a revoke in one process reaches another process's cache at once through NOTIFY", async () => {
  const { keyId, secret } = await createKey(db.sql, { name: "cross-process" });
  // The other process: its own pool, its own authenticator holding the row for an hour.
  const otherSql = createSql(db.url, { max: 2 });
  const stop = await listenForKeyChanges(otherSql);
  const other = createAuthenticator(otherSql, { keyRowTtlMs: 3_600_000, slowAfterFailures: 0 });
  try {
    expect((await other.authenticate(credentials(keyId, secret), "127.0.0.1")).ok).toBe(true);
    const heard = new Promise<void>((resolve) => {
      const off = onKeyChanged((id) => {
        if (id === keyId) {
          off();
          resolve();
        }
      });
    });
    // What revokeKey does in the first process, minus its in-process event: only NOTIFY can reach `other`.
    await db.sql.begin(async (tx) => {
      await tx`delete from rest_api_keys where key_uuid = ${keyId}::uuid`;
      await announceKeyChanged(tx, keyId);
    });
    await heard;
    expect(await other.authenticate(credentials(keyId, secret), "127.0.0.1")).toEqual({
      ok: false,
      reason: "unauthorized",
    });
  } finally {
    other.close();
    await stop();
    await otherSql.end({ timeout: 1 });
  }
});

test("revokeKey announces the change on the channel other processes listen to", async () => {
  const { keyId } = await createKey(db.sql, { name: "announced" });
  const listenerSql = createSql(db.url, { max: 1 });
  const received: string[] = [];
  const { unlisten } = await listenerSql.listen("switchboard_key_changed", (id) => received.push(id));
  try {
    expect(await revokeKey(db.sql, keyId)).toBe(true);
    for (let i = 0; i < 100 && !received.includes(keyId); i++) await Bun.sleep(20);
    expect(received).toContain(keyId);
  } finally {
    await unlisten();
    await listenerSql.end({ timeout: 1 });
  }
});

test("peek answers from memory only: never before a verification, and never once the key changed", async () => {
  const { keyId, secret } = await createKey(db.sql, { name: "peek" });
  let clock = 1_000_000;
  const auth = createAuthenticator(db.sql, { keyRowTtlMs: 1_000, slowAfterFailures: 0, now: () => clock });
  try {
    expect(auth.peek(credentials(keyId, secret), "127.0.0.1")).toBeUndefined();
    expect((await auth.authenticate(credentials(keyId, secret), "127.0.0.1")).ok).toBe(true);
    const remembered = auth.peek(credentials(keyId, secret), "127.0.0.1");
    expect(remembered?.ok).toBe(true);
    // A wrong secret, no credentials, or a key id that is no uuid: bcrypt or the refusal path must decide.
    expect(auth.peek(credentials(keyId, `${secret}x`), "127.0.0.1")).toBeUndefined();
    expect(auth.peek(null, "127.0.0.1")).toBeUndefined();
    expect(auth.peek(credentials("not-a-uuid", secret), "127.0.0.1")).toBeUndefined();
    // The row's reuse ran out: the database has to be asked again.
    clock += 1_001;
    expect(auth.peek(credentials(keyId, secret), "127.0.0.1")).toBeUndefined();
    expect((await auth.authenticate(credentials(keyId, secret), "127.0.0.1")).ok).toBe(true);
    expect(auth.peek(credentials(keyId, secret), "127.0.0.1")?.ok).toBe(true);
    // Revoked through Switchboard: forgotten at once.
    await revokeKey(db.sql, keyId);
    expect(auth.peek(credentials(keyId, secret), "127.0.0.1")).toBeUndefined();
    expect((await auth.authenticate(credentials(keyId, secret), "127.0.0.1")).ok).toBe(false);
  } finally {
    auth.close();
  }
});
