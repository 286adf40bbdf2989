import { createLogger, runService } from "@switchboard/runtime";
import { startPatiently, startServices, startupBanner } from "./startup.ts";
import {
  announceListening,
  printsBanner,
  runWorkers,
  serveOptions,
  waitsForDatabase,
  workerCount,
  workerIndex,
} from "./workers.ts";

/** `bun run start`: the API on Bun; with SWITCHBOARD_WORKERS > 1, a supervisor of that many (workers.ts). */
const logger = createLogger({ service: "api" });
await runWorkers(() =>
  runService({
    logger,
    async start() {
      const services = waitsForDatabase()
        ? await startPatiently(() => startServices(), {
            log: (line) => logger.warn({ worker: workerIndex() }, line),
          })
        : await startServices();
      let server: ReturnType<typeof Bun.serve>;
      try {
        server = Bun.serve({
          hostname: services.settings.host,
          port: services.settings.port,
          fetch: services.app.fetch,
          ...serveOptions(),
        });
      } catch (error) {
        await services.close();
        throw new Error(
          `cannot listen on ${services.settings.host}:${services.settings.port}: ${(error as Error).message}`,
        );
      }
      const port = server.port ?? services.settings.port;
      if (printsBanner())
        console.log(
          `${startupBanner(services, port)}${workerCount() > 1 ? `\n  workers: ${workerCount()} processes share port ${port}` : ""}`,
        );
      announceListening(port);
      return {
        async stop() {
          await server.stop();
          await services.close();
        },
      };
    },
  }),
);
