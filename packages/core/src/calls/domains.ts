import type { Queryable } from "@switchboard/db";
import type { ActionContext } from "../context.ts";
import { notFound } from "../errors.ts";

export interface DomainRef {
  domain_uuid: string;
  domain_name: string;
}

/** A domain by uuid, or null when it does not exist or the caller is bound to another domain. */
export async function findDomain(ctx: ActionContext, domainUuid: string, sql: Queryable = ctx.sql): Promise<DomainRef | null> {
  const uuid = domainUuid.toLowerCase();
  if (ctx.caller.domainUuid !== null && ctx.caller.domainUuid.toLowerCase() !== uuid) return null;
  const rows = await sql<DomainRef[]>`
    select domain_uuid::text as domain_uuid, domain_name from v_domains where domain_uuid = ${uuid}::uuid`;
  return rows[0] ?? null;
}

/** A domain by name, with the same scoping. */
export async function findDomainByName(ctx: ActionContext, name: string): Promise<DomainRef | null> {
  const rows = await ctx.sql<DomainRef[]>`
    select domain_uuid::text as domain_uuid, domain_name from v_domains where lower(domain_name) = lower(${name})`;
  const domain = rows[0] ?? null;
  if (!domain) return null;
  if (ctx.caller.domainUuid !== null && ctx.caller.domainUuid.toLowerCase() !== domain.domain_uuid) return null;
  return domain;
}

/**
 * The domain a read is limited to: the one asked for, else the caller's own; null means every domain (an
 * unscoped key that named none). An unknown or foreign domain is "not found".
 */
export async function domainFilter(ctx: ActionContext, domainUuid: string | undefined): Promise<DomainRef | null> {
  const wanted = domainUuid ?? ctx.caller.domainUuid ?? undefined;
  if (wanted === undefined) return null;
  const domain = await findDomain(ctx, wanted);
  if (!domain) throw notFound("domain not found");
  return domain;
}
