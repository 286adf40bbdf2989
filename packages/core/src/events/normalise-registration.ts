import type { SwitchEvent } from "@switchboard/esl";
import { eventId } from "./event-id.ts";
import type { NewEvent } from "./event-types.ts";
import { epochTime, eventTime, header, type NormaliseContext } from "./normalise-context.ts";

/** What the ingest must remember about a phone after an event (switchboard_registrations). */
export type RegistrationChange =
  | {
      kind: "registered";
      user: string;
      realm: string;
      contact: string;
      sip_call_id: string;
      registered_event_id: string;
      domain_uuid: string | null;
      extension_uuid: string | null;
      expires_at: string | null;
    }
  | { kind: "refreshed"; user: string; realm: string; sip_call_id: string; expires_at: string | null }
  | { kind: "gone"; user: string; realm: string; sip_call_id: string };

export interface RegistrationFacts {
  user: string;
  realm: string;
  contact: string;
  sip_call_id: string;
  user_agent: string | null;
  network_ip: string | null;
  network_port: string | null;
  profile: string | null;
  /** Epoch seconds the registration runs out. */
  expires_epoch: number | null;
}

export function registeredId(facts: RegistrationFacts): string {
  return eventId("extension.registered", facts.user, facts.realm, facts.sip_call_id, facts.expires_epoch ?? 0);
}

/** The registered event for a phone the switch has and Switchboard had not logged. */
export function registeredEvent(
  facts: RegistrationFacts,
  ctx: NormaliseContext,
  occurredAt: string,
  reconciled: boolean,
): { event: NewEvent; change: RegistrationChange } {
  const domain = ctx.domainUuidByName(facts.realm);
  const extension = domain ? ctx.extensionUuid(domain, facts.user) : null;
  const expiresAt = epochTime(facts.expires_epoch);
  const id = registeredId(facts);
  return {
    event: {
      id,
      type: "extension.registered",
      domain_uuid: domain,
      call_id: null,
      extension_uuid: extension,
      occurred_at: occurredAt,
      reconciled,
      switch_host: ctx.switchHost,
      data: {
        user: facts.user,
        realm: facts.realm,
        contact: facts.contact,
        user_agent: facts.user_agent,
        network_ip: facts.network_ip,
        network_port: facts.network_port,
        profile: facts.profile,
        extension_uuid: extension,
        expires_at: expiresAt,
      },
    },
    change: {
      kind: "registered",
      user: facts.user,
      realm: facts.realm,
      contact: facts.contact,
      sip_call_id: facts.sip_call_id,
      registered_event_id: id,
      domain_uuid: domain,
      extension_uuid: extension,
      expires_at: expiresAt,
    },
  };
}

/**
 * The unregistered event. Its id derives from the registration it ends when Switchboard logged that one
 * (so live and recovered agree), else from the phone and the time.
 */
export function unregisteredEvent(
  facts: RegistrationFacts,
  reason: "unregistered" | "expired",
  ctx: NormaliseContext,
  occurredAt: string,
  reconciled: boolean,
): { event: NewEvent; change: RegistrationChange } {
  const known = ctx.knownRegistration(facts.user, facts.realm, facts.sip_call_id);
  const domain = ctx.domainUuidByName(facts.realm);
  const extension = domain ? ctx.extensionUuid(domain, facts.user) : null;
  const id = known
    ? eventId("extension.unregistered", known.registered_event_id)
    : eventId("extension.unregistered", facts.user, facts.realm, facts.sip_call_id, occurredAt);
  return {
    event: {
      id,
      type: "extension.unregistered",
      domain_uuid: domain,
      call_id: null,
      extension_uuid: extension,
      occurred_at: occurredAt,
      reconciled,
      switch_host: ctx.switchHost,
      data: {
        user: facts.user,
        realm: facts.realm,
        contact: known?.contact ?? facts.contact,
        user_agent: facts.user_agent,
        network_ip: facts.network_ip,
        network_port: facts.network_port,
        profile: facts.profile,
        extension_uuid: extension,
        reason,
      },
    },
    change: { kind: "gone", user: facts.user, realm: facts.realm, sip_call_id: facts.sip_call_id },
  };
}

function eventSeconds(event: SwitchEvent): number {
  return Math.floor(Date.parse(eventTime(event)) / 1000);
}

/**
 * sofia::register / sofia::unregister / sofia::expire. A register is an event only for a phone not
 * already registered (`update-reg: true` marks a refresh of a known contact, and a register of a
 * registration already logged is a refresh too); refreshes only move the expiry.
 */
export function normaliseRegistration(
  event: SwitchEvent,
  ctx: NormaliseContext,
): { events: NewEvent[]; change: RegistrationChange | null } {
  const subclass = header(event, "Event-Subclass");
  const user = header(event, "from-user") ?? header(event, "user") ?? header(event, "username");
  const realm = header(event, "realm") ?? header(event, "from-host") ?? header(event, "host");
  const callId = header(event, "call-id");
  if (!user || !realm) return { events: [], change: null };
  const expiresHeader = Number(header(event, "expires"));
  const facts: RegistrationFacts = {
    user,
    realm: realm.toLowerCase(),
    contact: header(event, "contact") ?? "",
    sip_call_id: callId ?? "",
    user_agent: header(event, "user-agent") ?? null,
    network_ip: header(event, "network-ip") ?? null,
    network_port: header(event, "network-port") ?? null,
    profile: header(event, "profile-name") ?? null,
    expires_epoch: Number.isFinite(expiresHeader) && expiresHeader > 0 ? eventSeconds(event) + expiresHeader : null,
  };
  const occurredAt = eventTime(event);
  if (subclass === "sofia::register") {
    const known = ctx.knownRegistration(facts.user, facts.realm, facts.sip_call_id);
    if (header(event, "update-reg") === "true" || known) {
      return {
        events: [],
        change: {
          kind: "refreshed",
          user: facts.user,
          realm: facts.realm,
          sip_call_id: facts.sip_call_id,
          expires_at: epochTime(facts.expires_epoch),
        },
      };
    }
    const { event: registered, change } = registeredEvent(facts, ctx, occurredAt, false);
    return { events: [registered], change };
  }
  if (subclass === "sofia::unregister" || subclass === "sofia::expire") {
    const reason = subclass === "sofia::expire" ? "expired" : "unregistered";
    const { event: unregistered, change } = unregisteredEvent(facts, reason, ctx, occurredAt, false);
    return { events: [unregistered], change };
  }
  return { events: [], change: null };
}
