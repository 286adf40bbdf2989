import type { Sql } from "@switchboard/db";

/**
 * Turns new events of the log into deliveries, one per matching enabled endpoint, in the transaction that
 * moves the fan-out cursor (switchboard_webhook_fanout) past them: an event in the log is either not yet
 * fanned out or has all its delivery rows, whatever crashes. One process fans out at a time (the cursor row
 * is locked; the others skip).
 *
 * `appendEvents` serialises appends, so seq order is commit order; but a writer that bypasses it, or a
 * rolled-back insert, leaves a hole in the sequence. The cursor only moves over a contiguous run; a hole is
 * waited for (`gapWaitMs`, measured from when this process first saw it) and then passed over.
 */
export interface FanOut {
  /** One pass; resolves to the number of events passed (0: nothing new, or waiting for a hole). */
  run(): Promise<number>;
}

const BATCH = 5_000;

export function createFanOut(sql: Sql, options: { gapWaitMs?: number; now?: () => number } = {}): FanOut {
  const gapWaitMs = options.gapWaitMs ?? 5_000;
  const now = options.now ?? Date.now;
  const holes = new Map<number, number>();

  /** The last seq that can be fanned out: the end of the contiguous run after `cursor`. */
  function reachable(cursor: number, seqs: number[]): number {
    let upTo = cursor;
    for (const seq of seqs) {
      if (seq !== upTo + 1) {
        const hole = upTo + 1;
        const seen = holes.get(hole) ?? now();
        holes.set(hole, seen);
        if (now() - seen < gapWaitMs) break;
        holes.delete(hole);
      }
      upTo = seq;
    }
    for (const hole of holes.keys()) if (hole <= upTo) holes.delete(hole);
    return upTo;
  }

  return {
    async run() {
      return sql.begin(async (tx) => {
        const [cursorRow] = await tx<{ last_seq: string }[]>`
          select last_seq from switchboard_webhook_fanout for update skip locked`;
        if (!cursorRow) return 0;
        const cursor = Number(cursorRow.last_seq);
        const rows = await tx<{ seq: string }[]>`
          select seq from switchboard_events where seq > ${cursor} order by seq limit ${BATCH}`;
        if (rows.length === 0) return 0;
        const upTo = reachable(
          cursor,
          rows.map((r) => Number(r.seq)),
        );
        if (upTo === cursor) return 0;
        const inserted = await tx`
          insert into switchboard_webhook_deliveries (webhook_uuid, event_seq, event_id, event_type, call_id)
          select w.webhook_uuid, e.seq, e.event_id, e.type, e.call_id
          from switchboard_events e
          join switchboard_webhooks w
            on w.enabled
           and e.seq > w.start_seq
           and (w.domain_uuid is null or w.domain_uuid = e.domain_uuid)
           and (w.extension_uuid is null or w.extension_uuid = e.extension_uuid)
           and (e.type = any(w.event_types) or '*' = any(w.event_types))
          where e.seq > ${cursor} and e.seq <= ${upTo}
          order by e.seq, w.webhook_uuid
          on conflict (webhook_uuid, event_id) do nothing`;
        await tx`update switchboard_webhook_fanout set last_seq = ${upTo}`;
        return upTo - cursor;
      });
    },
  };
}
