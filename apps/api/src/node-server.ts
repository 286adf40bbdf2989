import { serve } from "@hono/node-server";
import { createLogger, runService } from "@switchboard/runtime";
import { startServices, startupBanner } from "./startup.ts";

/** The API on Node (>= 20): `npx tsx src/node-server.ts`, or a bundle (see README.md). */
await runService({
  logger: createLogger({ service: "api" }),
  async start() {
    const services = await startServices();
    const server = await new Promise<ReturnType<typeof serve>>((resolve, reject) => {
      const listening = serve(
        { fetch: services.app.fetch, hostname: services.settings.host, port: services.settings.port },
        (info) => {
          console.log(startupBanner(services, info.port));
          resolve(listening);
        },
      );
      listening.once("error", async (error) => {
        await services.close();
        reject(new Error(`cannot listen on ${services.settings.host}:${services.settings.port}: ${error.message}`));
      });
    });
    return {
      async stop() {
        await new Promise<void>((resolve) => server.close(() => resolve()));
        await services.close();
      },
    };
  },
});
