import { serve } from "@hono/node-server";
import { guardProcess } from "./process-guard.ts";
import { startServices, startupBanner, startupFailure } from "./startup.ts";

/** The API on Node (>= 20): `npx tsx src/node-server.ts`, or a bundle (see README.md). */
async function main(): Promise<void> {
  guardProcess((line) => console.error(line));
  let services: Awaited<ReturnType<typeof startServices>>;
  try {
    services = await startServices();
  } catch (error) {
    console.error(startupFailure(error));
    process.exit(1);
  }
  const server = serve({ fetch: services.app.fetch, hostname: services.settings.host, port: services.settings.port }, (info) => {
    console.log(startupBanner(services, info.port));
  });
  server.on("error", async (error) => {
    console.error(startupFailure(new Error(`cannot listen on ${services.settings.host}:${services.settings.port}: ${error.message}`)));
    await services.close();
    process.exit(1);
  });
  const stop = () => {
    server.close();
    void services.close().then(() => process.exit(0));
  };
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
}

await main();
