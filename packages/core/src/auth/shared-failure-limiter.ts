import type { Queryable } from "@switchboard/db";
import { createFailureLimiter, type FailureLimiter } from "./failure-limiter.ts";

/**
 * A failure limiter whose counts live in PostgreSQL (switchboard_auth_failures), so API workers and
 * nodes behind a load balancer refuse the same address or key: failures recorded by any process count
 * in every process. The local limiter still holds in-flight attempts (a parallel burst against this
 * process) and answers the per-request check without a round trip; `sync` reads the shared counts where
 * a secret is about to be verified (the path every guess takes), `record` writes a failure.
 */
export interface SharedFailureLimiter extends FailureLimiter {
  /** Reads every process's failures for `id` in the window; an id over the limit is then refused here too. */
  sync(id: string): Promise<void>;
  /** Records a failure of `id` where every process counts it; resolves to the failures in the window, all processes together. */
  record(id: string): Promise<number>;
}

export interface SharedFailureLimiterOptions {
  /** Which count this is (`address`, `key`): rows of different limiters never mix. */
  name: string;
  maxFailures: number;
  windowMs: number;
  maxTracked?: number;
  now?: () => number;
  /** Every this many recorded failures, rows older than the window are deleted (default 200). */
  pruneEvery?: number;
}

const iso = (ms: number) => new Date(ms).toISOString();

export function createSharedFailureLimiter(sql: Queryable, options: SharedFailureLimiterOptions): SharedFailureLimiter {
  const { name, maxFailures, windowMs } = options;
  const now = options.now ?? Date.now;
  const maxTracked = options.maxTracked ?? 50_000;
  const pruneEvery = options.pruneEvery ?? 200;
  const local = createFailureLimiter({ maxFailures, windowMs, maxTracked, now });
  /** Ids the shared counts put over the limit, with the time (ms) they are free again. */
  const blockedUntil = new Map<string, number>();
  let recorded = 0;

  const sharedWait = (id: string): number => {
    const until = blockedUntil.get(id);
    if (until === undefined) return 0;
    const left = until - now();
    if (left > 0) return Math.ceil(left / 1000);
    blockedUntil.delete(id);
    return 0;
  };

  /** `newest` are failure times (ms), newest first: blocked until the maxFailures-th newest leaves the window. */
  const apply = (id: string, newest: number[]) => {
    if (newest.length < maxFailures) {
      blockedUntil.delete(id);
      return;
    }
    if (!blockedUntil.has(id) && blockedUntil.size >= maxTracked)
      blockedUntil.delete(blockedUntil.keys().next().value!);
    blockedUntil.set(id, newest[maxFailures - 1]! + windowMs);
  };

  const times = (rows: readonly { at: number | string }[]) => rows.map((r) => Number(r.at));

  return {
    retryAfter: (id) => Math.max(local.retryAfter(id), sharedWait(id)),
    begin(id) {
      const wait = sharedWait(id);
      return wait > 0 ? wait : local.begin(id);
    },
    end: (id, failed) => local.end(id, failed),
    fail: (id) => local.fail(id),
    get size() {
      return local.size;
    },
    async sync(id) {
      const at = now();
      const rows = await sql<{ at: number }[]>`
        select (extract(epoch from failed_at) * 1000)::float8 as at from switchboard_auth_failures
        where limiter = ${name} and identifier = ${id} and failed_at > ${iso(at - windowMs)}::timestamptz
        order by failed_at desc limit ${maxFailures}`;
      apply(id, times(rows));
    },
    async record(id) {
      const at = now();
      // The inserted row is not visible to the select of the same statement: it is added in front.
      const rows = await sql<{ at: number; total: number }[]>`
        with added as (insert into switchboard_auth_failures (limiter, identifier, failed_at) values (${name}, ${id}, ${iso(at)}::timestamptz))
        select (extract(epoch from failed_at) * 1000)::float8 as at, count(*) over ()::int as total from switchboard_auth_failures
        where limiter = ${name} and identifier = ${id} and failed_at > ${iso(at - windowMs)}::timestamptz
        order by failed_at desc limit ${maxFailures - 1}`;
      apply(id, [at, ...times(rows)]);
      if (++recorded % pruneEvery === 0) {
        await sql`delete from switchboard_auth_failures where limiter = ${name} and failed_at <= ${iso(at - windowMs)}::timestamptz`;
      }
      return 1 + (rows[0]?.total ?? 0);
    },
  };
}
