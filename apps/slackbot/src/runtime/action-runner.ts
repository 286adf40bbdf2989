import { type ActionCaller, actionsByName, type AnyAction, type Caller, runAction, SCOPES } from "@switchboard/core";
import type { SlackIdentity } from "../access/identify.ts";
import type { BotServices } from "./services.ts";

export class MissingActionError extends Error {
  constructor(name: string) {
    super(`action '${name}' is not in the registry`);
    this.name = "MissingActionError";
  }
}

export function registryAction(name: string): AnyAction {
  const action = actionsByName.get(name);
  if (!action) throw new MissingActionError(name);
  return action;
}

/** The Caller a Slack request acts as: the user's scopes, bound to the workspace's domain. */
export function slackCaller(identity: SlackIdentity, requestId: string): Caller {
  return {
    face: "slack",
    requestId,
    keyId: null,
    domainUuid: identity.domainUuid,
    scopes: identity.scopes,
    // The linked extension is the user's own: what the `calls` permission may ring first (core's call policy).
    extensions: identity.extension ? [identity.extension] : [],
    slackUserId: identity.userId,
    slackTeamId: identity.teamId,
  };
}

/** Runs actions for Slack users: registry actions through the typed caller, bot-only ones through runAction. */
export function createActionRunner(services: BotServices) {
  return {
    /** The typed in-process caller as this Slack user; audited unless `{ audit: false }` (status polls). */
    calls(identity: SlackIdentity, requestId: string, options: { audit?: boolean } = {}): ActionCaller {
      return services.caller(slackCaller(identity, requestId), options);
    },

    /** A bot-only action definition (the Slack admin actions) as the Slack user; audited. Returns its raw output. */
    run(
      identity: SlackIdentity,
      requestId: string,
      action: string | AnyAction,
      input: unknown,
      options: { audit?: boolean } = {},
    ): Promise<unknown> {
      const definition = typeof action === "string" ? registryAction(action) : action;
      return runAction(
        definition,
        services.context(slackCaller(identity, requestId)),
        input,
        options.audit === false ? {} : { audit: services.audit },
      );
    },

    /** The switches' health, for `/pbx status`. */
    health: () => services.switches.health(),

    /** The caller as the bot itself, for lookups it needs before it knows the user's domain (SLACK_DOMAIN by name). */
    internal(): ActionCaller {
      const caller: Caller = {
        face: "slack",
        requestId: `slack-internal-${crypto.randomUUID()}`,
        keyId: null,
        domainUuid: null,
        scopes: new Set(SCOPES),
      };
      return services.caller(caller, { audit: false });
    },

    /** Audits a command that ended before reaching an action (help, wrong usage, unbound workspace, retry). */
    auditCommand(entry: {
      teamId: string;
      userId: string;
      domainUuid: string | null;
      command: string;
      outcome: string;
      errorCode?: string | null;
      requestId: string;
    }) {
      services.audit.record({
        face: "slack",
        keyId: null,
        slackUserId: entry.userId,
        slackTeamId: entry.teamId,
        action: entry.command,
        domainUuid: entry.domainUuid,
        outcome: entry.outcome,
        errorCode: entry.errorCode ?? null,
        requestId: entry.requestId,
        address: null,
        durationMs: 0,
        at: services.now(),
      });
    },
  };
}

export type ActionRunner = ReturnType<typeof createActionRunner>;
