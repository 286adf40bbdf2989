import type { Sql } from "@switchboard/db";
import { isScope, type Scope } from "../scope.ts";
import { announceKeyChanged, keyChanged } from "./key-events.ts";
import { generateSecret, hashSecret } from "./secret.ts";

export interface NewKey {
  name: string;
  domainUuid?: string | null;
  scopes?: readonly Scope[];
  /** ISO 8601 or anything PostgreSQL's timestamptz accepts. */
  expiresAt?: string | null;
}

/** Scopes of a key made without `--scopes`: everything but key management and calls outside the dial policy. */
export const DEFAULT_KEY_SCOPES: readonly Scope[] = ["read", "write", "calls", "calls-any"];

/** A key row as listed: PDO-typed (timestamps as PostgreSQL text). The secret is never listed. */
export interface KeyRow {
  key_uuid: string;
  name: string | null;
  created: string | null;
  last_used: string | null;
  domain_uuid: string | null;
  scopes: Scope[] | null;
  expires_at: string | null;
  disabled: boolean | null;
}

/**
 * Creates a key the way FusionPBX's key_edit.php does (lower-case v4 uuid, 20-character secret,
 * `$2y$10$` bcrypt in rest_api_keys, so FusionPBX's UI lists it) plus its Switchboard policy, in one
 * transaction. The secret is returned here and nowhere else.
 */
export async function createKey(sql: Sql, key: NewKey): Promise<{ keyId: string; secret: string; row: KeyRow }> {
  const keyId = crypto.randomUUID();
  const secret = generateSecret();
  const hash = await hashSecret(secret);
  const scopes = [...new Set(key.scopes ?? DEFAULT_KEY_SCOPES)];
  await sql.begin(async (tx) => {
    await tx`insert into rest_api_keys (key_uuid, name, key_secret, created) values (${keyId}::uuid, ${key.name}, ${hash}, now())`;
    await tx`
      insert into switchboard_key_policies (key_uuid, domain_uuid, scopes, expires_at, disabled, created_at, updated_at)
      values (${keyId}::uuid, ${key.domainUuid ?? null}::uuid, ${`{${scopes.join(",")}}`}::text[], ${key.expiresAt ?? null}::timestamptz, false, now(), now())`;
  });
  const [row] = await listKeys(sql, { keyId });
  return { keyId, secret, row: row! };
}

/** Keys newest-used last like the original's list (`ORDER BY last_used DESC`, never-used first). */
export async function listKeys(
  sql: Sql,
  filter: { domainUuid?: string | null; keyId?: string } = {},
): Promise<KeyRow[]> {
  const rows = await sql<(Omit<KeyRow, "scopes"> & { scopes: string | null })[]>`
    select k.key_uuid::text as key_uuid, k.name, k.created, k.last_used,
           p.domain_uuid::text as domain_uuid, array_to_string(p.scopes, ',') as scopes, p.expires_at, p.disabled
    from rest_api_keys k
    left join switchboard_key_policies p on p.key_uuid = k.key_uuid
    where true
      ${filter.domainUuid ? sql`and p.domain_uuid = ${filter.domainUuid}::uuid` : sql``}
      ${filter.keyId ? sql`and k.key_uuid = ${filter.keyId}::uuid` : sql``}
    order by k.last_used desc, k.created desc, k.key_uuid`;
  return rows.map((r) => ({ ...r, scopes: r.scopes === null ? null : r.scopes.split(",").filter(isScope) }));
}

/**
 * Deletes the key like FusionPBX's delete button (every rest_api_keys row of that id) and its policy, in
 * one transaction; with `domainUuid`, only a key bound to that domain. Returns whether a key was removed.
 */
export async function revokeKey(
  sql: Sql,
  keyId: string,
  options: { domainUuid?: string | null } = {},
): Promise<boolean> {
  const removed = await sql.begin(async (tx) => {
    if (options.domainUuid) {
      const [bound] =
        await tx`select 1 from switchboard_key_policies where key_uuid = ${keyId}::uuid and domain_uuid = ${options.domainUuid}::uuid`;
      if (!bound) return 0;
    }
    const deleted = await tx`delete from rest_api_keys where key_uuid = ${keyId}::uuid`;
    await tx`delete from switchboard_key_policies where key_uuid = ${keyId}::uuid`;
    await announceKeyChanged(tx, keyId);
    return deleted.count;
  });
  keyChanged(keyId);
  return removed > 0;
}
