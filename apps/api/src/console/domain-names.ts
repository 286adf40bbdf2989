import type { SignedIn } from "./session.ts";

export interface DomainChoice {
  uuid: string;
  name: string;
}

/**
 * The domains the signed-in key may see (a domain-bound key: its own), by name, for pickers and to show
 * names instead of uuids. Read through domains.list like every other read; not audited, since the person
 * asked for the page, not for this lookup.
 */
export async function visibleDomains(signedIn: SignedIn): Promise<DomainChoice[]> {
  const found: DomainChoice[] = [];
  let cursor: string | undefined;
  do {
    const page = await signedIn.lookup.domains.list({ limit: 1000, ...(cursor ? { cursor } : {}) });
    for (const d of page.items) found.push({ uuid: d.domain_uuid, name: d.domain_name ?? d.domain_uuid });
    cursor = page.nextCursor ?? undefined;
  } while (cursor && found.length < 10_000);
  return found;
}

export function domainName(domains: readonly DomainChoice[], uuid: string | null | undefined): string | null {
  if (!uuid) return null;
  return domains.find((d) => d.uuid === uuid)?.name ?? uuid;
}
