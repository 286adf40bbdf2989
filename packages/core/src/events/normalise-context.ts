import type { SwitchEvent } from "@switchboard/esl";

/**
 * What the normaliser may look up, as plain synchronous functions over data the ingest loaded (FusionPBX's
 * domains, destinations, extensions, call-center agents; the registrations Switchboard believes current).
 * Given the same context, the same switch event always gives the same Switchboard events.
 */
export interface NormaliseContext {
  switchHost: string;
  domainUuidByName(name: string): string | null;
  /** The domain a number belongs to through `v_destinations` (a DID). */
  domainUuidByNumber(number: string): string | null;
  extensionUuid(domainUuid: string, user: string): string | null;
  /** FusionPBX names call-center agents by their uuid; their domain. */
  agentDomainUuid(agent: string): string | null;
  /** The registration Switchboard logged as current for this phone (user, realm and SIP Call-ID). */
  knownRegistration(user: string, realm: string, sipCallId: string): KnownRegistration | null;
}

export interface KnownRegistration {
  registered_event_id: string;
  contact: string;
  expires_at: string | null;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function asUuid(value: string | undefined | null): string | null {
  return value && UUID.test(value) ? value.toLowerCase() : null;
}

export function header(event: SwitchEvent, name: string): string | undefined {
  const value = event.headers[name];
  return value === undefined || value === "" ? undefined : value;
}

export function variable(event: SwitchEvent, name: string): string | undefined {
  return header(event, `variable_${name}`);
}

/** Event-Date-Timestamp (µs since the epoch) as ISO 8601 UTC; now when missing. */
export function eventTime(event: SwitchEvent): string {
  const micros = Number(header(event, "Event-Date-Timestamp"));
  return new Date(Number.isFinite(micros) && micros > 0 ? Math.floor(micros / 1000) : Date.now()).toISOString();
}

/** Epoch seconds (FreeSWITCH's *_epoch variables, 0 = never) as ISO 8601 UTC. */
export function epochTime(value: string | number | undefined | null): string | null {
  const seconds = Number(value);
  return Number.isFinite(seconds) && seconds > 0 ? new Date(seconds * 1000).toISOString() : null;
}

/**
 * The FusionPBX domain of a channel event, in order: variable_domain_uuid, variable_domain_name,
 * variable_dialed_domain, Caller-Context (internal calls run in the domain's context), the DID.
 */
export function channelDomain(event: SwitchEvent, ctx: NormaliseContext): string | null {
  const byUuid = asUuid(variable(event, "domain_uuid"));
  if (byUuid) return byUuid;
  for (const name of [
    variable(event, "domain_name"),
    variable(event, "dialed_domain"),
    header(event, "Caller-Context"),
  ]) {
    const found = name ? ctx.domainUuidByName(name) : null;
    if (found) return found;
  }
  const dialled = header(event, "Caller-Destination-Number");
  return dialled ? ctx.domainUuidByNumber(dialled) : null;
}

/** `user@host`, `sip:user@host` → host. */
export function hostOf(address: string | undefined): string | undefined {
  if (!address) return undefined;
  const at = address.lastIndexOf("@");
  return at < 0 ? undefined : address.slice(at + 1).replace(/[;>].*$/, "") || undefined;
}

export function userOf(address: string | undefined): string | undefined {
  if (!address) return undefined;
  const at = address.lastIndexOf("@");
  return at < 0 ? undefined : address.slice(0, at).replace(/^sips?:/, "") || undefined;
}
