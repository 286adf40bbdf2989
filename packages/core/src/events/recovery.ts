import type { Sql } from "@switchboard/db";
import { appendEvents } from "./event-log.ts";
import type { NewEvent, SwitchboardEvent } from "./event-types.ts";
import type { NormaliseContext } from "./normalise-context.ts";
import { registeredEvent, unregisteredEvent } from "./normalise-registration.ts";
import { cdrRowEvents, channelRowEvents, voicemailRowEvent } from "./normalise-rows.ts";
import type { RegistrationStore } from "./registration-store.ts";

// After an event-connection outage or a switch restart: the terminal events FusionPBX's rows prove
// (v_xml_cdr, v_voicemail_messages) since the last event seen, and the registrations that changed, all
// marked reconciled and with the ids the live path gives, so nothing is logged twice (docs/events.md).

/** Rows a little older than the last event seen are read again: the log drops what it already has. */
export const RECOVERY_MARGIN_SECONDS = 60;

/** v_voicemail_messages rows since `sinceEpoch` (optionally one box), with the box number and the call. */
export async function voicemailRowsSince(
  sql: Sql,
  sinceEpoch: number,
  box?: { domain_uuid: string; mailbox: string },
): Promise<Record<string, unknown>[]> {
  const rows = await sql`
    select to_jsonb(m)::text as row, v.voicemail_id as mailbox,
      (select e.call_id::text from switchboard_events e where e.call_id = m.voicemail_message_uuid limit 1) as call_id
    from v_voicemail_messages m left join v_voicemails v on v.voicemail_uuid = m.voicemail_uuid
    where m.created_epoch >= ${sinceEpoch}
      ${box ? sql`and v.domain_uuid = ${box.domain_uuid}::uuid and v.voicemail_id = ${box.mailbox}` : sql``}
    order by m.created_epoch, m.voicemail_message_uuid`;
  return rows.map((r) => ({ ...JSON.parse(String(r.row)), mailbox: r.mailbox ?? null, call_id: r.call_id ?? null }));
}

export async function cdrRowsSince(sql: Sql, sinceEpoch: number): Promise<Record<string, unknown>[]> {
  const rows = await sql`
    select to_jsonb(c)::text as row from v_xml_cdr c
    where coalesce(c.end_epoch, extract(epoch from c.end_stamp)) >= ${sinceEpoch}
      and (c.leg is null or c.leg <> 'b')
    order by coalesce(c.end_epoch, extract(epoch from c.end_stamp)), c.xml_cdr_uuid`;
  return rows.map((r) => JSON.parse(String(r.row)) as Record<string, unknown>);
}

/** A database without FusionPBX's voicemail app (the demo's) has no rows to recover from. */
export function unlessMissingTable(error: unknown): Record<string, unknown>[] {
  if ((error as { code?: string }).code === "42P01") return [];
  throw error;
}

/** Terminal events from FusionPBX's rows since `sinceEpoch` (minus the margin); returns the ones logged now. */
export async function recoverTerminalEvents(
  sql: Sql,
  ctx: NormaliseContext,
  sinceEpoch: number,
): Promise<SwitchboardEvent[]> {
  const from = Math.floor(sinceEpoch) - RECOVERY_MARGIN_SECONDS;
  const events: NewEvent[] = [];
  for (const row of await cdrRowsSince(sql, from).catch(unlessMissingTable)) {
    events.push(...cdrRowEvents(row, ctx, true));
  }
  for (const row of await voicemailRowsSince(sql, from).catch(unlessMissingTable)) {
    const event = voicemailRowEvent(row, ctx, true);
    if (event) events.push(event);
  }
  events.sort((a, b) => a.occurred_at.localeCompare(b.occurred_at));
  return await appendEvents(sql, events);
}

export interface SwitchRegistration {
  reg_user: string;
  realm: string;
  token: string;
  url: string;
  expires: string;
  network_ip?: string;
  network_port?: string;
  agent?: string;
  hostname?: string;
}

/** `show registrations as json` → rows (`{"row_count":0}` when none). */
export function parseRegistrations(reply: string): SwitchRegistration[] {
  const parsed = JSON.parse(reply.trim() || "{}") as { rows?: SwitchRegistration[] };
  return (parsed.rows ?? []).filter((r) => r.reg_user && r.realm);
}

/**
 * Compares the switch's registrations with what Switchboard logged as current: phones it did not know
 * become extension.registered, phones gone become extension.unregistered (reason `expired` when their
 * expiry had passed), both reconciled.
 */
export async function reconcileRegistrations(
  sql: Sql,
  ctx: NormaliseContext,
  store: RegistrationStore,
  onSwitch: SwitchRegistration[],
  options: { log?: boolean; now?: Date } = {},
): Promise<SwitchboardEvent[]> {
  const now = options.now ?? new Date();
  const events: NewEvent[] = [];
  const writes: Array<() => Promise<void>> = [];
  const present = new Set<string>();
  const occurredAt = now.toISOString();
  for (const row of onSwitch) {
    const realm = row.realm.toLowerCase();
    present.add(`${row.reg_user}\0${realm}\0${row.token}`);
    if (store.get(row.reg_user, realm, row.token)) continue;
    const expires = Number(row.expires);
    const { event, change } = registeredEvent(
      {
        user: row.reg_user,
        realm,
        contact: row.url,
        sip_call_id: row.token,
        user_agent: row.agent ?? null,
        network_ip: row.network_ip ?? null,
        network_port: row.network_port ?? null,
        profile: /^sofia\/([^/]+)\//.exec(row.url)?.[1] ?? null,
        expires_epoch: Number.isFinite(expires) && expires > 0 ? expires : null,
      },
      ctx,
      occurredAt,
      true,
    );
    events.push(event);
    writes.push(store.apply(change));
  }
  for (const known of store.all()) {
    if (present.has(`${known.user}\0${known.realm}\0${known.sip_call_id}`)) continue;
    const expired = known.expires_at !== null && Date.parse(known.expires_at) <= now.getTime();
    const { event, change } = unregisteredEvent(
      {
        user: known.user,
        realm: known.realm,
        contact: known.contact,
        sip_call_id: known.sip_call_id,
        user_agent: null,
        network_ip: null,
        network_port: null,
        profile: null,
        expires_epoch: null,
      },
      expired ? "expired" : "unregistered",
      ctx,
      occurredAt,
      true,
    );
    events.push(event);
    writes.push(store.apply(change));
  }
  const logged = options.log === false ? [] : await appendEvents(sql, events);
  for (const write of writes) await write();
  return logged;
}

/**
 * Calls still up on the switch (`show channels as json` rows): their started, ringing and answered events,
 * first legs before the others, answered last. Those seen live already are in the log under the same ids.
 */
export async function recoverLiveCalls(
  sql: Sql,
  ctx: NormaliseContext,
  channels: Record<string, string>[],
): Promise<SwitchboardEvent[]> {
  const events = channels.flatMap((row) => channelRowEvents(row, ctx, true));
  const rank = (e: NewEvent) => (e.type === "call.started" ? 0 : e.type === "call.ringing" ? 1 : 2);
  events.sort((a, b) => rank(a) - rank(b));
  return await appendEvents(sql, events);
}
