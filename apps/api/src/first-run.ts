import type { Queryable } from "@switchboard/db";

/** What a fresh real database lacks: counted once at start-up for the banner. */
export interface FirstRunState {
  keys: number;
  domains: number;
}

/** Keys (FusionPBX's `rest_api_keys`, ours included) and domains; null when the database cannot say. */
export async function firstRunState(sql: Queryable): Promise<FirstRunState | null> {
  try {
    const [row] = await sql<{ keys: number; domains: number }[]>`
      select
        (case when to_regclass('rest_api_keys') is null then 0
          else (select count(*) from rest_api_keys) end)::int as keys,
        (case when to_regclass('v_domains') is null then 0
          else (select count(*) from v_domains) end)::int as domains`;
    return row ?? null;
  } catch {
    return null;
  }
}

/** The release binary runs its own subcommands; a source checkout runs them through npm. */
export type Launcher = "binary" | "npm";

export function currentLauncher(): Launcher {
  // Under Node (node-server.ts) there is no Bun and no compiled binary.
  const main = typeof Bun === "undefined" ? "" : Bun.main;
  return main.startsWith("/$bunfs/") || main.startsWith("B:/~BUN/") ? "binary" : "npm";
}

/** The exact command that makes the first key: an admin key bound to no domain. */
export function firstKeyCommand(launcher: Launcher): string {
  const args = "create --name admin --scopes admin,read,write,calls";
  return launcher === "binary" ? `switchboard keys ${args}` : `npm run keys -- ${args}`;
}

/** The exact request that creates the first domain through the domain-create action. */
export function firstDomainCommand(url: string): string {
  return `curl -s -H "Authorization: Bearer <key id>:<secret>" -H 'Content-Type: application/json' -d '{"domain_name": "pbx.example.com"}' ${url}/trpc/domains.create`;
}

/** Banner lines for a real database with no key or no domain yet; none once both exist. */
export function firstRunLines(state: FirstRunState | null, url: string, launcher: Launcher): string[] {
  if (!state) return [];
  const lines: string[] = [];
  if (state.keys === 0) {
    lines.push(
      "  no API key yet. Make the first (admin, for every domain; the secret is shown once):",
      `    ${firstKeyCommand(launcher)}`,
    );
  }
  if (state.domains === 0) {
    lines.push(
      "  no domain yet. Create the first with the domain-create action and an admin key bound to no domain:",
      `    ${firstDomainCommand(url)}`,
      "    then run FusionPBX's upgrade (App Defaults) to give it FusionPBX's default dialplans.",
    );
  }
  return lines;
}
