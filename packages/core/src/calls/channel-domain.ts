import type { ActionContext } from "../context.ts";
import type { DomainRef } from "../tenancy/domain-rule.ts";
import { findCall } from "./call-store.ts";

/**
 * A channel belongs to a domain when it runs in the domain's context, its presence is in the domain, or
 * Switchboard placed it for the domain. `null`: every domain (an unbound caller).
 */
export async function channelInDomain(
  ctx: ActionContext,
  domain: DomainRef | null,
  channel: Record<string, string>,
): Promise<boolean> {
  if (domain === null) return true;
  const name = domain.domain_name.toLowerCase();
  if (channel.context?.toLowerCase() === name) return true;
  if (channel.presence_id?.toLowerCase().endsWith(`@${name}`)) return true;
  return (await findCall(ctx.sql, channel.uuid ?? "", domain.domain_uuid)) !== null;
}
