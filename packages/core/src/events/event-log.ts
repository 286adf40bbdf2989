import type { Sql } from "@switchboard/db";
import type { EventType, NewEvent, SwitchboardEvent } from "./event-types.ts";

// The event log (switchboard_events, migration 0009-events). Every PBX event is appended here once and
// every consumer (webhooks, Slack, the live stream) reads from here, never from the switch.

export const EVENTS_CHANNEL = "switchboard_events";

/** Appends serialise on this transaction lock, so seq order is commit order: no reader skips a seq. */
const APPEND_LOCK = 0x5357_4556; // "SWEV"

const COLUMNS = (sql: Sql) => sql`
  seq, event_id, type, domain_uuid, call_id, call_seq, reconciled, data::text as data,
  to_char(occurred_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as occurred_at`;

function toEvent(row: Record<string, unknown>): SwitchboardEvent {
  return {
    id: String(row.event_id),
    seq: Number(row.seq),
    type: row.type as EventType,
    domain_uuid: (row.domain_uuid as string | null) ?? null,
    call_id: (row.call_id as string | null) ?? null,
    call_seq: row.call_seq === null || row.call_seq === undefined ? null : Number(row.call_seq),
    occurred_at: String(row.occurred_at),
    reconciled: row.reconciled === true || row.reconciled === "t",
    data: typeof row.data === "string" ? JSON.parse(row.data) : row.data,
  } as SwitchboardEvent;
}

/**
 * Writes events not yet in the log (an id already there is skipped: appends are idempotent) and returns
 * the ones written, in order, with their seq and per-call sequence (1, 2, 3… per call_id in log order).
 * Listeners on `switchboard_events` are told the highest new seq when the transaction commits.
 */
export async function appendEvents(sql: Sql, events: readonly NewEvent[]): Promise<SwitchboardEvent[]> {
  if (events.length === 0) return [];
  return await sql.begin(async (tx) => {
    await tx`select pg_advisory_xact_lock(${APPEND_LOCK}::bigint)`;
    // Under the lock nobody else appends: drop ids already logged (and repeats within the batch), number
    // each call's events after its last logged one, then write the rest in one statement.
    const ids = [...new Set(events.map((e) => e.id))];
    const known = new Set(
      (await tx`select event_id from switchboard_events where event_id = any(${tx.array(ids)}::text[])`).map((r) =>
        String(r.event_id),
      ),
    );
    const fresh: NewEvent[] = [];
    for (const event of events) {
      if (known.has(event.id)) continue;
      known.add(event.id);
      fresh.push(event);
    }
    if (fresh.length === 0) return [];
    const calls = [...new Set(fresh.map((e) => e.call_id).filter((c): c is string => c !== null))];
    const lastSeq = new Map<string, number>();
    if (calls.length > 0) {
      const rows = await tx`
        select call_id::text as call_id, max(call_seq) as last from switchboard_events
        where call_id = any(${tx.array(calls)}::uuid[]) group by call_id`;
      for (const row of rows) lastSeq.set(String(row.call_id), Number(row.last ?? 0));
    }
    const rows = fresh.map((event) => {
      let callSeq: number | null = null;
      if (event.call_id !== null) {
        callSeq = (lastSeq.get(event.call_id) ?? 0) + 1;
        lastSeq.set(event.call_id, callSeq);
      }
      return {
        event_id: event.id,
        type: event.type,
        domain_uuid: event.domain_uuid,
        call_id: event.call_id,
        call_seq: callSeq,
        extension_uuid: event.extension_uuid,
        occurred_at: event.occurred_at,
        reconciled: event.reconciled,
        switch_host: event.switch_host,
        data: JSON.stringify(event.data),
      };
    });
    const inserted = await tx`
      insert into switchboard_events ${tx(rows)}
      returning ${COLUMNS(tx as unknown as Sql)}`;
    const written = inserted.map(toEvent).sort((a, b) => a.seq - b.seq);
    await tx`select pg_notify(${EVENTS_CHANNEL}, ${String(written.at(-1)!.seq)})`;
    return written;
  });
}

export interface EventFilter {
  /** Only this domain's events (a domain-bound key always sets it). Unset: every event, domain-less too. */
  domain_uuid?: string;
  types?: readonly EventType[];
  extension_uuid?: string;
  call_id?: string;
}

/** Events after `afterSeq` (0: from the start) matching the filter, oldest first, at most `limit`. */
export async function readEventsAfter(
  sql: Sql,
  afterSeq: number,
  filter: EventFilter = {},
  limit = 100,
): Promise<SwitchboardEvent[]> {
  const conditions = [sql`seq > ${afterSeq}`];
  if (filter.domain_uuid !== undefined) conditions.push(sql`domain_uuid = ${filter.domain_uuid}::uuid`);
  if (filter.types !== undefined) conditions.push(sql`type = any(${sql.array([...filter.types])}::text[])`);
  if (filter.extension_uuid !== undefined) conditions.push(sql`extension_uuid = ${filter.extension_uuid}::uuid`);
  if (filter.call_id !== undefined) conditions.push(sql`call_id = ${filter.call_id}::uuid`);
  const where = conditions.reduce((all, next) => sql`${all} and ${next}`);
  const rows = await sql`
    select ${COLUMNS(sql)} from switchboard_events where ${where} order by seq limit ${Math.max(1, Math.floor(limit))}`;
  return rows.map(toEvent);
}

/** The highest seq in the log (0 when empty). */
export async function lastEventSeq(sql: Sql): Promise<number> {
  const [row] = await sql`select coalesce(max(seq), 0) as seq from switchboard_events`;
  return Number(row?.seq ?? 0);
}

export interface EventListener {
  unlisten(): Promise<void>;
}

/**
 * Calls `onSeq` with the highest new seq after every committed append, from any process. `onListen` runs
 * each time the listening connection is (re)established: notifications sent while it was down are lost,
 * so a consumer reads the log from its own cursor then, and on every `onSeq`.
 */
export async function listenForEvents(
  sql: Sql,
  onSeq: (seq: number) => void,
  onListen?: () => void,
): Promise<EventListener> {
  const request = await sql.listen(
    EVENTS_CHANNEL,
    (payload) => {
      const seq = Number(payload);
      if (Number.isSafeInteger(seq)) onSeq(seq);
    },
    onListen,
  );
  return { unlisten: () => request.unlisten() };
}
