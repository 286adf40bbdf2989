import type { Queryable } from "@switchboard/db";
import type { BroadcastResult, SwitchPool } from "@switchboard/esl";
import { getSetting } from "./settings.ts";

/** Cache keys FusionPBX's UI deletes: `directory:100@example.com`, `dialplan:public:5551234`, `dialplan:example.com`. */
// `*` and `#` occur in feature-code extensions; clear_cache.lua passes the name to os.remove (no globbing).
const CACHE_KEY = /^[A-Za-z0-9*#+][A-Za-z0-9@.:+*#_-]*$/;

export type CacheMethod = "file" | "memcache";

/** A cache delete must not hold a write's reply for long when a switch is slow or down. */
const FLUSH_TIMEOUT = { timeoutMs: 3000 } as const;

/** `cache.method` from v_default_settings (FusionPBX's default is `file`). */
export async function cacheMethod(sql: Queryable): Promise<CacheMethod> {
  const method = await getSetting(sql, null, "cache", "method").catch(() => null);
  return method === "memcache" ? "memcache" : "file";
}

/**
 * Deletes cache keys on every switch the way FusionPBX's `cache->delete()` does (docs/fusionpbx-writes.md §7):
 * file mode sends the `fusion::file` CUSTOM event and, since Switchboard may not share the cache directory,
 * asks FreeSWITCH to delete the file itself with FusionPBX's `clear_cache.lua`; memcache mode sends the
 * `fusion::memcache` event and `memcache delete`. Never throws: `applied` says whether every switch took it.
 */
export async function deleteCacheKeys(
  sql: Queryable,
  switches: SwitchPool,
  keys: readonly string[],
): Promise<{ applied: boolean }> {
  for (const key of keys)
    if (!CACHE_KEY.test(key)) throw new Error(`refusing unsafe cache key: ${JSON.stringify(key)}`);
  if (keys.length === 0) return { applied: true };
  const method = await cacheMethod(sql);
  const results: BroadcastResult[] = [];
  for (const key of keys) {
    if (method === "memcache") {
      results.push(
        ...(await switches.broadcastEvent(
          "CUSTOM",
          fusionEvent("fusion::memcache", "memcache", `delete ${key}`),
          FLUSH_TIMEOUT,
        )),
      );
      // A key nobody cached answers `-ERR NOT FOUND`: it is gone either way.
      const deletes = await switches.broadcast(`memcache delete ${key}`, FLUSH_TIMEOUT);
      results.push(...deletes.map((r) => (!r.ok && /NOT FOUND/i.test(r.error ?? "") ? { ...r, ok: true } : r)));
    } else {
      const dotted = key.replaceAll(":", ".");
      results.push(
        ...(await switches.broadcastEvent(
          "CUSTOM",
          fusionEvent("fusion::file", "cache", `delete ${dotted}`),
          FLUSH_TIMEOUT,
        )),
      );
      results.push(
        ...(await switches.broadcast(`luarun app/servers/resources/clear_cache.lua delete ${dotted}`, FLUSH_TIMEOUT)),
      );
    }
  }
  return { applied: results.length > 0 && results.every((r) => r.ok) };
}

/**
 * FusionPBX's `cache->flush()`, which its domain page runs after adding, changing or deleting a domain: file
 * mode sends `cache flush` as the `fusion::file` event and empties the cache directory on the switch with
 * `clear_cache.lua flush`; memcache mode sends the `fusion::memcache` event and `memcache flush`.
 */
export async function flushAllCacheKeys(sql: Queryable, switches: SwitchPool): Promise<{ applied: boolean }> {
  const method = await cacheMethod(sql);
  const results: BroadcastResult[] =
    method === "memcache"
      ? [
          ...(await switches.broadcastEvent(
            "CUSTOM",
            fusionEvent("fusion::memcache", "memcache", "flush"),
            FLUSH_TIMEOUT,
          )),
          ...(await switches.broadcast("memcache flush", FLUSH_TIMEOUT)),
        ]
      : [
          ...(await switches.broadcastEvent("CUSTOM", fusionEvent("fusion::file", "cache", "flush"), FLUSH_TIMEOUT)),
          ...(await switches.broadcast("luarun app/servers/resources/clear_cache.lua flush", FLUSH_TIMEOUT)),
        ];
  return { applied: results.length > 0 && results.every((r) => r.ok) };
}

/** `api reloadxml` on every switch (what FusionPBX's header does after ring group saves). */
export async function reloadXml(switches: SwitchPool): Promise<{ applied: boolean }> {
  // reloadxml re-reads the whole configuration: give it longer than a cache delete.
  const results = await switches.broadcast("reloadxml", { timeoutMs: 10_000 });
  return { applied: results.length > 0 && results.every((r) => r.ok) };
}

function fusionEvent(subclass: string, command: string, argument: string): Record<string, string> {
  return {
    "Event-Name": "CUSTOM",
    "Event-Subclass": subclass,
    "API-Command": command,
    "API-Command-Argument": argument,
  };
}
