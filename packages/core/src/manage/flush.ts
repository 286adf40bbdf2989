import type { ActionContext } from "../context.ts";
import { deleteCacheKeys, reloadXml } from "../fusionpbx/cache.ts";

/**
 * After a committed write: delete the cache keys FusionPBX's UI deletes (and `reloadxml` where it asks for
 * one) on every switch. Never fails the write; `applied` is false when any switch missed any step.
 */
export async function flushAfterWrite(ctx: ActionContext, keys: readonly string[], options: { reloadXml?: boolean } = {}) {
  try {
    const deleted = await deleteCacheKeys(ctx.sql, ctx.switches, keys);
    if (!options.reloadXml) return { applied: deleted.applied };
    const reloaded = await reloadXml(ctx.switches);
    return { applied: deleted.applied && reloaded.applied };
  } catch {
    return { applied: false };
  }
}
