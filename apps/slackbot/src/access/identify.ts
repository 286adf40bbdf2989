import type { Scope } from "@switchboard/core";
import { ConfigError } from "../config.ts";
import type { SlackDirectory } from "./slack-directory.ts";

/** Who a Slack request comes from, and what the bot lets them do. */
export interface SlackIdentity {
  teamId: string;
  userId: string;
  /** The FusionPBX domain this workspace acts on; null when the operator bound it to none. */
  domainUuid: string | null;
  /** The bound domain's name, for replies (`/pbx admin show`). */
  domainName: string | null;
  /** Which operator setting binds the workspace, for `/pbx admin show`. */
  binding: "SLACK_TEAM_DOMAINS" | "SLACK_DOMAIN" | null;
  scopes: ReadonlySet<Scope>;
  /** The user's own extension (rings first on `/call <to>`). */
  extension: string | null;
  /** Whether the scopes come from a switchboard_slack_users row or from the defaults. */
  scopeSource: "user" | "default";
}

export interface AccessPolicy {
  adminUsers: ReadonlySet<string>;
  defaultScopes: readonly Scope[];
  /** SLACK_DOMAIN: every workspace not listed in teamDomains. */
  fixedDomainName: string | null;
  /** SLACK_TEAM_DOMAINS: team id → domain name. */
  teamDomains?: ReadonlyMap<string, string>;
}

/** A configured domain name that is not a domain of this FusionPBX: start-up stops with this one line. */
export class DomainNotFoundError extends ConfigError {
  constructor(
    readonly domainName: string,
    setting = "SLACK_DOMAIN",
  ) {
    super(`${setting} names '${domainName}', which is not a domain of this FusionPBX`);
    this.name = "DomainNotFoundError";
  }
}

/** Scopes a Slack user can never hold, whatever a row says: calling outside the dial policy is for API keys. */
const NEVER_IN_SLACK: ReadonlySet<string> = new Set(["calls-unrestricted"]);

/**
 * Resolves the workspace's domain and the user's scopes. The domain is the PBX operator's decision only:
 * SLACK_TEAM_DOMAINS for a listed workspace, else SLACK_DOMAIN, else none. Nothing a Slack user does can
 * change it. A user row replaces SLACK_DEFAULT_SCOPES; SLACK_ADMIN_USERS are admins whatever their row says.
 */
export function createIdentifier(options: {
  directory: SlackDirectory;
  policy: AccessPolicy;
  /** Looks a domain up by name (through the registry's domain action). */
  domainUuidByName: (name: string) => Promise<string | null>;
}) {
  const { directory, policy } = options;
  const teamDomains = policy.teamDomains ?? new Map<string, string>();
  const resolved = new Map<string, { uuid: string; until: number }>();

  const resolveDomain = async (name: string, setting: string): Promise<string> => {
    const cached = resolved.get(name);
    if (cached && cached.until > Date.now()) return cached.uuid;
    const uuid = await options.domainUuidByName(name);
    if (!uuid) throw new DomainNotFoundError(name, setting);
    resolved.set(name, { uuid, until: Date.now() + 60_000 });
    return uuid;
  };

  const bindingOf = (teamId: string): { name: string; setting: "SLACK_TEAM_DOMAINS" | "SLACK_DOMAIN" } | null => {
    const listed = teamDomains.get(teamId);
    if (listed) return { name: listed, setting: "SLACK_TEAM_DOMAINS" };
    return policy.fixedDomainName ? { name: policy.fixedDomainName, setting: "SLACK_DOMAIN" } : null;
  };

  async function identify(teamId: string, userId: string): Promise<SlackIdentity> {
    const bound = bindingOf(teamId);
    const [domainUuid, user] = await Promise.all([
      bound ? resolveDomain(bound.name, bound.setting) : null,
      directory.user(teamId, userId),
    ]);
    const scopes = new Set<Scope>((user ? user.scopes : policy.defaultScopes).filter((s) => !NEVER_IN_SLACK.has(s)));
    if (policy.adminUsers.has(userId)) scopes.add("admin");
    return {
      teamId,
      userId,
      domainUuid,
      domainName: bound?.name ?? null,
      binding: bound?.setting ?? null,
      scopes,
      extension: user?.extension ?? null,
      scopeSource: user ? "user" : "default",
    };
  }

  /** Checks at start-up that every configured domain exists, so a typo stops the bot with one line. */
  identify.verifyBindings = async (): Promise<void> => {
    if (policy.fixedDomainName) await resolveDomain(policy.fixedDomainName, "SLACK_DOMAIN");
    for (const name of teamDomains.values()) await resolveDomain(name, "SLACK_TEAM_DOMAINS");
  };

  return identify;
}

export type Identify = ReturnType<typeof createIdentifier>;
