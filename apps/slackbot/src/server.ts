import { createAuditSink } from "@switchboard/core";
import { connectDatabase, DEMO_DOMAIN_NAME } from "@switchboard/db";
import { createSwitchPool, resolveSwitchConfig, type SwitchPool } from "@switchboard/esl";
import { type FakeSwitch, startFakeSwitch } from "@switchboard/esl/testing";
import { ConfigError, loadConfig } from "./config.ts";
import { createBot } from "./create-bot.ts";
import { jsonLogger } from "./runtime/logger.ts";

const hasEslSettings = (env: Record<string, string | undefined>) => Object.keys(env).some((k) => k.startsWith("ESL_") && env[k]);

/** `bun run start`: the Slack app over the database and switches packages/db and packages/esl find. */
async function main() {
  const env = process.env;
  const loaded = loadConfig(env);
  const database = await connectDatabase({ env, log: (line) => jsonLogger.info({ msg: line }) });
  let demoSwitch: FakeSwitch | null = null;
  let switches: SwitchPool;
  if (database.embedded && !hasEslSettings(env)) {
    // The embedded demo has no FreeSWITCH: a fake one on loopback answers calls, as with the API's demo.
    demoSwitch = await startFakeSwitch({ host: "127.0.0.1" });
    switches = createSwitchPool({ switches: [{ host: demoSwitch.host, port: demoSwitch.port, password: demoSwitch.password, name: "demo-switch" }] });
  } else {
    const switchConfig = await resolveSwitchConfig({ env, sql: database.sql });
    for (const warning of switchConfig.warnings) jsonLogger.info({ msg: `switch settings: ${warning}` });
    switches = createSwitchPool({ switches: switchConfig.switches });
  }
  const config = {
    ...loaded,
    host: loaded.host ?? (database.embedded ? "127.0.0.1" : "0.0.0.0"),
    // The demo has one domain; every workspace works on it unless told otherwise.
    fixedDomainName: loaded.fixedDomainName ?? (database.embedded ? DEMO_DOMAIN_NAME : null),
  };
  const audit = createAuditSink(database.sql, { onError: (error) => jsonLogger.error({ msg: "audit write failed", error: String(error) }) });
  const bot = createBot(config, { sql: database.sql, schema: database.schema, switches, audit, now: () => new Date() });
  const where = await bot.start();
  jsonLogger.info({
    msg: config.mode === "http" ? `Switchboard Slack app listening at ${where}` : "Switchboard Slack app connected in Socket Mode",
    database: database.description,
    switches: switches.switches.map((s) => s.name),
    domain: config.fixedDomainName ?? "per workspace (/pbx admin bind)",
  });

  let stopping = false;
  const shutdown = async () => {
    if (stopping) return;
    stopping = true;
    await bot.stop().catch(() => {});
    await audit.flush().catch(() => {});
    await switches.close().catch(() => {});
    await demoSwitch?.stop().catch(() => {});
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
