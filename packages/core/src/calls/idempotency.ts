import { createHash } from "node:crypto";
import type { Queryable } from "@switchboard/db";
import type { Caller } from "../caller.ts";
import { conflict } from "../errors.ts";

/** Keys are per caller: two API keys (or Slack users) never see each other's calls through a shared key. */
export function idempotencyScope(action: string, caller: Caller): string {
  const who = caller.keyId
    ? `key:${caller.keyId}`
    : caller.slackTeamId
      ? `slack:${caller.slackTeamId}:${caller.slackUserId ?? ""}`
      : `face:${caller.face}`;
  return `${action}|${who}`;
}

/** A stable digest of what was asked, so a key reused for a different call is refused instead of replayed. */
export function requestFingerprint(request: Record<string, unknown>): string {
  const canonical = JSON.stringify(
    Object.keys(request)
      .sort()
      .map((k) => [k, request[k] ?? null]),
  );
  return createHash("sha256").update(canonical).digest("hex");
}

export type Claim = { owned: true } | { owned: false; callUuid: string };

/**
 * Insert-first: the row is written before the call is placed, so of two concurrent requests with one key
 * the second waits on the primary key and then finds the first's call. A row older than 24 h is taken over.
 */
export async function claimIdempotencyKey(
  sql: Queryable,
  scope: string,
  key: string,
  fingerprint: string,
  callUuid: string,
): Promise<Claim> {
  const result = JSON.stringify({ call_uuid: callUuid, fingerprint });
  // Expired keys of this caller go first, so the table does not grow without bound.
  await sql`
    delete from switchboard_idempotency
    where scope = ${scope} and idem_key <> ${key} and created_at < now() - interval '24 hours'`;
  const inserted = await sql`
    insert into switchboard_idempotency (scope, idem_key, created_at, result)
    values (${scope}, ${key}, now(), ${result}::jsonb)
    on conflict (scope, idem_key) do update set created_at = excluded.created_at, result = excluded.result
      where switchboard_idempotency.created_at < now() - interval '24 hours'
    returning idem_key`;
  if (inserted.length > 0) return { owned: true };
  const placed = await findIdempotentCall(sql, scope, key, fingerprint);
  if (placed === null)
    throw conflict("this idempotency key was just released; try again", { field: "idempotency_key" });
  return { owned: false, callUuid: placed };
}

/**
 * The call an unexpired key already placed (null: none). A key used for a different request is refused.
 * Read-only, so a retry is answered even while no switch is reachable.
 */
export async function findIdempotentCall(
  sql: Queryable,
  scope: string,
  key: string,
  fingerprint: string,
): Promise<string | null> {
  const rows = await sql<{ result: string }[]>`
    select result::text as result from switchboard_idempotency
    where scope = ${scope} and idem_key = ${key} and created_at >= now() - interval '24 hours'`;
  if (rows.length === 0) return null;
  const stored = JSON.parse(rows[0]?.result ?? "{}") as { call_uuid?: string; fingerprint?: string };
  if (stored.fingerprint !== fingerprint || typeof stored.call_uuid !== "string") {
    throw conflict("this idempotency key was already used for a different request", { field: "idempotency_key" });
  }
  return stored.call_uuid;
}

/** Frees a key whose call never reached the switch, so a retry can place it. */
export async function releaseIdempotencyKey(
  sql: Queryable,
  scope: string,
  key: string,
  callUuid: string,
): Promise<void> {
  await sql`
    delete from switchboard_idempotency
    where scope = ${scope} and idem_key = ${key} and result->>'call_uuid' = ${callUuid}`;
}
