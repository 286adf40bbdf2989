import type { Queryable } from "@switchboard/db";
import type { Scope } from "@switchboard/core";
import { isSlackScope, type SlackScope } from "../admin/slack-scopes.ts";

/** A row of switchboard_slack_users: what one Slack user may do, and their own extension. */
export interface SlackUserPolicy {
  userId: string;
  scopes: SlackScope[];
  extension: string | null;
}

/**
 * Reads and writes switchboard_slack_users: what each user of a workspace may do, and their own extension.
 * Which domain a workspace works on is not here: the operator sets it (SLACK_TEAM_DOMAINS, SLACK_DOMAIN).
 */
export function slackDirectory(sql: Queryable) {
  return {
    async user(teamId: string, userId: string): Promise<SlackUserPolicy | null> {
      const rows = await sql<{ user_id: string; scopes: string[]; extension: string | null }[]>`
        select user_id, scopes, extension from switchboard_slack_users where team_id = ${teamId} and user_id = ${userId}`;
      const row = rows[0];
      return row ? toPolicy(row) : null;
    },

    async users(teamId: string): Promise<SlackUserPolicy[]> {
      const rows = await sql<{ user_id: string; scopes: string[]; extension: string | null }[]>`
        select user_id, scopes, extension from switchboard_slack_users where team_id = ${teamId} order by user_id`;
      return rows.map(toPolicy);
    },

    /** Sets a user's scopes; a new row keeps no extension. */
    async setScopes(teamId: string, userId: string, scopes: readonly Scope[]): Promise<void> {
      await sql`
        insert into switchboard_slack_users (team_id, user_id, scopes) values (${teamId}, ${userId}, ${[...scopes]}::text[])
        on conflict (team_id, user_id) do update set scopes = excluded.scopes, updated_at = now()`;
    },

    /** Sets a user's own extension; a new row starts with `initialScopes` (what the user had by default). */
    async setExtension(
      teamId: string,
      userId: string,
      extension: string | null,
      initialScopes: readonly Scope[],
    ): Promise<void> {
      await sql`
        insert into switchboard_slack_users (team_id, user_id, scopes, extension)
        values (${teamId}, ${userId}, ${[...initialScopes]}::text[], ${extension})
        on conflict (team_id, user_id) do update set extension = excluded.extension, updated_at = now()`;
    },

    async removeUser(teamId: string, userId: string): Promise<boolean> {
      const rows =
        await sql`delete from switchboard_slack_users where team_id = ${teamId} and user_id = ${userId} returning user_id`;
      return rows.length > 0;
    },
  };
}

export type SlackDirectory = ReturnType<typeof slackDirectory>;

function toPolicy(row: { user_id: string; scopes: string[]; extension: string | null }): SlackUserPolicy {
  // A scope name this version does not know (written by a newer one), or one Slack never grants, grants nothing.
  return { userId: row.user_id, scopes: row.scopes.filter(isSlackScope), extension: row.extension };
}
