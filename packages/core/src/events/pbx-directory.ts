import type { Sql } from "@switchboard/db";
import type { KnownRegistration, NormaliseContext } from "./normalise-context.ts";

/**
 * FusionPBX's names for things, loaded from its tables for the normaliser: domains by name, DIDs by number
 * (v_destinations), extensions and their aliases, call-center agents (named by their uuid). Reloaded
 * periodically and when a name is not found (at most once per `missReloadMs`).
 */
export interface PbxDirectory {
  domainUuidByName(name: string): string | null;
  domainUuidByNumber(number: string): string | null;
  extensionUuid(domainUuid: string, user: string): string | null;
  agentDomainUuid(agent: string): string | null;
  reload(): Promise<void>;
}

export async function loadPbxDirectory(sql: Sql, options: { missReloadMs?: number } = {}): Promise<PbxDirectory> {
  let domains = new Map<string, string>();
  let numbers = new Map<string, string>();
  let extensions = new Map<string, string>();
  let agents = new Map<string, string>();
  let lastReload = 0;
  const missReloadMs = options.missReloadMs ?? 10_000;
  let reloading: Promise<void> | null = null;

  async function reload(): Promise<void> {
    lastReload = Date.now();
    const [d, n, e, a] = await Promise.all([
      sql`select domain_uuid::text as id, lower(domain_name) as name from v_domains`,
      sql`select domain_uuid::text as id, destination_number as number from v_destinations
          where destination_number is not null and domain_uuid is not null`,
      sql`select extension_uuid::text as id, domain_uuid::text as domain, extension, number_alias from v_extensions`,
      sql`select call_center_agent_uuid::text as id, domain_uuid::text as domain from v_call_center_agents`.catch(
        () => [] as Record<string, unknown>[],
      ),
    ]);
    domains = new Map(d.map((r) => [String(r.name), String(r.id)]));
    numbers = new Map(n.map((r) => [String(r.number).replace(/^\+/, ""), String(r.id)]));
    extensions = new Map();
    for (const r of e) {
      if (r.extension) extensions.set(`${r.domain}/${r.extension}`, String(r.id));
      if (r.number_alias) extensions.set(`${r.domain}/${r.number_alias}`, String(r.id));
    }
    agents = new Map(a.map((r) => [String(r.id), String(r.domain)]));
  }

  function missed(): void {
    if (reloading || Date.now() - lastReload < missReloadMs) return;
    reloading = reload()
      .catch(() => {})
      .finally(() => {
        reloading = null;
      });
  }

  function lookup(map: Map<string, string>, key: string): string | null {
    const found = map.get(key);
    if (found === undefined) missed();
    return found ?? null;
  }

  await reload();
  return {
    domainUuidByName: (name) => lookup(domains, name.toLowerCase()),
    domainUuidByNumber: (number) => lookup(numbers, number.replace(/^\+/, "")),
    extensionUuid: (domain, user) => lookup(extensions, `${domain}/${user}`),
    agentDomainUuid: (agent) => lookup(agents, agent.toLowerCase()),
    reload,
  };
}

/** The registrations Switchboard logged as current on one switch (switchboard_registrations), in memory. */
export interface RegistrationState {
  get(user: string, realm: string, sipCallId: string): KnownRegistration | null;
  all(): Array<KnownRegistration & { user: string; realm: string; sip_call_id: string }>;
}

export function contextFor(
  switchHost: string,
  directory: PbxDirectory,
  registrations: RegistrationState,
): NormaliseContext {
  return {
    switchHost,
    domainUuidByName: directory.domainUuidByName,
    domainUuidByNumber: directory.domainUuidByNumber,
    extensionUuid: directory.extensionUuid,
    agentDomainUuid: directory.agentDomainUuid,
    knownRegistration: (user, realm, callId) => registrations.get(user, realm, callId),
  };
}
