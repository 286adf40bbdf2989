import { guardProcess } from "./process-guard.ts";
import { startServices, startupBanner, startupFailure } from "./startup.ts";

/** `bun run start`: the API on Bun. */
async function main(): Promise<void> {
  guardProcess((line) => console.error(line));
  let services: Awaited<ReturnType<typeof startServices>>;
  try {
    services = await startServices();
  } catch (error) {
    console.error(startupFailure(error));
    process.exit(1);
  }
  let server: ReturnType<typeof Bun.serve>;
  try {
    server = Bun.serve({ hostname: services.settings.host, port: services.settings.port, fetch: services.app.fetch });
  } catch (error) {
    console.error(startupFailure(new Error(`cannot listen on ${services.settings.host}:${services.settings.port}: ${(error as Error).message}`)));
    await services.close();
    process.exit(1);
  }
  console.log(startupBanner(services, server.port ?? services.settings.port));

  const stop = async () => {
    await server.stop();
    await services.close();
    process.exit(0);
  };
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
}

await main();
