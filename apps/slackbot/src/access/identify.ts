import type { Scope } from "@switchboard/core";
import type { SlackDirectory } from "./slack-directory.ts";

/** Who a Slack request comes from, and what the bot lets them do. */
export interface SlackIdentity {
  teamId: string;
  userId: string;
  /** The FusionPBX domain this workspace acts on; null when it is bound to none. */
  domainUuid: string | null;
  /** Where the binding comes from, for `/pbx admin show`. */
  binding: "workspace" | "SLACK_DOMAIN" | null;
  scopes: ReadonlySet<Scope>;
  /** The user's own extension (rings first on `/call <to>`). */
  extension: string | null;
  /** Whether the scopes come from a switchboard_slack_users row or from the defaults. */
  scopeSource: "user" | "default";
}

export interface AccessPolicy {
  adminUsers: ReadonlySet<string>;
  defaultScopes: readonly Scope[];
  fixedDomainName: string | null;
}

export class DomainNotFoundError extends Error {
  constructor(readonly domainName: string) {
    super(`SLACK_DOMAIN names '${domainName}', which is not a domain of this FusionPBX`);
    this.name = "DomainNotFoundError";
  }
}

/**
 * Resolves workspace binding and user scopes: a workspace row wins over SLACK_DOMAIN; a user row over
 * SLACK_DEFAULT_SCOPES; SLACK_ADMIN_USERS are admins whatever their row says (so no one locks them out).
 */
export function createIdentifier(options: {
  directory: SlackDirectory;
  policy: AccessPolicy;
  /** Looks a domain up by name (through the registry's domain action). */
  domainUuidByName: (name: string) => Promise<string | null>;
}) {
  const { directory, policy } = options;
  let fixedDomain: { uuid: string; until: number } | null = null;

  const resolveFixedDomain = async (name: string): Promise<string> => {
    if (fixedDomain && fixedDomain.until > Date.now()) return fixedDomain.uuid;
    const uuid = await options.domainUuidByName(name);
    if (!uuid) throw new DomainNotFoundError(name);
    fixedDomain = { uuid, until: Date.now() + 60_000 };
    return uuid;
  };

  return async function identify(teamId: string, userId: string): Promise<SlackIdentity> {
    const [boundDomain, user] = await Promise.all([directory.workspaceDomain(teamId), directory.user(teamId, userId)]);
    let domainUuid = boundDomain;
    let binding: SlackIdentity["binding"] = boundDomain ? "workspace" : null;
    if (!domainUuid && policy.fixedDomainName) {
      domainUuid = await resolveFixedDomain(policy.fixedDomainName);
      binding = "SLACK_DOMAIN";
    }
    const scopes = new Set<Scope>(user ? user.scopes : policy.defaultScopes);
    if (policy.adminUsers.has(userId)) scopes.add("admin");
    return {
      teamId,
      userId,
      domainUuid,
      binding,
      scopes,
      extension: user?.extension ?? null,
      scopeSource: user ? "user" : "default",
    };
  };
}

export type Identify = ReturnType<typeof createIdentifier>;
