// The API built exactly as apps/api/src/startup.ts builds it, with one deliberate change per variant, to
// measure what a part of the request path costs before anyone changes it (`bun run bench --variants`):
//   as-is      the API unchanged (same as apps/api/src/server.ts)
//   no-audit   the audit sink replaced by one that keeps nothing
//   no-log     the request log (and every other log line) not written
//   neither    no audit and no log: what remains is routing, middleware, auth and the action
// Listens on PORT (stdout is the request log, as in the real server).
import { heapStats } from "bun:jsc";
import { createLogger, guardProcess, silentLogger } from "../../../packages/runtime/src/index.ts";
import { createApp } from "../../../apps/api/src/app.ts";
import { startServices } from "../../../apps/api/src/startup.ts";

const variant = process.env.SWITCHBOARD_BENCH_VARIANT ?? "as-is";
const logger = createLogger({ service: "api" });
guardProcess(logger);
const services = await startServices(process.env, logger);

const deps = { ...services.deps };
if (variant === "no-audit" || variant === "neither") deps.audit = { record() {}, flush: async () => {} };
if (variant === "no-log" || variant === "neither") deps.logger = silentLogger;
const app = createApp(deps);
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
