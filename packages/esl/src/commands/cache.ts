import { UnsafeCommandValueError } from "../errors.ts";

/**
 * A FusionPBX cache key: `directory:1001@example.com`, `dialplan:example.com`, `configuration:callcenter.conf`…
 * Letters, digits and `: . @ _ - + * #`; anything that could split an argument, start a header or walk a path is refused.
 */
export function cacheKey(key: string): string {
  if (typeof key !== "string" || !/^[A-Za-z0-9:.@_\-+*#]{1,200}$/.test(key)) {
    throw new UnsafeCommandValueError("cache key", "may contain only letters, digits and : . @ _ - + * # (1 to 200)");
  }
  if (key.includes("..")) {
    throw new UnsafeCommandValueError("cache key", "must not contain '..'");
  }
  return key;
}

/** FusionPBX's file cache names keys with dots instead of colons. */
export function fileCacheKey(key: string): string {
  return cacheKey(key).replace(/:/g, ".");
}

/** `memcache delete <key>` (colons kept). `-ERR NOT FOUND` means it was not cached: harmless. */
export function memcacheDeleteCommand(key: string): string {
  return `memcache delete ${cacheKey(key)}`;
}

export type CacheMethod = "file" | "memcache";

/**
 * The CUSTOM event FusionPBX's cache class sends on delete (`sendevent CUSTOM` with these headers).
 * Use with `Switch.sendEvent(event.name, event.headers)` or `SwitchPool.broadcastEvent`.
 */
export function cacheDeleteEvent(
  key: string,
  method: CacheMethod = "file",
): { name: "CUSTOM"; headers: Record<string, string> } {
  const argument = method === "file" ? fileCacheKey(key) : cacheKey(key);
  return {
    name: "CUSTOM",
    headers: {
      "Event-Name": "CUSTOM",
      "Event-Subclass": `fusion::${method}`,
      "API-Command": method === "file" ? "cache" : "memcache",
      "API-Command-Argument": `delete ${argument}`,
    },
  };
}

export const CLEAR_CACHE_SCRIPT = "app/servers/resources/clear_cache.lua";

/** `luarun app/servers/resources/clear_cache.lua delete <key with dots>`: removes the cache file on the switch host. */
export function luaClearCacheCommand(key: string): string {
  return `luarun ${CLEAR_CACHE_SCRIPT} delete ${fileCacheKey(key)}`;
}
