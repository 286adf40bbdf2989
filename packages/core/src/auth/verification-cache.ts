import { createHash, timingSafeEqual } from "node:crypto";

interface Entry {
  /** sha256 of the presented secret; the secret itself is never kept. */
  secretDigest: Buffer;
  /** The stored bcrypt hash the secret was verified against: a changed secret no longer matches. */
  storedHash: string;
  expiresAt: number;
}

export interface VerificationCache {
  /** True when this secret was verified against this stored hash within the TTL. Constant-time compare. */
  has(keyId: string, storedHash: string, secret: string): boolean;
  remember(keyId: string, storedHash: string, secret: string): void;
  /** Drops a key's entry (revoked, deleted or changed). */
  forget(keyId: string): void;
  clear(): void;
  readonly size: number;
}

const digest = (secret: string) => createHash("sha256").update(secret, "utf8").digest();

/**
 * Remembers successful bcrypt verifications so a client pays bcrypt's cost once per TTL, not per request.
 * One entry per key (the last secret that verified), bounded in size.
 */
export function createVerificationCache(
  options: { ttlMs?: number; maxEntries?: number; now?: () => number } = {},
): VerificationCache {
  const ttlMs = options.ttlMs ?? 60_000;
  const maxEntries = options.maxEntries ?? 10_000;
  const now = options.now ?? Date.now;
  const entries = new Map<string, Entry>();
  return {
    has(keyId, storedHash, secret) {
      const entry = entries.get(keyId);
      if (!entry) return false;
      if (entry.expiresAt <= now()) {
        entries.delete(keyId);
        return false;
      }
      const sameSecret = timingSafeEqual(entry.secretDigest, digest(secret));
      return sameSecret && entry.storedHash === storedHash;
    },
    remember(keyId, storedHash, secret) {
      if (entries.size >= maxEntries && !entries.has(keyId)) {
        const oldest = entries.keys().next().value;
        if (oldest !== undefined) entries.delete(oldest);
      }
      entries.delete(keyId);
      entries.set(keyId, { secretDigest: digest(secret), storedHash, expiresAt: now() + ttlMs });
    },
    forget(keyId) {
      entries.delete(keyId);
    },
    clear() {
      entries.clear();
    },
    get size() {
      return entries.size;
    },
  };
}
