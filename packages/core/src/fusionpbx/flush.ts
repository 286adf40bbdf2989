import type { ActionContext } from "../context.ts";
import { deleteCacheKeys, reloadXml } from "./cache.ts";
import { getSetting } from "./settings.ts";

/**
 * The cache deletes FusionPBX's UI does after each kind of save (fusionpbx-behaviour.md (a)–(d)), on every
 * switch. They run after the commit and never fail the write: `applied` tells whether every switch took them.
 */

async function safely(run: () => Promise<{ applied: boolean }>): Promise<boolean> {
  try {
    return (await run()).applied;
  } catch {
    return false;
  }
}

/**
 * `dialplan:<context>:<number>` in `single` mode, `dialplan:<context>` in `multiple` mode; when the setting
 * is absent (5.1's code default is `multiple`, 5.6 installs `single`) both keys go, which is harmless.
 */
export async function destinationCacheKeys(
  ctx: Pick<ActionContext, "sql">,
  v: { domainUuid: string; context: string; number: string; prefix?: string | null },
): Promise<string[]> {
  const mode = (await getSetting(ctx.sql, v.domainUuid, "destinations", "dialplan_mode").catch(() => null))?.trim();
  const single = [`dialplan:${v.context}:${v.number}`];
  if (v.prefix && /^[0-9]+$/.test(v.prefix)) {
    single.push(`dialplan:${v.context}:${v.prefix}${v.number}`, `dialplan:${v.context}:+${v.prefix}${v.number}`);
  }
  if (mode === "single") return single;
  if (mode === "multiple") return [`dialplan:${v.context}`];
  return [...single, `dialplan:${v.context}`];
}

export async function flushDestination(
  ctx: Pick<ActionContext, "sql" | "switches">,
  v: { domainUuid: string; context: string; number: string; prefix?: string | null },
): Promise<boolean> {
  return safely(async () => deleteCacheKeys(ctx.sql, ctx.switches, await destinationCacheKeys(ctx, v)));
}

/** `directory:<extension>@<user_context>` (and the number alias's key). */
export async function flushExtension(
  ctx: Pick<ActionContext, "sql" | "switches">,
  v: { extension: string; numberAlias?: string | null; userContext: string },
): Promise<boolean> {
  const keys = [`directory:${v.extension}@${v.userContext}`];
  if (v.numberAlias) keys.push(`directory:${v.numberAlias}@${v.userContext}`);
  return safely(() => deleteCacheKeys(ctx.sql, ctx.switches, keys));
}

/** `dialplan:<ring_group_context>` then `reloadxml` (the UI flags reloadxml after ring-group saves). */
export async function flushRingGroup(ctx: Pick<ActionContext, "sql" | "switches">, v: { context: string }): Promise<boolean> {
  const deleted = await safely(() => deleteCacheKeys(ctx.sql, ctx.switches, [`dialplan:${v.context}`]));
  const reloaded = await safely(() => reloadXml(ctx.switches));
  return deleted && reloaded;
}
