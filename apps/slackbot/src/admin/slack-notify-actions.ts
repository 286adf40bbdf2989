import { type ActionContext, defineAction, forbidden } from "@switchboard/core";
import { z } from "zod";

/**
 * Channel subscriptions (`/pbx notify …`) as actions with the admin scope, run through core's runAction
 * (scope check, audit row). A subscription is always for the domain the operator bound the calling
 * workspace to: nothing in the input names a domain.
 */

export const NOTIFY_KINDS = { missed: "call.missed", voicemail: "voicemail.left" } as const;
const kind = z.enum(["missed", "voicemail"], { error: "what to send is missed or voicemail" });
const channelId = z
  .string()
  .regex(/^[CG][A-Z0-9]+$/, { error: "a channel is picked from Slack's # list, like #reception" });

function workspace(ctx: ActionContext): { teamId: string; domainUuid: string } {
  const teamId = ctx.caller.slackTeamId;
  if (!teamId) throw forbidden("only a Slack workspace can subscribe its channels");
  if (!ctx.caller.domainUuid)
    throw forbidden("this workspace is not linked to a PBX domain; the PBX operator links it");
  return { teamId, domainUuid: ctx.caller.domainUuid };
}

const subscription = z.object({ kind, channel_id: z.string(), channel_name: z.string().nullable() });

export const slackChannelNotify = defineAction({
  name: "slack-channel-notify",
  path: "slack.channelNotify",
  summary: "Sends the missed calls or voicemails of the workspace's domain to a channel of it (on: false stops).",
  scope: "admin",
  domain: { by: "none" },
  kind: "mutation",
  input: z.object({
    kind,
    channel_id: channelId,
    channel_name: z.string().max(80).nullable(),
    on: z.boolean(),
  }),
  output: z.object({ changed: z.boolean() }),
  async handler(ctx, input) {
    const { teamId, domainUuid } = workspace(ctx);
    const eventType = NOTIFY_KINDS[input.kind];
    if (!input.on) {
      const removed = await ctx.sql`
        delete from switchboard_slack_channel_subscriptions
        where team_id = ${teamId} and channel_id = ${input.channel_id} and event_type = ${eventType}`;
      return { changed: removed.count > 0 };
    }
    const added = await ctx.sql`
      insert into switchboard_slack_channel_subscriptions
        (team_id, channel_id, event_type, domain_uuid, channel_name, created_by)
      values (${teamId}, ${input.channel_id}, ${eventType}, ${domainUuid}::uuid, ${input.channel_name},
              ${ctx.caller.slackUserId ?? "unknown"})
      on conflict (team_id, channel_id, event_type)
        do update set domain_uuid = excluded.domain_uuid, channel_name = excluded.channel_name`;
    return { changed: added.count > 0 };
  },
});

export const slackChannelNotifyList = defineAction({
  name: "slack-channel-notify-list",
  path: "slack.channelNotifyList",
  summary: "The calling workspace's channel subscriptions for its domain.",
  scope: "admin",
  domain: { by: "none" },
  kind: "query",
  input: z.object({}),
  output: z.array(subscription),
  async handler(ctx) {
    const { teamId, domainUuid } = workspace(ctx);
    const rows = await ctx.sql<{ event_type: string; channel_id: string; channel_name: string | null }[]>`
      select event_type, channel_id, channel_name from switchboard_slack_channel_subscriptions
      where team_id = ${teamId} and domain_uuid = ${domainUuid}::uuid
      order by event_type, channel_name, channel_id`;
    return rows.map((r) => ({
      kind: r.event_type === "call.missed" ? ("missed" as const) : ("voicemail" as const),
      channel_id: r.channel_id,
      channel_name: r.channel_name,
    }));
  },
});
