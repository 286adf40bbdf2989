import { createHash } from "node:crypto";
import type { Sql } from "@switchboard/db";
import { SCOPES, type Scope } from "../scope.ts";
import type { PresentedCredentials } from "./credentials.ts";
import { parseKeyId } from "./key-id.ts";
import { createSharedFailureLimiter, type SharedFailureLimiter } from "./shared-failure-limiter.ts";
import { onKeyChanged } from "./key-events.ts";
import { loadKey, type StoredKey, touchLastUsed } from "./key-store.ts";
import { generateSecret, hashSecret, verifySecret as bcryptVerify } from "./secret.ts";
import { createVerificationCache, type VerificationCache } from "./verification-cache.ts";

export interface AuthenticatedKey {
  keyId: string;
  /** Bound domain, or null for every domain. */
  domainUuid: string | null;
  scopes: ReadonlySet<Scope>;
}

export type AuthOutcome =
  | { ok: true; key: AuthenticatedKey }
  | { ok: false; reason: "unauthorized" }
  | { ok: false; reason: "rate_limited"; retryAfterSeconds: number };

export interface AuthenticatorOptions {
  /** SWITCHBOARD_REQUIRE_POLICY=1: a key without a policy row is refused instead of acting like the original's. */
  requirePolicy?: boolean;
  cacheTtlMs?: number;
  /**
   * How long a loaded key row (hash, policy) is reused. Changes made through Switchboard reach every process
   * at once (in-process events and PostgreSQL NOTIFY); changes made behind its back (FusionPBX's UI deleting
   * a key, hand-written SQL) take effect within this time. 0 reads the row on every request.
   */
  keyRowTtlMs?: number;
  /**
   * Wrong secrets (and unknown key ids) per client address in `failureWindowMs` before that address gets
   * 429. The counts are kept in PostgreSQL, so they hold across API workers and nodes (see
   * shared-failure-limiter.ts). Only the guessing address is refused: a key id is never locked, so knowing
   * one locks nobody out, and requests without credentials are never counted.
   */
  maxFailuresPerAddress?: number;
  failureWindowMs?: number;
  /** Failures after which each further failed attempt is answered more slowly (0 disables slowing). */
  slowAfterFailures?: number;
  slowStepMs?: number;
  lastUsedIntervalMs?: number;
  now?: () => number;
  /** bcrypt checks one address may have running at once (default 4); more are answered 429 at once. */
  maxConcurrentPerAddress?: number;
  /** The bcrypt check (tests count its calls); PHP's password_verify by default. */
  verifySecret?: (secret: string, hash: string) => Promise<boolean>;
}

export interface Authenticator {
  /** Checks presented credentials from `address`. Throws only when the database cannot be reached. */
  authenticate(credentials: PresentedCredentials | null, address: string): Promise<AuthOutcome>;
  /**
   * What a key verified earlier (a console session's) may do now: its current domain binding and scopes, or
   * null once it is revoked, disabled, expired or refused by `requirePolicy`. No secret is checked.
   */
  standing(keyId: string): Promise<AuthenticatedKey | null>;
  /**
   * The answer `authenticate` would give, when it needs nothing but memory (a key row read within
   * `keyRowTtlMs` and a secret verified within the cache TTL); undefined when it would have to wait for the
   * database or bcrypt. Lets a caller skip the deadline timer it puts around the slow path.
   */
  peek(credentials: PresentedCredentials | null, address: string): AuthOutcome | undefined;
  readonly cache: VerificationCache;
  /** Stops listening for key changes. */
  close(): void;
}

const UNAUTHORIZED: AuthOutcome = { ok: false, reason: "unauthorized" };

