import { DEMO_DOMAIN_NAME } from "@switchboard/db";
import { createLogger, runService, startRuntime } from "@switchboard/runtime";
import { loadConfig } from "./config.ts";
import { createBot } from "./create-bot.ts";
import { startNotifier } from "./notifications/notifier.ts";

/** `bun run start`: the Slack app over the same runtime as the API (database, switches, audit, logger). */
const logger = createLogger({ service: "slackbot" });
await runService({
  logger,
  prefix: "switchboard slackbot",
  async start() {
    const loaded = loadConfig(process.env);
    logger.level = loaded.logLevel;
    // PBX events: whichever process (this or the API) holds a switch's lock ingests it; the other stands by,
    // so the Slack app alone still fills the event log (docs/events.md).
    const runtime = await startRuntime({ logger, events: process.env.SWITCHBOARD_EVENTS !== "off" });
    const config = {
      ...loaded,
      host: loaded.host ?? (runtime.database.embedded ? "127.0.0.1" : "0.0.0.0"),
      // The demo has one domain; every workspace works on it unless told otherwise.
      fixedDomainName: loaded.fixedDomainName ?? (runtime.database.embedded ? DEMO_DOMAIN_NAME : null),
      // On the demo, anyone may call from any demo extension (`/call 100 5551234`), still under the dial policy.
      defaultScopes:
        runtime.database.embedded && process.env.SLACK_DEFAULT_SCOPES === undefined
          ? [...loaded.defaultScopes, "calls-any" as const]
          : loaded.defaultScopes,
    };
    const bot = createBot(config, runtime);
    let where: string;
    try {
      where = await bot.start();
    } catch (error) {
      await runtime.close();
      throw error;
    }
    // Missed calls and voicemail to the linked users' direct messages (notifications/).
    const notifier = await startNotifier({
      sql: runtime.sql,
      binding: config,
      botToken: config.botToken,
      apiUrl: config.apiUrl ?? undefined,
      logger,
    });
    logger.info(
      {
        database: runtime.database.description,
        switches: runtime.switches.switches.map((s) => s.name),
        domain:
          config.fixedDomainName ??
          (config.teamDomains.size
            ? "per workspace (SLACK_TEAM_DOMAINS)"
            : "none: set SLACK_DOMAIN or SLACK_TEAM_DOMAINS"),
      },
      config.mode === "http"
        ? `Switchboard Slack app listening at ${where}`
        : "Switchboard Slack app connected in Socket Mode",
    );
    return {
      async stop() {
        await notifier.stop().catch(() => {});
        await bot.stop().catch(() => {});
        await runtime.close();
      },
    };
  },
});
