import type { ActionContext } from "../context.ts";
import { createdDestinationCacheKeys } from "./cache-keys.ts";
import { deleteCacheKeys, flushAllCacheKeys, reloadXml } from "./cache.ts";

/**
 * The cache deletes FusionPBX's UI does after each kind of save (docs/fusionpbx-writes.md §4–§7), on every
 * switch, and `reloadxml` where it asks for one. They run after the commit and never fail the write: the
 * answer tells whether every switch took every step.
 */
export async function flushCacheKeys(
  ctx: Pick<ActionContext, "sql" | "switches">,
  keys: readonly string[],
  options: { reloadXml?: boolean } = {},
): Promise<boolean> {
  const deleted = await safely(() => deleteCacheKeys(ctx.sql, ctx.switches, keys));
  if (!options.reloadXml) return deleted;
  const reloaded = await safely(() => reloadXml(ctx.switches));
  return deleted && reloaded;
}

async function safely(run: () => Promise<{ applied: boolean }>): Promise<boolean> {
  try {
    return (await run()).applied;
  } catch {
    return false;
  }
}

/** After destination-create. */
export async function flushDestination(
  ctx: Pick<ActionContext, "sql" | "switches">,
  v: { domainUuid: string; context: string; number: string; prefix?: string | null },
): Promise<boolean> {
  return flushCacheKeys(ctx, await createdDestinationCacheKeys(ctx.sql, v));
}

/** After extension-create: `directory:<extension>@<user_context>` (and the number alias's key). */
export async function flushExtension(
  ctx: Pick<ActionContext, "sql" | "switches">,
  v: { extension: string; numberAlias?: string | null; userContext: string },
): Promise<boolean> {
  const keys = [`directory:${v.extension}@${v.userContext}`];
  if (v.numberAlias) keys.push(`directory:${v.numberAlias}@${v.userContext}`);
  return flushCacheKeys(ctx, keys);
}

/** After ringgroup-create: `dialplan:<ring_group_context>` then `reloadxml` (the UI flags it after ring-group saves). */
export async function flushRingGroup(
  ctx: Pick<ActionContext, "sql" | "switches">,
  v: { context: string },
): Promise<boolean> {
  return flushCacheKeys(ctx, [`dialplan:${v.context}`], { reloadXml: true });
}

/** After a domain is added, changed or deleted: the whole cache, as FusionPBX's domain page clears it. */
export async function flushAllCaches(ctx: Pick<ActionContext, "sql" | "switches">): Promise<boolean> {
  return safely(() => flushAllCacheKeys(ctx.sql, ctx.switches));
}
