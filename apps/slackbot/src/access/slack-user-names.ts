import type { webApi } from "@slack/bolt";

/** Why a bare `@name` could not be read as one colleague, in the user's words. */
export class UnknownNameError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UnknownNameError";
  }
}

interface Member {
  id: string;
  names: string[];
}

const CACHE_MS = 5 * 60_000;

/**
 * Reads a bare `@alice` (typed without picking from Slack's @ list, so Slack sent no user id) as the member
 * of the workspace whose handle, display name or full name it is, case-insensitively: users.list (the
 * `users:read` scope), kept for five minutes per workspace. Several matches or none are a clear error.
 */
export function createUserNames() {
  const cache = new Map<string, { at: number; members: Member[] }>();

  async function membersOf(client: webApi.WebClient, teamId: string): Promise<Member[]> {
    const cached = cache.get(teamId);
    if (cached && Date.now() - cached.at < CACHE_MS) return cached.members;
    const members: Member[] = [];
    let cursor: string | undefined;
    do {
      const page = await client.users.list({ limit: 200, ...(cursor ? { cursor } : {}) });
      for (const m of page.members ?? []) {
        if (!m.id || m.deleted || m.is_bot) continue;
        const names = [m.name, m.profile?.display_name, m.profile?.real_name, m.real_name]
          .filter((n): n is string => typeof n === "string" && n !== "")
          .map((n) => n.toLowerCase());
        members.push({ id: m.id, names });
      }
      cursor = page.response_metadata?.next_cursor || undefined;
    } while (cursor);
    cache.set(teamId, { at: Date.now(), members });
    return members;
  }

  return async function userIdByName(client: webApi.WebClient | undefined, teamId: string, name: string) {
    const wanted = name.replace(/^@/, "").toLowerCase();
    let members: Member[];
    try {
      if (!client) throw new Error("no Web API client");
      members = await membersOf(client, teamId);
    } catch {
      throw new UnknownNameError(
        `Slack could not be asked who @${wanted} is; pick the colleague from Slack's @ list instead.`,
      );
    }
    const found = members.filter((m) => m.names.includes(wanted));
    if (found.length === 1) return found[0]!.id;
    if (found.length === 0) throw new UnknownNameError(`No one in this workspace is called @${wanted}.`);
    throw new UnknownNameError(`Several people here are called @${wanted}; pick the one you mean from Slack's @ list.`);
  };
}

export type UserIdByName = ReturnType<typeof createUserNames>;
