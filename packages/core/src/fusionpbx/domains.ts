import type { Queryable } from "@switchboard/db";
import type { Caller } from "../caller.ts";
import { notFound } from "../errors.ts";
import { canonicalUuid } from "./uuid.ts";

export interface DomainRef {
  domain_uuid: string;
  domain_name: string;
}

/** A caller bound to a domain may only touch that domain; an unbound caller may touch every domain. */
export function callerMaySee(caller: Pick<Caller, "domainUuid">, domainUuid: string | null | undefined): boolean {
  if (caller.domainUuid === null) return true;
  if (!domainUuid) return false;
  return canonicalUuid(domainUuid) === canonicalUuid(caller.domainUuid);
}

/**
 * `SELECT domain_name FROM v_domains WHERE domain_uuid = :domain_uuid`, answering null (the original's
 * "domain not found") for malformed text, a missing row, or a domain outside the caller's scope, so a
 * scoped key learns nothing about other domains.
 */
export async function findDomain(sql: Queryable, caller: Pick<Caller, "domainUuid">, uuidText: string): Promise<DomainRef | null> {
  const uuid = canonicalUuid(uuidText);
  if (!uuid || !callerMaySee(caller, uuid)) return null;
  const rows = await sql<DomainRef[]>`select domain_uuid, domain_name from v_domains where domain_uuid = ${uuid}`;
  const row = rows[0];
  if (!row?.domain_name) return null;
  return row;
}

/**
 * The domain a request to Switchboard's own actions may touch. A caller bound to a domain only ever gets that
 * domain: naming another one answers "not found" (never "forbidden", so it learns nothing). Null means an
 * unbound caller named none.
 */
export function scopedDomain(caller: Pick<Caller, "domainUuid">, requested: string | undefined): string | null {
  const bound = caller.domainUuid?.toLowerCase() ?? null;
  const asked = requested?.toLowerCase() ?? null;
  if (bound && asked && asked !== bound) throw notFound("domain not found");
  return bound ?? asked;
}

/** The domain's row, or 404 `domain not found`. */
export async function requireDomain(sql: Queryable, domainUuid: string): Promise<DomainRef> {
  const rows = await sql<DomainRef[]>`select domain_uuid, domain_name from v_domains where domain_uuid = ${domainUuid}::uuid`;
  const row = rows[0];
  if (!row) throw notFound("domain not found");
  return row;
}

/** The SQL condition a bound caller adds to a lookup: `true` for an unbound caller. */
export function callerDomainFilter(caller: Pick<Caller, "domainUuid">): string | null {
  return caller.domainUuid === null ? null : canonicalUuid(caller.domainUuid);
}
