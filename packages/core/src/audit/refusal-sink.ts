import { randomUUID } from "node:crypto";
import type { Sql } from "@switchboard/db";
import { isRowProblem } from "./audit-sink.ts";

/** Why a request was refused before any action ran; `reason` is one of `REFUSAL_REASONS`. */
export interface Refusal {
  /** `legacy`, `trpc`, `health`, `console` or `http` (any other path): the route the request came to. */
  face: string;
  reason: RefusalReason;
  /** The key id the request presented, well-formed but not necessarily existing; null when it presented none. */
  keyId: string | null;
  /** The client's address (TRUSTED_PROXIES applied). */
  address: string;
  at?: Date;
}

export const REFUSAL_REASONS = [
  "no_credentials",
  "bad_credentials",
  "rate_limited",
  "malformed_body",
  "missing_action",
  "unknown_app",
  "unknown_action",
  "unknown_procedure",
  "method_not_allowed",
  "batch_too_large",
  "body_too_large",
  "bad_host",
  "csrf",
  "bad_request",
] as const;
export type RefusalReason = (typeof REFUSAL_REASONS)[number];

/** The address written for refusals beyond the per-minute row cap (their key id is dropped too). */
export const OVERFLOW_ADDRESS = "(others)";

export interface RefusalSinkStats {
  /** Refusals counted into the table. */
  written: number;
  /** Upserts that failed (the counts are kept and retried). */
  failed: number;
  /** Refusals folded into the overflow row of their minute because the row cap was reached. */
  folded: number;
  /** Refusals given up during a long outage (the pending counts are bounded too). */
  dropped: number;
}

export interface RefusalSink {
  record(refusal: Refusal): void;
  flush(): Promise<void>;
  stats?(): RefusalSinkStats;
}

export interface RefusalSinkOptions {
  /** How often the pending counts are written (default 1 s). */
  intervalMs?: number;
  /** Distinct (face, reason, key, address) rows one process adds per minute; the rest share one row (default 500). */
  maxRowsPerMinute?: number;
  /** Minutes older than this are deleted (default 30 days). */
  retentionDays?: number;
  /** The table keeps at most about this many rows, the newest minutes (default 100,000). */
  maxRows?: number;
  /** How often this process prunes (default 10 minutes). */
  pruneEveryMs?: number;
  onError?: (error: unknown) => void;
}

interface Pending {
  minute: string;
  face: string;
  reason: string;
  keyId: string | null;
  address: string;
  count: number;
  lastAt: Date;
}

const UPSERT = `insert into switchboard_refusals (refusal_uuid, minute, face, reason, key_uuid, address, count, last_at)
  select * from unnest($1::text[]::uuid[], $2::text[]::timestamptz[], $3::text[], $4::text[], $5::text[]::uuid[], $6::text[],
                       $7::text[]::int[], $8::text[]::timestamptz[])
  on conflict (minute, face, reason, (coalesce(key_uuid, '00000000-0000-0000-0000-000000000000'::uuid)), address)
  do update set count = switchboard_refusals.count + excluded.count,
                last_at = greatest(switchboard_refusals.last_at, excluded.last_at)`;

const minuteOf = (at: Date) => new Date(Math.floor(at.getTime() / 60_000) * 60_000).toISOString();

/**
 * Counts refused requests in memory per minute and (face, reason, key id, address), and adds the counts to
 * `switchboard_refusals` every second with one upsert: a flood of refusals costs one row per distinct group
 * and minute, not one per request. Bounded three ways: at most `maxRowsPerMinute` groups per minute per
 * process (further ones are counted in one `(others)` row per face and reason), `retentionDays`, and `maxRows`.
 */
