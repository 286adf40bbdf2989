import type { Sql } from "@switchboard/db";
import type { KnownRegistration } from "./normalise-context.ts";
import type { RegistrationChange } from "./normalise-registration.ts";
import type { RegistrationState } from "./pbx-directory.ts";

type Entry = KnownRegistration & { user: string; realm: string; sip_call_id: string };

const keyOf = (user: string, realm: string, callId: string) => `${user}\0${realm.toLowerCase()}\0${callId}`;

/** switchboard_registrations of one switch, mirrored in memory; changes are written through. */
export class RegistrationStore implements RegistrationState {
  private readonly entries = new Map<string, Entry>();

  private constructor(
    private readonly sql: Sql,
    private readonly switchHost: string,
  ) {}

  static async load(sql: Sql, switchHost: string): Promise<RegistrationStore> {
    const store = new RegistrationStore(sql, switchHost);
    const rows = await sql`
      select reg_user, realm, contact, coalesce(sip_call_id, '') as sip_call_id, registered_event_id,
             to_char(expires_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as expires_at
      from switchboard_registrations where switch_host = ${switchHost}`;
    for (const r of rows) {
      const entry: Entry = {
        user: String(r.reg_user),
        realm: String(r.realm),
        sip_call_id: String(r.sip_call_id),
        contact: String(r.contact),
        registered_event_id: String(r.registered_event_id),
        expires_at: (r.expires_at as string | null) ?? null,
      };
      store.entries.set(keyOf(entry.user, entry.realm, entry.sip_call_id), entry);
    }
    return store;
  }

  get(user: string, realm: string, sipCallId: string): KnownRegistration | null {
    return this.entries.get(keyOf(user, realm, sipCallId)) ?? null;
  }

  all(): Entry[] {
    return [...this.entries.values()];
  }

  /** Applies a change in memory at once (the next event must see it) and returns the database write. */
  apply(change: RegistrationChange): () => Promise<void> {
    const key = keyOf(change.user, change.realm, change.sip_call_id);
    const sql = this.sql;
    const host = this.switchHost;
    if (change.kind === "registered") {
      this.entries.set(key, {
        user: change.user,
        realm: change.realm,
        sip_call_id: change.sip_call_id,
        contact: change.contact,
        registered_event_id: change.registered_event_id,
        expires_at: change.expires_at,
      });
      return async () => {
        await sql`
          delete from switchboard_registrations
          where switch_host = ${host} and reg_user = ${change.user} and realm = ${change.realm}
            and sip_call_id = ${change.sip_call_id}`;
        await sql`
          insert into switchboard_registrations
            (switch_host, reg_user, realm, contact, sip_call_id, domain_uuid, extension_uuid, registered_event_id, expires_at)
          values (${host}, ${change.user}, ${change.realm}, ${change.contact}, ${change.sip_call_id},
                  ${change.domain_uuid}::uuid, ${change.extension_uuid}::uuid, ${change.registered_event_id},
                  ${change.expires_at}::timestamptz)
          on conflict (switch_host, reg_user, realm, contact) do update set
            sip_call_id = excluded.sip_call_id, domain_uuid = excluded.domain_uuid,
            extension_uuid = excluded.extension_uuid, registered_event_id = excluded.registered_event_id,
            expires_at = excluded.expires_at, updated_at = now()`;
      };
    }
    if (change.kind === "refreshed") {
      const entry = this.entries.get(key);
      if (entry) entry.expires_at = change.expires_at;
      if (!entry) return async () => {};
      return async () => {
        await sql`
          update switchboard_registrations set expires_at = ${change.expires_at}::timestamptz, updated_at = now()
          where switch_host = ${host} and reg_user = ${change.user} and realm = ${change.realm}
            and sip_call_id = ${change.sip_call_id}`;
      };
    }
    this.entries.delete(key);
    return async () => {
      await sql`
        delete from switchboard_registrations
        where switch_host = ${host} and reg_user = ${change.user} and realm = ${change.realm}
          and sip_call_id = ${change.sip_call_id}`;
    };
  }
}
