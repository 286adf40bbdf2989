import type { webApi } from "@slack/bolt";
import type { Sql } from "@switchboard/db";
import { fitMessage } from "../blocks/message.ts";
import type { Reply } from "../blocks/reply.ts";

/** Slack allows about one message a second per conversation; each DM and each channel gets at most that. */
export const PACE_MS = 1_000;
/** Waits after failures other than rate limits (network, Slack down); then the message has failed. */
export const RETRY_DELAYS_MS: readonly number[] = [5_000, 30_000, 5 * 60_000, 30 * 60_000, 2 * 3_600_000];
/** Errors that no retry can fix: the user or the bot's access is gone. */
const PERMANENT = new Set([
  "user_not_found",
  "account_inactive",
  "user_disabled",
  "channel_not_found",
  "is_archived",
  "not_in_channel",
  "cannot_dm_bot",
  "invalid_auth",
  "not_authed",
  "missing_scope",
]);

interface Claimed {
  notification_id: string;
  team_id: string;
  user_id: string | null;
  channel_id: string | null;
  message: string | Reply;
  attempts: number;
  lease_token: string;
}

export interface SendOptions {
  paceMs?: number;
  retryDelaysMs?: readonly number[];
}

/**
 * Sends the queued messages that are due: per target (a user's DM or a channel), oldest first, one at a time and not within `paceMs` of
 * the last one sent to them; a 429 waits its Retry-After and is never given up on. Leases (FOR UPDATE SKIP
 * LOCKED) keep several bot processes from sending one message twice. Resolves to the number sent.
 */
export async function sendDueNotifications(
  sql: Sql,
  client: webApi.WebClient,
  options: SendOptions = {},
): Promise<number> {
  const paceMs = options.paceMs ?? PACE_MS;
  const delays = options.retryDelaysMs ?? RETRY_DELAYS_MS;
  const token = crypto.randomUUID();
  const claimed = await sql<Claimed[]>`
    with due as (
      select n.notification_id from switchboard_slack_notifications n
      where n.status = 'pending' and n.next_attempt_at <= now()
        and (n.leased_until is null or n.leased_until < now())
        and not exists (
          select 1 from switchboard_slack_notifications p
          where p.team_id = n.team_id and p.user_id is not distinct from n.user_id
            and p.channel_id is not distinct from n.channel_id and p.status = 'pending'
            and p.notification_id < n.notification_id)
        and not exists (
          select 1 from switchboard_slack_notifications s
          where s.team_id = n.team_id and s.user_id is not distinct from n.user_id
            and s.channel_id is not distinct from n.channel_id and s.status = 'sent'
            and s.sent_at > now() - make_interval(secs => ${paceMs / 1000}))
      order by n.next_attempt_at, n.notification_id
      limit 20
      for update of n skip locked
    )
    update switchboard_slack_notifications n
    set lease_token = ${token}::uuid, leased_until = now() + interval '60 seconds', attempts = n.attempts + 1
    from due where n.notification_id = due.notification_id
    returning n.notification_id, n.team_id, n.user_id, n.channel_id, n.message::text as message, n.attempts,
              n.lease_token::text as lease_token`;
  let sent = 0;
  await Promise.all(
    claimed.map(async (item) => {
      const reply = (typeof item.message === "string" ? JSON.parse(item.message) : item.message) as Reply;
      try {
        const channel = item.channel_id ?? (await client.conversations.open({ users: item.user_id! })).channel?.id;
        if (!channel) throw new Error("conversations.open gave no channel");
        await client.chat.postMessage({ channel, ...fitMessage(reply) });
        await sql`
          update switchboard_slack_notifications
          set status = 'sent', sent_at = now(), last_error = null, lease_token = null, leased_until = null
          where notification_id = ${item.notification_id} and lease_token = ${item.lease_token}::uuid`;
        sent++;
      } catch (error) {
        const failure = error as { code?: string; retryAfter?: number; data?: { error?: string }; message?: string };
        const rateLimited = failure.code === "slack_webapi_rate_limited_error";
        const slackError = failure.data?.error;
        const permanent = slackError !== undefined && PERMANENT.has(slackError);
        const delay = rateLimited
          ? Math.max(1, failure.retryAfter ?? 1) * 1000
          : permanent
            ? null
            : (delays[item.attempts - 1] ?? null);
        const reason = rateLimited
          ? `rate limited; retry after ${failure.retryAfter ?? 1} s`
          : (slackError ?? failure.message ?? String(error));
        await sql`
          update switchboard_slack_notifications
          set status = ${delay === null ? "failed" : "pending"}, last_error = ${reason},
              attempts = ${rateLimited ? sql`attempts - 1` : sql`attempts`},
              next_attempt_at = now() + make_interval(secs => ${(delay ?? 0) / 1000}),
              lease_token = null, leased_until = null
          where notification_id = ${item.notification_id} and lease_token = ${item.lease_token}::uuid`;
      }
    }),
  );
  return sent;
}
