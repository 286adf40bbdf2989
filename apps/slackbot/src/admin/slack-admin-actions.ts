import { type ActionContext, badRequest, conflict, defineAction, forbidden, notFound } from "@switchboard/core";
import { z } from "zod";
import { slackDirectory } from "../access/slack-directory.ts";
import { SLACK_SCOPES } from "./slack-scopes.ts";

/**
 * Slack's own user settings as actions (admin scope), so `/pbx admin …` runs through core's runAction: the
 * same scope check and audit row as every other action. They act on the caller's own workspace, inside the
 * domain the operator bound it to; none of them can choose or change that domain.
 */

const userId = z.string().regex(/^[UW][A-Z0-9]+$/, { error: "a Slack user is written @name" });
const scopeList = z.array(z.enum(SLACK_SCOPES)).max(SLACK_SCOPES.length);
const extension = z.string().regex(/^[0-9*#+]{1,32}$/, { error: "an extension is digits, like 101" });

function teamOf(ctx: ActionContext): string {
  const team = ctx.caller.slackTeamId;
  if (!team) throw forbidden("only a Slack workspace can change its own Slack settings");
  return team;
}

function boundDomain(ctx: ActionContext): string {
  if (!ctx.caller.domainUuid)
    throw forbidden("this workspace is not linked to a PBX domain; the PBX operator links it");
  return ctx.caller.domainUuid;
}

export const slackUserScopes = defineAction({
  name: "slack-user-scopes",
  path: "slack.userScopes",
  summary: "Sets what a Slack user of the calling workspace may do (read, write, calls, calls-any, admin).",
  scope: "admin",
  domain: { by: "none" },
  kind: "mutation",
  input: z.object({ user_id: userId, scopes: scopeList }),
  output: z.object({ user_id: z.string(), scopes: scopeList }),
  async handler(ctx, input) {
    boundDomain(ctx);
    if (input.user_id === ctx.caller.slackUserId && !input.scopes.includes("admin")) {
      throw badRequest("you cannot take the admin permission from yourself; ask another admin");
    }
    await slackDirectory(ctx.sql).setScopes(teamOf(ctx), input.user_id, input.scopes);
    return { user_id: input.user_id, scopes: input.scopes };
  },
});

export const slackUserExtension = defineAction({
  name: "slack-user-extension",
  path: "slack.userExtension",
  summary: "Links a Slack user of the calling workspace to an extension of its domain (null unlinks).",
  scope: "admin",
  domain: { by: "none" },
  kind: "mutation",
  input: z.object({ user_id: userId, extension: extension.nullable(), default_scopes: scopeList }),
  output: z.object({ user_id: z.string(), extension: z.string().nullable() }),
  async handler(ctx, input) {
    const domainUuid = boundDomain(ctx);
    if (input.extension !== null) {
      const [found] = await ctx.sql`
        select 1 from v_extensions where domain_uuid = ${domainUuid}::uuid and extension = ${input.extension}`;
      if (!found) throw notFound(`there is no extension ${input.extension} in this domain; /ext list shows them`);
      // One person per extension: whoever is linked may ring it first and calls with its caller id.
      const [taken] = await ctx.sql<{ user_id: string }[]>`
        select user_id from switchboard_slack_users
        where team_id = ${teamOf(ctx)} and extension = ${input.extension} and user_id <> ${input.user_id} limit 1`;
      if (taken)
        throw conflict(
          `extension ${input.extension} is already linked to ${taken.user_id}; unlink them first with /pbx admin ext @them none`,
        );
    }
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
    boundDomain(ctx);
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
    boundDomain(ctx);
    return slackDirectory(ctx.sql).users(teamOf(ctx));
  },
});
