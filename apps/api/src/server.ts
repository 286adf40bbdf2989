import { createLogger, runService } from "@switchboard/runtime";
import { startServices, startupBanner } from "./startup.ts";

/** `bun run start`: the API on Bun. */
await runService({
  logger: createLogger({ service: "api" }),
  async start() {
    const services = await startServices();
    let server: ReturnType<typeof Bun.serve>;
    try {
      server = Bun.serve({ hostname: services.settings.host, port: services.settings.port, fetch: services.app.fetch });
    } catch (error) {
      await services.close();
      throw new Error(`cannot listen on ${services.settings.host}:${services.settings.port}: ${(error as Error).message}`);
    }
    console.log(startupBanner(services, server.port ?? services.settings.port));
    return {
      async stop() {
        await server.stop();
        await services.close();
      },
    };
  },
});
