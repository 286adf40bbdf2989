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
  /** Policy expiry in epoch milliseconds, checked against the clock at every use. */
  expiresAtMs: number | null;
  disabled: boolean;
}

/**
 * Every row for a key id (rest_api_keys has no unique constraint) with its policy.
 */
export async function loadKey(sql: Queryable, keyId: string): Promise<StoredKey[]> {
  const rows = await sql<
    {
      key_uuid: string;
      key_secret: string | null;
      has_policy: boolean;
      domain_uuid: string | null;
      scopes: string | null;
      expires_at_ms: number | null;
      disabled: boolean;
    }[]
  >`
    select k.key_uuid::text as key_uuid, k.key_secret,
           p.key_uuid is not null as has_policy,
           p.domain_uuid::text as domain_uuid,
           array_to_string(p.scopes, ',') as scopes,
           (extract(epoch from p.expires_at) * 1000)::float8 as expires_at_ms,
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
    expiresAtMs: r.expires_at_ms,
    disabled: r.disabled,
  }));
}

/** `last_used = now()` as the original did; failures are ignored like the original ignored them. */
export async function touchLastUsed(sql: Queryable, keyId: string): Promise<void> {
  await sql`update rest_api_keys set last_used = now() where key_uuid = ${keyId}::uuid`.catch(() => {});
}
