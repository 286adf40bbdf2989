import type { Queryable } from "@switchboard/db";
import type { ActionContext } from "../context.ts";
import { notFound } from "../errors.ts";

export interface DomainRow {
  domain_uuid: string;
  domain_name: string;
}

/**
 * The domain a request may touch. A caller bound to a domain only ever gets that domain: naming another one
 * answers "not found" (never "forbidden", so it learns nothing). Null means an unbound caller named none.
 */
export function scopedDomain(ctx: ActionContext, requested: string | undefined): string | null {
  const bound = ctx.caller.domainUuid?.toLowerCase() ?? null;
  const asked = requested?.toLowerCase() ?? null;
  if (bound && asked && asked !== bound) throw notFound("domain not found");
  return bound ?? asked;
}

/** The domain's row, or 404 `domain not found`. */
export async function requireDomain(q: Queryable, domainUuid: string): Promise<DomainRow> {
  const rows = await q<DomainRow[]>`select domain_uuid, domain_name from v_domains where domain_uuid = ${domainUuid}::uuid`;
  const row = rows[0];
  if (!row) throw notFound("domain not found");
  return row;
}
