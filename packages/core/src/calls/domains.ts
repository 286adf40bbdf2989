import type { ActionContext } from "../context.ts";
import { notFound } from "../errors.ts";
import { type DomainRef, callerMaySee, findDomain as findFusionDomain } from "../fusionpbx/domains.ts";

export type { DomainRef };

/** A domain by uuid, or null when it does not exist or the caller is bound to another domain. */
export function findDomain(ctx: ActionContext, domainUuid: string): Promise<DomainRef | null> {
  return findFusionDomain(ctx.sql, ctx.caller, domainUuid);
}

/** A domain by name, with the same scoping. */
export async function findDomainByName(ctx: ActionContext, name: string): Promise<DomainRef | null> {
  const rows = await ctx.sql<DomainRef[]>`
    select domain_uuid::text as domain_uuid, domain_name from v_domains where lower(domain_name) = lower(${name})`;
  const domain = rows[0] ?? null;
  return domain && callerMaySee(ctx.caller, domain.domain_uuid) ? domain : null;
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
