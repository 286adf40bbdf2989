import type { Queryable } from "@switchboard/db";

/**
 * What a caller can know about a call Switchboard placed. Order matters: a call only moves forward.
 * `unknown`: the originate reached the switch but was never confirmed (a stall, a dropped connection); the
 * call may ring. Reconciliation with the switch moves it on (calls/reconcile.ts).
 */
export const CALL_STATES = ["queued", "unknown", "ringing", "answered", "ended"] as const;
export type CallState = (typeof CALL_STATES)[number];

export const callStateRank = (state: CallState): number => CALL_STATES.indexOf(state);

export interface CallRecord {
  call_uuid: string;
  domain_uuid: string | null;
  switch_name: string | null;
  status: CallState;
  hangup_cause: string | null;
  /** ISO 8601 (our own table: no PHP shape to keep). */
  created_at: string;
  updated_at: string | null;
  answered_at: string | null;
  ended_at: string | null;
}

export interface NewCall {
  callUuid: string;
  domainUuid: string;
  switchName: string;
  status: CallState;
  request: Record<string, unknown>;
}

export async function insertCall(sql: Queryable, call: NewCall): Promise<void> {
  const answered = callStateRank(call.status) >= callStateRank("answered");
  await sql`
    insert into switchboard_calls (call_uuid, domain_uuid, switch_name, status, request, created_at, updated_at, answered_at)
    values (${call.callUuid}::uuid, ${call.domainUuid}::uuid, ${call.switchName}, ${call.status},
            ${JSON.stringify(call.request)}::jsonb, now(), now(), ${answered ? sql`now()` : null})
    on conflict (call_uuid) do nothing`;
}

export async function deleteCall(sql: Queryable, callUuid: string): Promise<void> {
  await sql`delete from switchboard_calls where call_uuid = ${callUuid}::uuid`;
}

/**
 * Moves a call forward (never back: a late CHANNEL_CREATE cannot undo an answer). An `ended` update also
 * fills a hangup cause that an earlier, cause-less end left empty. Returns whether a row changed.
 */
export async function advanceCall(
  sql: Queryable,
  callUuid: string,
  status: CallState,
  cause?: string | null,
): Promise<boolean> {
  const rank = callStateRank(status);
  const answered = callStateRank("answered");
  const ended = callStateRank("ended");
  const causeValue = status === "ended" && cause ? cause : null;
  // A rank by the same order as CALL_STATES (0-based; a missing status counts as queued).
  const current = sql`coalesce(array_position(${sql.array([...CALL_STATES])}::text[], status) - 1, 0)`;
  const rows = await sql`
    update switchboard_calls set
      status = case when ${current} < ${rank}::int then ${status} else status end,
      hangup_cause = coalesce(hangup_cause, ${causeValue}),
      answered_at = case when ${rank}::int = ${answered}::int then coalesce(answered_at, now()) else answered_at end,
      ended_at = case when ${rank}::int = ${ended}::int then coalesce(ended_at, now()) else ended_at end,
      updated_at = now()
    where call_uuid = ${callUuid}::uuid
      and (${current} < ${rank}::int
        or (${rank}::int = ${ended}::int and hangup_cause is null and ${causeValue}::text is not null))
    returning call_uuid`;
  return rows.length > 0;
}

const recordColumns = (sql: Queryable) => sql`
  call_uuid::text as call_uuid, domain_uuid::text as domain_uuid, switch_name, status, hangup_cause,
  to_char(created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as created_at,
  to_char(updated_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as updated_at,
  to_char(answered_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as answered_at,
  to_char(ended_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as ended_at`;

/** A call by uuid; with `domainUuid`, only if it belongs to that domain. */
export async function findCall(
  sql: Queryable,
  callUuid: string,
  domainUuid: string | null,
): Promise<CallRecord | null> {
  const rows = await sql<CallRecord[]>`
    select ${recordColumns(sql)} from switchboard_calls
    where call_uuid = ${callUuid}::uuid and (${domainUuid}::uuid is null or domain_uuid = ${domainUuid}::uuid)`;
  return rows[0] ?? null;
}

/**
 * A call in `unknown` that the switch does not list: the first sighting is recorded; once it has been
 * missing for `graceSeconds` (the switch had every chance to run a queued originate by then) it has ended.
 * Returns whether it was marked ended.
 */
export async function noteMissingCall(sql: Queryable, callUuid: string, graceSeconds: number): Promise<boolean> {
  const [row] = await sql<{ overdue: boolean }[]>`
    update switchboard_calls set missing_since = coalesce(missing_since, now())
    where call_uuid = ${callUuid}::uuid and status = 'unknown'
    returning missing_since <= now() - make_interval(secs => ${graceSeconds}) as overdue`;
  if (!row?.overdue) return false;
  return advanceCall(sql, callUuid, "ended");
}

/**
 * A call still `queued` long after its originate should have reported (its process died between sending and
 * hearing back, or the job's report never came) is of unknown outcome too. Returns how many were marked.
 */
export async function markStaleQueuedCalls(
  sql: Queryable,
  switchNames: string[],
  olderThanSeconds: number,
): Promise<number> {
  if (switchNames.length === 0) return 0;
  const rows = await sql`
    update switchboard_calls set status = 'unknown', updated_at = now()
    where status = 'queued' and switch_name = any(${sql.array(switchNames)}::text[])
      and created_at < now() - make_interval(secs => ${olderThanSeconds})
    returning call_uuid`;
  return rows.length;
}

/** Calls whose outcome is unknown on one of these switches, longest untouched first. */
export async function findUnknownCalls(sql: Queryable, switchNames: string[], limit: number): Promise<CallRecord[]> {
  if (switchNames.length === 0) return [];
  return sql<CallRecord[]>`
    select ${recordColumns(sql)} from switchboard_calls
    where status = 'unknown' and switch_name = any(${sql.array(switchNames)}::text[])
    order by updated_at limit ${limit}`;
}
