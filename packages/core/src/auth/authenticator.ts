import type { Sql } from "@switchboard/db";
import { SCOPES, type Scope } from "../scope.ts";
import type { PresentedCredentials } from "./credentials.ts";
import { createFailureLimiter, type FailureLimiter } from "./failure-limiter.ts";
import { parseKeyId } from "./key-id.ts";
import { onKeyChanged } from "./key-events.ts";
import { loadKey, touchLastUsed } from "./key-store.ts";
import { verifySecret } from "./secret.ts";
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
  /** Failures per address (and, separately, per key id) in `failureWindowMs` before 429. */
  maxFailuresPerAddress?: number;
  maxFailuresPerKey?: number;
  failureWindowMs?: number;
  /** Failures after which each further failed attempt is answered more slowly (0 disables slowing). */
  slowAfterFailures?: number;
  slowStepMs?: number;
  lastUsedIntervalMs?: number;
  now?: () => number;
}

export interface Authenticator {
  /** Checks presented credentials from `address`. Throws only when the database cannot be reached. */
  authenticate(credentials: PresentedCredentials | null, address: string): Promise<AuthOutcome>;
  readonly cache: VerificationCache;
  /** Stops listening for key changes. */
  close(): void;
}

export function createAuthenticator(sql: Sql, options: AuthenticatorOptions = {}): Authenticator {
  const now = options.now ?? Date.now;
  const windowMs = options.failureWindowMs ?? 5 * 60_000;
  const byAddress: FailureLimiter = createFailureLimiter({ maxFailures: options.maxFailuresPerAddress ?? 30, windowMs, now });
  const byKey: FailureLimiter = createFailureLimiter({ maxFailures: options.maxFailuresPerKey ?? 10, windowMs, now });
  const cache = createVerificationCache({ ttlMs: options.cacheTtlMs ?? 60_000, now });
  const lastUsedIntervalMs = options.lastUsedIntervalMs ?? 60_000;
  const lastTouched = new Map<string, number>();
  const slowAfter = options.slowAfterFailures ?? 3;
  const slowStepMs = options.slowStepMs ?? 250;
  const stopListening = onKeyChanged((keyId) => {
    cache.forget(keyId);
    lastTouched.delete(keyId);
  });

  const refuse = async (address: string, keyId: string | null): Promise<AuthOutcome> => {
    const count = byAddress.fail(address);
    const keyCount = keyId ? byKey.fail(keyId) : 0;
    const over = Math.max(count, keyCount) - slowAfter;
    if (slowAfter > 0 && slowStepMs > 0 && over > 0) await new Promise((resolve) => setTimeout(resolve, Math.min(over * slowStepMs, 2_000)));
    return { ok: false, reason: "unauthorized" };
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
    async authenticate(credentials, address) {
      const addressWait = byAddress.retryAfter(address);
      if (addressWait > 0) return { ok: false, reason: "rate_limited", retryAfterSeconds: addressWait };
      if (!credentials) return refuse(address, null);
      const keyId = parseKeyId(credentials.keyId);
      if (!keyId) return refuse(address, null);

      const rows = await loadKey(sql, keyId);
      const keyWait = byKey.retryAfter(keyId);
      // A key under attack stays usable for the client whose secret was already verified.
      const cachedRow = rows.find((r) => r.secretHash && cache.has(keyId, r.secretHash, credentials.secret));
      if (keyWait > 0 && !cachedRow) return { ok: false, reason: "rate_limited", retryAfterSeconds: keyWait };

      let row = cachedRow;
      if (!row) {
        for (const candidate of rows) {
          if (candidate.secretHash && (await verifySecret(credentials.secret, candidate.secretHash))) {
            row = candidate;
            cache.remember(keyId, candidate.secretHash, credentials.secret);
            break;
          }
        }
      }
      if (!row) return refuse(address, keyId);
      if (row.disabled || row.expired || (!row.hasPolicy && options.requirePolicy)) return refuse(address, keyId);

      touch(keyId);
      const scopes = row.hasPolicy ? row.scopes : [...SCOPES];
      return { ok: true, key: { keyId, domainUuid: row.hasPolicy ? row.domainUuid : null, scopes: new Set(scopes) } };
    },
  };
}
