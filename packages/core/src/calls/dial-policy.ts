import type { ActionContext } from "../context.ts";
import { forbidden } from "../errors.ts";
import type { DomainRef } from "../tenancy/domain-rule.ts";
import { countCall } from "./call-rate-limit.ts";
import { DIAL_NUMBER } from "./dial-values.ts";

/**
 * The call policy (docs/call-policy.md): who may place a call, from which phone, to which number, with which
 * caller id and how often. It runs inside the call actions, so every face gets the same answer.
 *
 * - A caller holding `calls-unrestricted` (keys made in FusionPBX's own page hold every scope) places calls
 *   as the original did: any first leg, destination and caller id, no limit.
 * - Everyone else: the phone that rings first is an enabled extension of the domain, their own (a Slack
 *   user's linked extension) unless they hold `calls-any` (or `admin`); the caller id is that extension's;
 *   the destination obeys the domain's dial policy; calls are counted per caller and per domain.
 */

export type DestinationKind = "internal" | "national" | "international" | "premium";

export interface DialPolicy {
  allowInternational: boolean;
  allowPremium: boolean;
  /** The domain's country calling code (`1`, `44`): `+1…` is then national. Null: every `+` number is international. */
  countryCode: string | null;
  callsPerUserPerMinute: number;
  callsPerDomainPerMinute: number;
}

/** The policy of a domain the operator has not configured: internal and national numbers only. */
export const DEFAULT_DIAL_POLICY: DialPolicy = {
  allowInternational: false,
  allowPremium: false,
  countryCode: null,
  callsPerUserPerMinute: 5,
  callsPerDomainPerMinute: 30,
};

/**
 * Premium-rate prefixes refused unless the operator allows them, written as dialled inside the country:
 * North America's 900 and 976, the UK's 09 and 0871–0873, 0900 (Germany, the Netherlands, Austria, Switzerland,
 * Belgium), Germany's 0137/0138 and France's 089.
 */
export const PREMIUM_PREFIXES: readonly string[] = [
  "1900",
  "900",
  "1976",
  "976",
  "0900",
  "0901",
  "0902",
  "0903",
  "0904",
  "0905",
  "0906",
  "0907",
  "0908",
  "0909",
  "0871",
  "0872",
  "0873",
  "0137",
  "0138",
  "089",
];

/** A number longer than this (without `+`) that is not an extension is an outside number. */
const SHORT_NUMBER_DIGITS = 6;

/** What kind of number `number` (digits, `+`, `*`, `#`) is, given whether it is a phone of the domain. */
export function classifyDestination(
  number: string,
  policy: Pick<DialPolicy, "countryCode">,
  isDomainPhone: boolean,
): DestinationKind {
  if (isDomainPhone || number.startsWith("*")) return "internal";
  let national: string | null = null;
  const cc = policy.countryCode;
  for (const prefix of ["+", "00", "011"]) {
    if (!number.startsWith(prefix)) continue;
    const rest = number.slice(prefix.length);
    if (cc && rest.startsWith(cc)) national = rest.slice(cc.length);
    else return "international";
    break;
  }
  const local = national ?? number;
  if (national === null && local.length <= SHORT_NUMBER_DIGITS) return "national";
  const premium = PREMIUM_PREFIXES.some((p) => local.startsWith(p) || (national !== null && `0${local}`.startsWith(p)));
  return premium ? "premium" : "national";
}

export async function loadDialPolicy(ctx: ActionContext, domainUuid: string): Promise<DialPolicy> {
  const [row] = await ctx.sql<
    {
      allow_international: boolean;
      allow_premium: boolean;
      country_code: string | null;
      per_user: number;
      per_domain: number;
    }[]
  >`select allow_international, allow_premium, country_code, calls_per_user_per_minute as per_user, calls_per_domain_per_minute as per_domain
    from switchboard_dial_policies where domain_uuid = ${domainUuid}::uuid`;
  if (!row) return DEFAULT_DIAL_POLICY;
  return {
    allowInternational: row.allow_international,
    allowPremium: row.allow_premium,
    countryCode: row.country_code,
    callsPerUserPerMinute: row.per_user,
    callsPerDomainPerMinute: row.per_domain,
  };
}

