// The API built exactly as apps/api/src/startup.ts builds it, with one deliberate change per variant, to
// measure what a proposed fix would buy before anyone changes the API (`bun run bench --variants`):
//   as-is      the API unchanged (same as apps/api/src/server.ts)
//   key-cache  a successful authentication is reused for 1 s per (key id, secret), so the hot path runs
//              no rest_api_keys/policy query (revocation through Switchboard would still clear it at once)
//   no-log     key-cache, and the per-request JSON log line not written
// Listens on PORT (stdout is the request log, as in the real server).
import { heapStats } from "bun:jsc";
import { createHash } from "node:crypto";
import type { Authenticator, AuthOutcome } from "../../../packages/core/src/index.ts";
import { createApp } from "../../../apps/api/src/app.ts";
import { guardProcess } from "../../../apps/api/src/process-guard.ts";
import { startServices } from "../../../apps/api/src/startup.ts";

const variant = process.env.SWITCHBOARD_BENCH_VARIANT ?? "as-is";
guardProcess((line) => console.error(line));
const services = await startServices(process.env, () => {});

function cachedAuthenticator(inner: Authenticator, ttlMs: number): Authenticator {
  const cache = new Map<string, { outcome: AuthOutcome; until: number }>();
  return {
    cache: inner.cache,
    close: () => inner.close(),
    async authenticate(credentials, address) {
      if (!credentials) return inner.authenticate(credentials, address);
      const key = `${credentials.keyId}\u0000${createHash("sha256").update(credentials.secret).digest("hex")}`;
      const hit = cache.get(key);
      if (hit && hit.until > Date.now()) return hit.outcome;
      const outcome = await inner.authenticate(credentials, address);
      if (outcome.ok) cache.set(key, { outcome, until: Date.now() + ttlMs });
      return outcome;
    },
  };
}

const deps = { ...services.deps };
if (variant !== "as-is") deps.authenticator = cachedAuthenticator(services.deps.authenticator, 1000);
const app = variant === "no-log" ? createApp({ ...deps, log: () => {} }) : createApp(deps);
// For memory soaks: object counts by type after a full collection, to see what accumulates.
const heapPath = "/__bench/heap";
const server = Bun.serve({
  hostname: "127.0.0.1",
  port: Number(process.env.PORT ?? 0),
  fetch(request, srv) {
    if (new URL(request.url).pathname === heapPath) {
      Bun.gc(true);
      const stats = heapStats();
      return Response.json({
        heapSize: stats.heapSize,
        objectCount: stats.objectCount,
        objectTypeCounts: stats.objectTypeCounts,
      });
    }
    return app.fetch(request, srv);
  },
});
console.error(JSON.stringify({ port: server.port, variant }));
// Exit cleanly so `--cpu-prof` writes its profile.
process.once("SIGTERM", () => {
  void server.stop();
  process.exit(0);
});
