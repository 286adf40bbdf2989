import { type ActionContext, actionsByName, badRequest, defineAction, forbidden, notFound, runAction, SCOPES, type Scope } from "@switchboard/core";
import { z } from "zod";
import { slackDirectory } from "../access/slack-directory.ts";

/**
 * Slack's own access settings as actions (admin scope), so `/pbx admin …` runs through core's runAction:
 * the same scope check and audit row as every other action. They act on the caller's own workspace only.
 */

const userId = z.string().regex(/^[UW][A-Z0-9]+$/, { error: "not a Slack user id" });
const scopeList = z.array(z.enum(SCOPES)).max(SCOPES.length);
const extension = z.string().regex(/^[0-9*#+]{1,32}$/, { error: "an extension is digits (and * # +)" });

function teamOf(ctx: ActionContext): string {
  const team = ctx.caller.slackTeamId;
  if (!team) throw forbidden("only a Slack workspace can change its own Slack settings");
  return team;
}

/** Finds a domain by name or uuid across the whole install (binding chooses among them). */
async function findDomain(ctx: ActionContext, nameOrUuid: string): Promise<{ uuid: string; name: string }> {
  const details = actionsByName.get("domain-details");
  if (!details) throw new Error("action 'domain-details' is not in the registry");
  const byUuid = z.uuid().safeParse(nameOrUuid).success;
  const unscoped = { ...ctx, caller: { ...ctx.caller, domainUuid: null, scopes: new Set<Scope>(["read"]) } };
  const row = (await runAction(details, unscoped, byUuid ? { domain_uuid: nameOrUuid } : { domain_name: nameOrUuid }).catch((error) => {
    if ((error as { code?: string }).code === "NOT_FOUND") return null;
    throw error;
  })) as { domain_uuid?: string; domain_name?: string } | null;
  if (!row?.domain_uuid) throw notFound(`no domain '${nameOrUuid}' on this PBX`);
  return { uuid: row.domain_uuid, name: row.domain_name ?? nameOrUuid };
}

export const slackWorkspaceBind = defineAction({
  name: "slack-workspace-bind",
  path: "slack.workspaceBind",
  summary: "Binds the calling Slack workspace to a FusionPBX domain (by name or uuid).",
  scope: "admin",
  domain: { by: "none" },
  kind: "mutation",
  input: z.object({ domain: z.string().min(1).max(255) }),
  output: z.object({ domain_uuid: z.string(), domain_name: z.string() }),
  async handler(ctx, input) {
    const team = teamOf(ctx);
    const domain = await findDomain(ctx, input.domain);
    await slackDirectory(ctx.sql).bindWorkspace(team, domain.uuid);
    return { domain_uuid: domain.uuid, domain_name: domain.name };
  },
});

export const slackWorkspaceUnbind = defineAction({
  name: "slack-workspace-unbind",
  path: "slack.workspaceUnbind",
  summary: "Removes the calling Slack workspace's domain binding.",
  scope: "admin",
  domain: { by: "none" },
  kind: "mutation",
  input: z.object({}),
  output: z.object({ removed: z.boolean() }),
  async handler(ctx) {
    return { removed: await slackDirectory(ctx.sql).unbindWorkspace(teamOf(ctx)) };
  },
});

export const slackUserScopes = defineAction({
  name: "slack-user-scopes",
  path: "slack.userScopes",
  summary: "Sets what a Slack user of the calling workspace may do (read, write, calls, admin).",
  scope: "admin",
  domain: { by: "none" },
  kind: "mutation",
  input: z.object({ user_id: userId, scopes: scopeList }),
  output: z.object({ user_id: z.string(), scopes: scopeList }),
  async handler(ctx, input) {
    if (input.user_id === ctx.caller.slackUserId && !input.scopes.includes("admin")) {
      throw badRequest("you cannot take the admin scope from yourself; ask another admin");
    }
    await slackDirectory(ctx.sql).setScopes(teamOf(ctx), input.user_id, input.scopes);
    return { user_id: input.user_id, scopes: input.scopes };
  },
});

export const slackUserExtension = defineAction({
  name: "slack-user-extension",
  path: "slack.userExtension",
  summary: "Links a Slack user of the calling workspace to their own extension (null unlinks).",
  scope: "admin",
  domain: { by: "none" },
  kind: "mutation",
  input: z.object({ user_id: userId, extension: extension.nullable(), default_scopes: scopeList }),
  output: z.object({ user_id: z.string(), extension: z.string().nullable() }),
  async handler(ctx, input) {
    await slackDirectory(ctx.sql).setExtension(teamOf(ctx), input.user_id, input.extension, input.default_scopes);
    return { user_id: input.user_id, extension: input.extension };
  },
});

export const slackUserForget = defineAction({
  name: "slack-user-forget",
  path: "slack.userForget",
  summary: "Removes a Slack user's row: they get the default scopes again.",
  scope: "admin",
  domain: { by: "none" },
  kind: "mutation",
  input: z.object({ user_id: userId }),
  output: z.object({ removed: z.boolean() }),
  async handler(ctx, input) {
    return { removed: await slackDirectory(ctx.sql).removeUser(teamOf(ctx), input.user_id) };
  },
});

export const slackUserList = defineAction({
  name: "slack-user-list",
  path: "slack.userList",
  summary: "The calling workspace's Slack users with their scopes and extensions.",
  scope: "admin",
  domain: { by: "none" },
  kind: "query",
  input: z.object({}),
  output: z.array(z.object({ userId: z.string(), scopes: scopeList, extension: z.string().nullable() })),
  async handler(ctx) {
    return slackDirectory(ctx.sql).users(teamOf(ctx));
  },
});
