import type { Sql } from "@switchboard/db";

/** Which workspaces work on which domain: the operator's binding (SLACK_TEAM_DOMAINS, SLACK_DOMAIN). */
export interface WorkspaceBinding {
  teamDomains: ReadonlyMap<string, string>;
  fixedDomainName: string | null | undefined;
}

export interface NotifyTarget {
  teamId: string;
  userId: string;
}

/** The extension numbers an event concerns, and the ring group it rang, as FusionPBX names them. */
export interface EventPlace {
  domainName: string | null;
  extensions: string[];
  /** The extension that was called or whose mailbox took the message, for the card. */
  extension: string | null;
  ringGroup: string | null;
}

/**
 * Where a missed call or voicemail happened: the extension (by uuid, else the mailbox number) or, for a
 * ring group's missed call, every member extension.
 */
export async function placeOf(
  sql: Sql,
  domainUuid: string,
  extensionUuid: string | null,
  mailbox: string | null,
  ringGroupUuid: string | null,
): Promise<EventPlace> {
  const [domain] = await sql<{ domain_name: string | null }[]>`
    select domain_name from v_domains where domain_uuid = ${domainUuid}::uuid`;
  let extension: string | null = mailbox;
  if (extensionUuid) {
    const [row] = await sql<{ extension: string | null }[]>`
      select extension from v_extensions
      where extension_uuid = ${extensionUuid}::uuid and domain_uuid = ${domainUuid}::uuid`;
    extension = row?.extension ?? extension;
  }
  const extensions = extension ? [extension] : [];
  let ringGroup: string | null = null;
  if (ringGroupUuid) {
    const [group] = await sql<{ name: string | null; extension: string | null }[]>`
      select ring_group_name as name, ring_group_extension as extension from v_ring_groups
      where ring_group_uuid = ${ringGroupUuid}::uuid and domain_uuid = ${domainUuid}::uuid`;
    if (group) ringGroup = [group.name, group.extension && `(${group.extension})`].filter(Boolean).join(" ");
    if (!extension) {
      const members = await sql<{ destination_number: string }[]>`
        select destination_number from v_ring_group_destinations
        where ring_group_uuid = ${ringGroupUuid}::uuid and domain_uuid = ${domainUuid}::uuid
          and destination_number is not null`;
      extensions.push(...members.map((m) => m.destination_number));
    }
  }
  return { domainName: domain?.domain_name ?? null, extensions, extension, ringGroup };
}

/** Which workspaces the operator binds to this domain now: the listed ones, or every unlisted one. */
function boundTeams(binding: WorkspaceBinding, domainName: string) {
  const listed = [...binding.teamDomains.keys()];
  const teams = [...binding.teamDomains].filter(([, name]) => name === domainName).map(([team]) => team);
  const fixed = binding.fixedDomainName === domainName;
  return { listed, teams, fixed, none: teams.length === 0 && !fixed };
}

/** The Slack users linked to these extensions in the workspaces bound to the domain. */
export async function linkedUsers(
  sql: Sql,
  binding: WorkspaceBinding,
  domainName: string | null,
  extensions: readonly string[],
): Promise<NotifyTarget[]> {
  if (!domainName || extensions.length === 0) return [];
  const { listed, teams, fixed, none } = boundTeams(binding, domainName);
  if (none) return [];
  const rows = await sql<{ team_id: string; user_id: string }[]>`
    select team_id, user_id from switchboard_slack_users
    where extension in ${sql(extensions)}
      and (team_id in ${sql(teams.length ? teams : [""])}
           or (${fixed} and not (team_id in ${sql(listed.length ? listed : [""])})))
    order by team_id, user_id`;
  return rows.map((r) => ({ teamId: r.team_id, userId: r.user_id }));
}

export interface ChannelTarget {
  teamId: string;
  channelId: string;
}

/**
 * The channels subscribed to this kind of event of the domain, in workspaces still bound to it: a
 * subscription outlives a change of the operator's binding in the table, but is then not served.
 */
export async function subscribedChannels(
  sql: Sql,
  binding: WorkspaceBinding,
  domainUuid: string,
  domainName: string | null,
  eventType: string,
): Promise<ChannelTarget[]> {
  if (!domainName) return [];
  const { listed, teams, fixed, none } = boundTeams(binding, domainName);
  if (none) return [];
  const rows = await sql<{ team_id: string; channel_id: string }[]>`
    select team_id, channel_id from switchboard_slack_channel_subscriptions
    where domain_uuid = ${domainUuid}::uuid and event_type = ${eventType}
      and (team_id in ${sql(teams.length ? teams : [""])}
           or (${fixed} and not (team_id in ${sql(listed.length ? listed : [""])})))
    order by team_id, channel_id`;
  return rows.map((r) => ({ teamId: r.team_id, channelId: r.channel_id }));
}