export function createRefusalSink(
  sql: Sql,
  options: RefusalSinkOptions = {},
): RefusalSink & { stats(): RefusalSinkStats } {
  const intervalMs = options.intervalMs ?? 1_000;
  const maxRowsPerMinute = options.maxRowsPerMinute ?? 500;
  const retentionDays = options.retentionDays ?? 30;
  const maxRows = options.maxRows ?? 100_000;
  const pruneEveryMs = options.pruneEveryMs ?? 10 * 60_000;
  const counts = { written: 0, failed: 0, folded: 0, dropped: 0 };
  let pending = new Map<string, Pending>();
  /** Groups seen per minute by this process (the cap), for the current and previous minutes only. */
  const groupsPerMinute = new Map<string, Set<string>>();
  let timer: ReturnType<typeof setTimeout> | null = null;
  let writing: Promise<void> | null = null;
  let lastPrune = 0;

  const add = (
    minute: string,
    face: string,
    reason: string,
    keyId: string | null,
    address: string,
    at: Date,
    n: number,
  ) => {
    const id = `${minute}|${face}|${reason}|${keyId ?? ""}|${address}`;
    const row = pending.get(id);
    if (row) {
      row.count += n;
      if (at > row.lastAt) row.lastAt = at;
    } else {
      pending.set(id, { minute, face, reason, keyId, address, count: n, lastAt: at });
    }
  };

  const write = async () => {
    const rows = [...pending.values()];
    if (rows.length === 0) return;
    pending = new Map();
    try {
      await sql.unsafe(UPSERT, [
        rows.map(() => randomUUID()),
        rows.map((r) => r.minute),
        rows.map((r) => r.face),
        rows.map((r) => r.reason),
        rows.map((r) => r.keyId),
        rows.map((r) => r.address),
        rows.map((r) => String(r.count)),
        rows.map((r) => r.lastAt.toISOString()),
      ] as never[]);
      counts.written += rows.reduce((n, r) => n + r.count, 0);
    } catch (error) {
      counts.failed++;
      options.onError?.(error);
      if (isRowProblem(error)) {
        // Only validated values are recorded, so this is a bug, not an outage: retrying would never succeed.
        counts.dropped += rows.reduce((n, r) => n + r.count, 0);
        return;
      }
      for (const r of rows) add(r.minute, r.face, r.reason, r.keyId, r.address, r.lastAt, r.count);
      // An outage must not grow memory without bound: keep the newest groups only.
      const over = pending.size - maxRowsPerMinute * 10;
      if (over > 0) {
        const oldest = [...pending.entries()].sort((a, b) => a[1].minute.localeCompare(b[1].minute)).slice(0, over);
        for (const [id, r] of oldest) {
          pending.delete(id);
          counts.dropped += r.count;
        }
      }
      schedule();
      return;
    }
    if (Date.now() - lastPrune >= pruneEveryMs) {
      lastPrune = Date.now();
      await prune().catch((error) => options.onError?.(error));
    }
  };

  const prune = async () => {
    await sql`delete from switchboard_refusals where minute < now() - make_interval(days => ${retentionDays})`;
    await sql`
      delete from switchboard_refusals
      where minute < (select minute from switchboard_refusals order by minute desc offset ${maxRows} limit 1)`;
  };

  const start = () => {
    writing ??= write().finally(() => {
      writing = null;
    });
    return writing;
  };

  const schedule = () => {
    if (timer) return;
    timer = setTimeout(() => {
      timer = null;
      void start();
    }, intervalMs);
    timer.unref?.();
  };

  return {
    record(refusal) {
      const at = refusal.at ?? new Date();
      const minute = minuteOf(at);
      let groups = groupsPerMinute.get(minute);
      if (!groups) {
        groups = new Set();
        groupsPerMinute.set(minute, groups);
        for (const m of groupsPerMinute.keys())
          if (m < minuteOf(new Date(at.getTime() - 60_000))) groupsPerMinute.delete(m);
      }
      const address = refusal.address.slice(0, 64);
      const group = `${refusal.face}|${refusal.reason}|${refusal.keyId ?? ""}|${address}`;
      if (!groups.has(group) && groups.size >= maxRowsPerMinute) {
        counts.folded++;
        add(minute, refusal.face, refusal.reason, null, OVERFLOW_ADDRESS, at, 1);
      } else {
        groups.add(group);
        add(minute, refusal.face, refusal.reason, refusal.keyId, address, at, 1);
      }
      schedule();
    },
    async flush() {
      if (timer) clearTimeout(timer);
      timer = null;
      while (writing) await writing;
      await start();
    },
    stats: () => ({ ...counts }),
  };
}