export function createAuthenticator(sql: Sql, options: AuthenticatorOptions = {}): Authenticator {
  const now = options.now ?? Date.now;
  const windowMs = options.failureWindowMs ?? 5 * 60_000;
  const byAddress: SharedFailureLimiter = createSharedFailureLimiter(sql, {
    name: "address",
    maxFailures: options.maxFailuresPerAddress ?? 30,
    windowMs,
    now,
  });
  const verifySecret = options.verifySecret ?? bcryptVerify;
  // An unknown key id is checked against this hash, so it costs what a wrong secret costs (no timing tell).
  let dummyHash: Promise<string> | null = null;
  const unknownKeyRows = async (keyId: string): Promise<StoredKey[]> => {
    dummyHash ??= hashSecret(generateSecret(32));
    return [
      {
        keyId,
        secretHash: await dummyHash,
        hasPolicy: false,
        domainUuid: null,
        scopes: [],
        expiresAtMs: null,
        disabled: true,
      },
    ];
  };
  const cache = createVerificationCache({ ttlMs: options.cacheTtlMs ?? 60_000, now });
  const lastUsedIntervalMs = options.lastUsedIntervalMs ?? 60_000;
  const lastTouched = new Map<string, number>();
  const slowAfter = options.slowAfterFailures ?? 3;
  const slowStepMs = options.slowStepMs ?? 250;
  const keyRowTtlMs = options.keyRowTtlMs ?? 1_000;
  const keyRows = new Map<string, { rows: StoredKey[]; loadedAt: number }>();
  const keyRowLoads = new Map<string, Promise<StoredKey[]>>();
  const stopListening = onKeyChanged((keyId) => {
    cache.forget(keyId);
    keyRows.delete(keyId);
    keyRowLoads.delete(keyId);
    lastTouched.delete(keyId);
  });

  /** The key's rows, reused for `keyRowTtlMs`; concurrent requests for one key share one query. */
  const rowsOf = (keyId: string): Promise<StoredKey[]> => {
    const cached = keyRows.get(keyId);
    if (cached && now() - cached.loadedAt < keyRowTtlMs) return Promise.resolve(cached.rows);
    const pending = keyRowLoads.get(keyId);
    if (pending) return pending;
    const load = loadKey(sql, keyId)
      .then((rows) => {
        if (keyRowTtlMs > 0 && keyRowLoads.get(keyId) === load) {
          keyRows.set(keyId, { rows, loadedAt: now() });
          if (keyRows.size > 10_000) keyRows.delete(keyRows.keys().next().value!);
        }
        return rows;
      })
      .finally(() => {
        if (keyRowLoads.get(keyId) === load) keyRowLoads.delete(keyId);
      });
    keyRowLoads.set(keyId, load);
    return load;
  };

  const flights = new Map<string, Promise<StoredKey | null>>();
  const admittedKeys = new WeakMap<StoredKey, AuthenticatedKey>();
  // bcrypt checks one address may have running at once; more are refused (429), so a burst of guesses
  // from one place cannot occupy every bcrypt worker.
  const maxVerifyingPerAddress = options.maxConcurrentPerAddress ?? 4;
  const verifying = new Map<string, number>();
  const lastFailureCounts = new Map<string, number>();
  const slowDown = async (failures: number) => {
    const over = failures - slowAfter;
    if (slowAfter > 0 && slowStepMs > 0 && over > 0)
      await new Promise((resolve) => setTimeout(resolve, Math.min(over * slowStepMs, 2_000)));
  };

  const touch = (keyId: string) => {
    const at = now();
    const last = lastTouched.get(keyId);
    if (last !== undefined && at - last < lastUsedIntervalMs) return;
    lastTouched.set(keyId, at);
    if (lastTouched.size > 10_000) lastTouched.delete(lastTouched.keys().next().value!);
    void touchLastUsed(sql, keyId);
  };

  return {
    cache,
    close: stopListening,
    async standing(keyId) {
      const id = parseKeyId(keyId);
      if (!id) return null;
      const row = (await rowsOf(id)).find((r) => r.secretHash);
      return row ? admitted(id, row) : null;
    },
    peek(credentials, address) {
      if (!credentials || byAddress.retryAfter(address) > 0) return undefined;
      const keyId = parseKeyId(credentials.keyId);
      const cached = keyId ? keyRows.get(keyId) : undefined;
      if (!keyId || !cached || now() - cached.loadedAt >= keyRowTtlMs) return undefined;
      const remembered = fromMemory(keyId, cached.rows, credentials.secret);
      return remembered && remembered !== "refuse" ? remembered : undefined;
    },
    async authenticate(credentials, address) {
      const addressWait = byAddress.retryAfter(address);
      if (addressWait > 0) return { ok: false, reason: "rate_limited", retryAfterSeconds: addressWait };
      const outcome = await check(credentials, address);
      if (!outcome.ok && outcome.reason === "unauthorized") await slowDown(lastFailureCounts.get(address) ?? 0);
      return outcome;
    },
  };

  async function refuse(address: string): Promise<AuthOutcome> {
    byAddress.fail(address);
    // Recorded for every process before the refusal is answered.
    const failures = await byAddress.record(address);
    lastFailureCounts.set(address, failures);
    if (lastFailureCounts.size > 10_000) lastFailureCounts.delete(lastFailureCounts.keys().next().value!);
    return UNAUTHORIZED;
  }

  /**
   * bcrypt of one presented secret against the key's rows. Identical concurrent attempts share one
   * verification (a client's burst costs one bcrypt); each distinct attempt holds an in-flight slot on
   * its address, so a parallel burst of guesses cannot get past the limit.
   */
  async function verify(
    keyId: string,
    rows: StoredKey[],
    secret: string,
    address: string,
  ): Promise<StoredKey | "rate_limited" | null> {
    const flightKey = `${keyId}\0${createHash("sha256").update(secret).digest("hex")}`;
    const shared = flights.get(flightKey);
    if (shared) return shared;
    // Failures other processes recorded count here too, before any bcrypt is spent.
    await byAddress.sync(address);
    const joined = flights.get(flightKey);
    if (joined) return joined;
    const running = verifying.get(address) ?? 0;
    if (running >= maxVerifyingPerAddress) return "rate_limited";
    const addressWait = byAddress.begin(address);
    if (addressWait > 0) return "rate_limited";
    verifying.set(address, running + 1);
    const flight = (async () => {
      let match: StoredKey | null = null;
      try {
        for (const candidate of rows) {
          if (candidate.secretHash && (await verifySecret(secret, candidate.secretHash))) {
            match = candidate;
            cache.remember(keyId, candidate.secretHash, secret);
            break;
          }
        }
      } finally {
        // Failures are recorded by refuse(); here only the in-flight slots are released.
        byAddress.end(address, false);
        const left = (verifying.get(address) ?? 1) - 1;
        if (left > 0) verifying.set(address, left);
        else verifying.delete(address);
        flights.delete(flightKey);
      }
      return match;
    })();
    flights.set(flightKey, flight);
    return flight;
  }

  async function check(credentials: PresentedCredentials | null, address: string): Promise<AuthOutcome> {
    // No credentials, or a key id that is no uuid, can guess nothing: refused, never counted against the address.
    if (!credentials) return UNAUTHORIZED;
    const keyId = parseKeyId(credentials.keyId);
    if (!keyId) return UNAUTHORIZED;

    const loaded = await rowsOf(keyId);
    const rows = loaded.some((r) => r.secretHash) ? loaded : await unknownKeyRows(keyId);
    const remembered = fromMemory(keyId, rows, credentials.secret);
    if (remembered === "refuse") return refuse(address);
    if (remembered) return remembered;
    const verified = await verify(keyId, rows, credentials.secret, address);
    if (verified === "rate_limited") {
      lastFailureCounts.set(address, byAddress.fail(address));
      return { ok: false, reason: "rate_limited", retryAfterSeconds: Math.max(1, byAddress.retryAfter(address)) };
    }
    const outcome = verified ? accept(keyId, verified) : "refuse";
    return outcome === "refuse" ? refuse(address) : outcome;
  }

  /**
   * The client whose secret was already verified needs no bcrypt: its outcome, "refuse" when the key it
   * verified against may no longer act, undefined when bcrypt must decide.
   */
  function fromMemory(keyId: string, rows: StoredKey[], secret: string): AuthOutcome | "refuse" | undefined {
    const row = rows.find((r) => r.secretHash && cache.has(keyId, r.secretHash, secret));
    return row ? accept(keyId, row) : undefined;
  }

  /** A verified row's outcome: admitted (and its last use noted), or "refuse" when its key may no longer act. */
  function accept(keyId: string, row: StoredKey): AuthOutcome | "refuse" {
    const key = admitted(keyId, row);
    if (!key) return "refuse";
    touch(keyId);
    return { ok: true, key };
  }

  /** The key a verified row stands for, or null when it is disabled, expired or lacks a required policy. */
  function admitted(keyId: string, row: StoredKey): AuthenticatedKey | null {
    const expired = row.expiresAtMs !== null && row.expiresAtMs <= now();
    if (row.disabled || expired || (!row.hasPolicy && options.requirePolicy)) return null;
    // One read-only key per loaded row: a reloaded row is a new object, so a change is never served stale.
    let key = admittedKeys.get(row);
    if (!key) {
      const scopes = row.hasPolicy ? row.scopes : [...SCOPES];
      key = { keyId, domainUuid: row.hasPolicy ? row.domainUuid : null, scopes: new Set(scopes) };
      admittedKeys.set(row, key);
    }
    return key;
  }
}
