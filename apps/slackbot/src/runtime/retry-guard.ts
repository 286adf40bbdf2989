import type { Queryable } from "@switchboard/db";

const SCOPE = "slack-request";
/** Every this many claims, claims older than two days are deleted (Slack stops retrying after minutes). */
const PURGE_EVERY = 200;

/**
 * Claims a Slack request once across every bot process (switchboard_idempotency), so a retry of a command
 * or a button click (`X-Slack-Retry-Num`, same trigger id) never repeats its side effect. Claims older than
 * a day may be taken again: Slack never retries that late.
 */
export function createRetryGuard(sql: Queryable, options: { purgeEvery?: number } = {}) {
  const purgeEvery = options.purgeEvery ?? PURGE_EVERY;
  let claims = 0;
  return {
    async claim(requestKey: string): Promise<boolean> {
      const rows = await sql`
        insert into switchboard_idempotency (scope, idem_key) values (${SCOPE}, ${requestKey})
        on conflict (scope, idem_key) do update set created_at = now(), result = null
          where switchboard_idempotency.created_at < now() - interval '1 day'
        returning idem_key`;
      if (++claims % purgeEvery === 0) {
        await sql`delete from switchboard_idempotency where scope = ${SCOPE} and created_at < now() - interval '2 days'`.catch(
          () => {},
        );
      }
      return rows.length === 1;
    },
  };
}

export type RetryGuard = ReturnType<typeof createRetryGuard>;
