import type { Sql } from "@switchboard/db";
import { readEventsAfter, type SwitchboardEvent } from "@switchboard/core";
import type { Reply } from "../blocks/reply.ts";
import { missedCallCard, voicemailCard } from "./notification-card.ts";
import { linkedUsers, placeOf, subscribedChannels, type WorkspaceBinding } from "./notify-targets.ts";

const NOTIFIED = ["call.missed", "voicemail.left"] as const;
const BATCH = 200;

interface Queued {
  team_id: string;
  user_id: string | null;
  channel_id: string | null;
  event_id: string;
  message: Reply;
}

/** The card and where to send it, for one event: linked people's DMs and subscribed channels. */
async function messagesFor(sql: Sql, binding: WorkspaceBinding, event: SwitchboardEvent): Promise<Queued[]> {
  if (!event.domain_uuid) return [];
  let reply: Reply;
  let targets: Awaited<ReturnType<typeof linkedUsers>>;
  let domainName: string | null;
  if (event.type === "call.missed") {
    const place = await placeOf(sql, event.domain_uuid, event.data.extension_uuid, null, event.data.ring_group_uuid);
    targets = await linkedUsers(sql, binding, place.domainName, place.extensions);
    domainName = place.domainName;
    reply = missedCallCard(event, { extension: place.extension, ringGroup: place.ringGroup });
  } else if (event.type === "voicemail.left") {
    const place = await placeOf(sql, event.domain_uuid, event.data.extension_uuid, event.data.mailbox, null);
    targets = await linkedUsers(sql, binding, place.domainName, place.extensions);
    domainName = place.domainName;
    reply = voicemailCard(event, { extension: place.extension, ringGroup: null });
  } else return [];
  const channels = await subscribedChannels(sql, binding, event.domain_uuid, domainName, event.type);
  return [
    ...targets.map((t) => ({
      team_id: t.teamId,
      user_id: t.userId,
      channel_id: null,
      event_id: event.id,
      message: reply,
    })),
    ...channels.map((c) => ({
      team_id: c.teamId,
      user_id: null,
      channel_id: c.channelId,
      event_id: event.id,
      message: reply,
    })),
  ];
}

/**
 * One pass: the missed calls and voicemails logged since the cursor become queued messages (DMs and
 * subscribed channels), in the
 * transaction that moves the cursor (one process at a time; the others skip the locked cursor).
 * Resolves to the number of events read.
 */
export async function fanOutNotifications(sql: Sql, binding: WorkspaceBinding): Promise<number> {
  return sql.begin(async (tx) => {
    const [cursor] = await tx<{ last_seq: string }[]>`
      select last_seq from switchboard_slack_notify_cursor for update skip locked`;
    if (!cursor) return 0;
    const events = await readEventsAfter(tx as unknown as Sql, Number(cursor.last_seq), { types: NOTIFIED }, BATCH);
    if (events.length === 0) return 0;
    for (const event of events) {
      const rows = await messagesFor(tx as unknown as Sql, binding, event);
      const toUsers = rows.filter((r) => r.user_id !== null);
      const toChannels = rows.filter((r) => r.channel_id !== null);
      const columns = (list: Queued[]) => list.map((r) => ({ ...r, message: JSON.stringify(r.message) }));
      if (toUsers.length > 0)
        await tx`
          insert into switchboard_slack_notifications ${tx(columns(toUsers), "team_id", "user_id", "event_id", "message")}
          on conflict (team_id, user_id, event_id) do nothing`;
      if (toChannels.length > 0)
        await tx`
          insert into switchboard_slack_notifications ${tx(columns(toChannels), "team_id", "channel_id", "event_id", "message")}
          on conflict (team_id, channel_id, event_id) where channel_id is not null do nothing`;
    }
    await tx`update switchboard_slack_notify_cursor set last_seq = ${events[events.length - 1]!.seq}`;
    return events.length;
  });
}
