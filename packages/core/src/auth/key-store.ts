import type { Queryable } from "@switchboard/db";
import { isScope, type Scope } from "../scope.ts";

/** A `rest_api_keys` row with its Switchboard policy, as authentication needs it. */
export interface StoredKey {
  keyId: string;
  /** bcrypt hash; null or empty when the row has none (the original answered 401). */
  secretHash: string | null;
  hasPolicy: boolean;
  domainUuid: string | null;
  scopes: Scope[];
  expired: boolean;
  disabled: boolean;
}

/**
 * Every row for a key id (rest_api_keys has no unique constraint) with its policy. Read per request so a
 * revoke, a secret change or a policy change takes effect at once in every process.
 */
export async function loadKey(sql: Queryable, keyId: string): Promise<StoredKey[]> {
  const rows = await sql<
    { key_uuid: string; key_secret: string | null; has_policy: boolean; domain_uuid: string | null; scopes: string | null; expired: boolean; disabled: boolean }[]
  >`
    select k.key_uuid::text as key_uuid, k.key_secret,
           p.key_uuid is not null as has_policy,
           p.domain_uuid::text as domain_uuid,
           array_to_string(p.scopes, ',') as scopes,
           coalesce(p.expires_at <= now(), false) as expired,
           coalesce(p.disabled, false) as disabled
    from rest_api_keys k
    left join switchboard_key_policies p on p.key_uuid = k.key_uuid
    where k.key_uuid = ${keyId}::uuid
    limit 5`;
  return rows.map((r) => ({
    keyId: r.key_uuid,
    secretHash: r.key_secret,
    hasPolicy: r.has_policy,
    domainUuid: r.domain_uuid,
    scopes: (r.scopes ?? "").split(",").filter(isScope),
    expired: r.expired,
    disabled: r.disabled,
  }));
}

/** `last_used = now()` as the original did; failures are ignored like the original ignored them. */
export async function touchLastUsed(sql: Queryable, keyId: string): Promise<void> {
  await sql`update rest_api_keys set last_used = now() where key_uuid = ${keyId}::uuid`.catch(() => {});
}
