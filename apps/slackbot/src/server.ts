import { createAuditSink } from "@switchboard/core";
import { connectDatabase, type Database } from "@switchboard/db";
import { createSwitchPool, resolveSwitchConfig } from "@switchboard/esl";
import { ConfigError, loadConfig } from "./config.ts";
import { createBot } from "./create-bot.ts";
import { jsonLogger } from "./runtime/logger.ts";

/** `bun run start`: the Slack app over the database and switches packages/db and packages/esl find. */
async function main() {
  const config = loadConfig();
  const database: Database = await connectDatabase({ log: (line) => jsonLogger.info({ msg: line }) });
  const switchConfig = await resolveSwitchConfig({ sql: database.sql });
  for (const warning of switchConfig.warnings) jsonLogger.info({ msg: `switch settings: ${warning}` });
  const switches = createSwitchPool({ switches: switchConfig.switches });
  const audit = createAuditSink(database.sql, { onError: (error) => jsonLogger.error({ msg: "audit write failed", error: String(error) }) });
  const bot = createBot(config, { sql: database.sql, schema: database.schema, switches, audit, now: () => new Date() });
  const where = await bot.start();
  jsonLogger.info({
    msg: config.mode === "http" ? `Switchboard Slack app listening at ${where}` : "Switchboard Slack app connected in Socket Mode",
    database: database.description,
    switches: switchConfig.switches.map((s) => s.name),
    domain: config.fixedDomainName ?? "per workspace (/pbx admin bind)",
  });

  let stopping = false;
  const shutdown = async () => {
    if (stopping) return;
    stopping = true;
    await bot.stop().catch(() => {});
    await audit.flush().catch(() => {});
    await switches.close().catch(() => {});
    await database.close().catch(() => {});
    process.exit(0);
  };
  process.on("SIGINT", shutdown);
  process.on("SIGTERM", shutdown);
}

main().catch((error) => {
  // Configuration and connection problems are one readable line, not a stack trace.
  const known = error instanceof ConfigError || ["DatabaseConnectError", "DatabaseConfigError", "SwitchConfigError"].includes((error as Error)?.name);
  console.error(`switchboard slackbot: ${known ? (error as Error).message : String((error as Error)?.stack ?? error)}`);
  process.exit(1);
});
