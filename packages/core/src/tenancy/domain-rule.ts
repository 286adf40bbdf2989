/** A FusionPBX domain as handlers receive it: resolved, visible to the caller, existing. */
export interface DomainRef {
  domain_uuid: string;
  domain_name: string;
  /**
   * The whole `v_domains` row, read by the same statement that resolved the domain, so that an action
   * answering with the domain itself needs no second round trip.
   */
  row: Record<string, unknown>;
}

/**
 * How an action finds the domain it works in. `runAction` resolves it before the handler runs and answers
 * "not found" (NOT_FOUND with the rule's `notFound` message; the legacy face: the action's
 * `legacy.domainNotFound`) for a domain that does not exist and for one the caller is not bound to alike, so
 * a domain-bound key learns nothing about other domains.
 *
 * - `none`: the action touches no domain's data (a Slack workspace's own settings); the handler gets `null`.
 * - `caller`: no domain in the input; the caller's own domain, or `null` (every domain) for an unbound caller.
 * - `input`: a `domain_uuid`-like field (`uuid`), else a domain name (`name`, an alternative field, or
 *   `nameOf`, a name inside another value that must then agree with `uuid`). When neither is given:
 *   `refuse` answers "missing …", `caller` falls back to the caller's own domain (or `null`).
 * - `row`: the domain of the row the action touches (`table` by `key`); an optional `uuid` field naming a
 *   domain must agree with it.
 */
export type DomainRule = (
  | { by: "none" }
  | { by: "caller" }
  | {
      by: "input";
      uuid?: string;
      name?: string;
      nameOf?: (input: Record<string, unknown>) => string | undefined;
      whenAbsent: "refuse" | "caller";
    }
  | { by: "row"; table: TenantTable; key: string; uuid?: string }
) & {
  /** The message for a domain (or row) that is missing or not the caller's; default "domain not found". */
  notFound?: string;
};

/** Tables whose rows carry the `domain_uuid` they belong to. */
export type TenantTable = "v_extensions" | "v_destinations" | "v_ring_groups" | "switchboard_calls";

/** What a handler receives for a rule: always a domain, or `null` meaning "every domain" (unbound callers). */
export type ResolvedDomain<R extends DomainRule> = R extends { by: "row" }
  ? DomainRef
  : R extends { by: "input"; whenAbsent: "refuse" }
    ? DomainRef
    : DomainRef | null;