interface DomainPhone {
  extension: string;
  caller_id_name: string | null;
  caller_id_number: string | null;
  enabled: boolean;
}

/** An extension (by number or alias) or a ring group of the domain; null when the number is neither. */
async function domainPhone(
  ctx: ActionContext,
  domainUuid: string,
  number: string,
): Promise<DomainPhone | "ring-group" | null> {
  const [extension] = await ctx.sql<DomainPhone[]>`
    select extension, nullif(effective_caller_id_name, '') as caller_id_name, nullif(effective_caller_id_number, '') as caller_id_number,
           coalesce(enabled::text, 'true') in ('true', 't') as enabled
    from v_extensions where domain_uuid = ${domainUuid}::uuid and (extension = ${number} or number_alias = ${number})
    order by (extension = ${number}) desc limit 1`;
  if (extension) return extension;
  const [group] =
    await ctx.sql`select 1 from v_ring_groups where domain_uuid = ${domainUuid}::uuid and ring_group_extension = ${number}`;
  return group ? "ring-group" : null;
}

/** Whether the caller places calls as the original did (no policy). */
export function isUnrestricted(ctx: ActionContext): boolean {
  return ctx.caller.scopes.has("calls-unrestricted");
}

export interface PolicedCall {
  callerIdNumber: string;
  callerIdName: string;
  /** Counts the call against the per-minute limits (TOO_MANY_REQUESTS once spent): run only for a call placed anew, never for an idempotent replay. */
  count: () => Promise<void>;
}

const REFUSED: Record<Exclude<DestinationKind, "internal" | "national">, string> = {
  international: "calls to international numbers are not allowed in this domain (the PBX operator can allow them)",
  premium: "calls to premium-rate numbers are not allowed in this domain (the PBX operator can allow them)",
};

/**
 * Checks a call against the policy: `from` is the extension that rings first (or whose caller id a playback
 * call shows), `to` the outside leg. Returns the caller id to use; throws FORBIDDEN or TOO_MANY_REQUESTS.
 */
export async function enforceCallPolicy(
  ctx: ActionContext,
  domain: DomainRef,
  call: { from: string; to: string },
): Promise<PolicedCall> {
  const phone = await domainPhone(ctx, domain.domain_uuid, call.from);
  if (phone === null || phone === "ring-group") {
    throw forbidden(
      `the phone that rings first must be an extension of this domain, like 101; ${call.from} is not one`,
    );
  }
  if (!phone.enabled) throw forbidden(`extension ${phone.extension} is disabled`);
  const mayUseAny = ctx.caller.scopes.has("calls-any") || ctx.caller.scopes.has("admin");
  const own = ctx.caller.extensions ?? [];
  if (!mayUseAny && !own.includes(phone.extension)) {
    throw forbidden(
      own.length
        ? `you may place calls from your own extension (${own.join(", ")}) only; calling from another needs the 'calls-any' permission`
        : "you may place calls only from your own extension, and none is linked to you (or get the 'calls-any' permission)",
    );
  }
  const policy = await loadDialPolicy(ctx, domain.domain_uuid);
  const target = await domainPhone(ctx, domain.domain_uuid, call.to);
  const kind = classifyDestination(call.to, policy, target !== null);
  if ((kind === "international" && !policy.allowInternational) || (kind === "premium" && !policy.allowPremium)) {
    throw forbidden(REFUSED[kind]);
  }
  // A stored caller id that could not sit in a dial string safely gives way to the (validated) extension.
  const number =
    phone.caller_id_number && DIAL_NUMBER.test(phone.caller_id_number) ? phone.caller_id_number : call.from;
  return {
    callerIdNumber: number,
    callerIdName: phone.caller_id_name ?? phone.extension,
    count: () => countCall(ctx, domain.domain_uuid, policy),
  };
}
