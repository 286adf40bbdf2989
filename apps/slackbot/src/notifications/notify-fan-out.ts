import type { Sql } from "@switchboard/db";
import { readEventsAfter, type SwitchboardEvent } from "@switchboard/core";
import type { Reply } from "../blocks/reply.ts";
import { missedCallCard, voicemailCard } from "./notification-card.ts";
import { linkedUsers, placeOf, type WorkspaceBinding } from "./notify-targets.ts";

const NOTIFIED = ["call.missed", "voicemail.left"] as const;
const BATCH = 200;

/** The card and the people to send it to, for one event (none for events nobody is linked to). */
async function messagesFor(sql: Sql, binding: WorkspaceBinding, event: SwitchboardEvent) {
  if (!event.domain_uuid) return [];
  let reply: Reply;
  let targets: Awaited<ReturnType<typeof linkedUsers>>;
  if (event.type === "call.missed") {
    const place = await placeOf(sql, event.domain_uuid, event.data.extension_uuid, null, event.data.ring_group_uuid);
    targets = await linkedUsers(sql, binding, place.domainName, place.extensions);
    reply = missedCallCard(event, { extension: place.extension, ringGroup: place.ringGroup });
  } else if (event.type === "voicemail.left") {
    const place = await placeOf(sql, event.domain_uuid, event.data.extension_uuid, event.data.mailbox, null);
    targets = await linkedUsers(sql, binding, place.domainName, place.extensions);
    reply = voicemailCard(event, { extension: place.extension, ringGroup: null });
  } else return [];
  return targets.map((t) => ({ team_id: t.teamId, user_id: t.userId, event_id: event.id, message: reply }));
}

/**
 * One pass: the missed calls and voicemails logged since the cursor become queued direct messages, in the
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
      if (rows.length === 0) continue;
      await tx`
        insert into switchboard_slack_notifications ${tx(
          rows.map((r) => ({ ...r, message: JSON.stringify(r.message) })),
          "team_id",
          "user_id",
          "event_id",
          "message",
        )}
        on conflict (team_id, user_id, event_id) do nothing`;
    }
    await tx`update switchboard_slack_notify_cursor set last_seq = ${events[events.length - 1]!.seq}`;
    return events.length;
  });
}
