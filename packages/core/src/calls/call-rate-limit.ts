import type { Caller } from "../caller.ts";
import type { ActionContext } from "../context.ts";
import { ActionError } from "../errors.ts";
import type { DialPolicy } from "./dial-policy.ts";

/** Every this many counted calls, windows older than an hour are deleted. */
const PURGE_EVERY = 100;
let counted = 0;

/** Who a per-user limit counts against: the Slack user, else the key, else the face. */
export function rateSubject(caller: Caller): string {
  if (caller.slackUserId) return `slack:${caller.slackTeamId ?? ""}:${caller.slackUserId}`;
  if (caller.keyId) return `key:${caller.keyId}`;
  return `face:${caller.face}`;
}

/**
 * Counts a call against the caller's and the domain's per-minute limits in PostgreSQL, so every process of
 * every face shares them (one upsert each; the database's clock defines the minute). Throws
 * TOO_MANY_REQUESTS, saying when to try again, once either is spent.
 */
export async function countCall(ctx: ActionContext, domainUuid: string, policy: DialPolicy): Promise<void> {
  const counters = [
    { counter: `user:${domainUuid}:${rateSubject(ctx.caller)}`, limit: policy.callsPerUserPerMinute, who: "you" },
    { counter: `domain:${domainUuid}`, limit: policy.callsPerDomainPerMinute, who: "this domain" },
  ];
  for (const { counter, limit, who } of counters) {
    const [row] = await ctx.sql<{ calls: number; wait: number }[]>`
      insert into switchboard_call_counts (counter, window_start, calls) values (${counter}, date_trunc('minute', now()), 1)
      on conflict (counter, window_start) do update set calls = switchboard_call_counts.calls + 1
      returning calls, ceil(extract(epoch from date_trunc('minute', now()) + interval '1 minute' - now()))::int as wait`;
    if (row && row.calls > limit) {
      const wait = Math.max(1, row.wait);
      throw new ActionError(
        "TOO_MANY_REQUESTS",
        `too many calls: at most ${limit} a minute for ${who}; try again in ${wait} seconds`,
      );
    }
  }
  if (++counted % PURGE_EVERY === 0) {
    await ctx.sql`delete from switchboard_call_counts where window_start < now() - interval '1 hour'`.catch(() => {});
  }
}
