import type { Queryable } from "@switchboard/db";
import { isScope, type Scope } from "@switchboard/core";

/** A row of switchboard_slack_users: what one Slack user may do, and their own extension. */
export interface SlackUserPolicy {
  userId: string;
  scopes: Scope[];
  extension: string | null;
}

/** Reads and writes the two switchboard_slack_ tables: workspace → domain, user → scopes and extension. */
export function slackDirectory(sql: Queryable) {
  return {
    async workspaceDomain(teamId: string): Promise<string | null> {
      const rows = await sql<{ domain_uuid: string }[]>`
        select domain_uuid::text as domain_uuid from switchboard_slack_workspaces where team_id = ${teamId}`;
      return rows[0]?.domain_uuid ?? null;
    },

    async bindWorkspace(teamId: string, domainUuid: string): Promise<void> {
      await sql`
        insert into switchboard_slack_workspaces (team_id, domain_uuid) values (${teamId}, ${domainUuid})
        on conflict (team_id) do update set domain_uuid = excluded.domain_uuid, updated_at = now()`;
    },

    async unbindWorkspace(teamId: string): Promise<boolean> {
      const rows = await sql`delete from switchboard_slack_workspaces where team_id = ${teamId} returning team_id`;
      return rows.length > 0;
    },

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
    async setExtension(teamId: string, userId: string, extension: string | null, initialScopes: readonly Scope[]): Promise<void> {
      await sql`
        insert into switchboard_slack_users (team_id, user_id, scopes, extension)
        values (${teamId}, ${userId}, ${[...initialScopes]}::text[], ${extension})
        on conflict (team_id, user_id) do update set extension = excluded.extension, updated_at = now()`;
    },

    async removeUser(teamId: string, userId: string): Promise<boolean> {
      const rows = await sql`delete from switchboard_slack_users where team_id = ${teamId} and user_id = ${userId} returning user_id`;
      return rows.length > 0;
    },
  };
}

export type SlackDirectory = ReturnType<typeof slackDirectory>;

function toPolicy(row: { user_id: string; scopes: string[]; extension: string | null }): SlackUserPolicy {
  // A scope name this version does not know (written by a newer one) grants nothing.
  return { userId: row.user_id, scopes: row.scopes.filter(isScope), extension: row.extension };
}
