import { createAuditSink, createAuthenticator, listenForKeyChanges } from "@switchboard/core";
import { connectDatabase, type Database, DEMO_DOMAIN_NAME, DEMO_KEY_ID, DEMO_KEY_SECRET } from "@switchboard/db";
import { createSwitchPool, resolveSwitchConfig, type SwitchPool } from "@switchboard/esl";
import { type FakeSwitch, startFakeSwitch } from "@switchboard/esl/testing";
import { createApp } from "./app.ts";
import type { AppDeps } from "./env.ts";
import { assertDemoOnLoopback, listeningLine } from "./listen-address.ts";
import { defaultHost, readSettings, type ServerSettings } from "./settings.ts";

export interface Services {
  settings: ServerSettings & { host: string };
  database: Database;
  switches: SwitchPool;
  /** The fake FreeSWITCH the embedded demo answers calls with. */
  demoSwitch: FakeSwitch | null;
  deps: AppDeps;
  app: ReturnType<typeof createApp>;
  close(): Promise<void>;
}

const hasEslSettings = (env: Record<string, string | undefined>) => Object.keys(env).some((k) => k.startsWith("ESL_") && env[k]);

/** Database, switches, auth and the app, from the environment. Throws one-line errors. */
export async function startServices(env: Record<string, string | undefined> = process.env, log = (line: string) => console.error(line)): Promise<Services> {
  const base = readSettings(env);
  const database = await connectDatabase({ env, log });
  try {
    assertDemoOnLoopback(base.host ?? defaultHost(database.embedded), database.embedded);
    let demoSwitch: FakeSwitch | null = null;
    let switches: SwitchPool;
    if (database.embedded && !hasEslSettings(env)) {
      // The demo has no FreeSWITCH: a fake one on loopback answers originate so every action works.
      demoSwitch = await startFakeSwitch({ host: "127.0.0.1" });
      switches = createSwitchPool({ switches: [{ host: demoSwitch.host, port: demoSwitch.port, password: demoSwitch.password, name: "demo-switch" }] });
    } else {
      const config = await resolveSwitchConfig({ env, sql: database.sql });
      for (const warning of config.warnings) log(`switchboard: ${warning}`);
      switches = createSwitchPool({ switches: config.switches });
    }
    const audit = createAuditSink(database.sql, { onError: (e) => log(`switchboard: audit write failed: ${e instanceof Error ? e.message : String(e)}`) });
    const authenticator = createAuthenticator(database.sql, { requirePolicy: base.requirePolicy });
    const stopKeyListener = await listenForKeyChanges(database.sql);
    const deps: AppDeps = {
      sql: database.sql,
      schema: database.schema,
      switches,
      audit,
      authenticator,
      maxBodyBytes: base.maxBodyBytes,
      trustedProxies: base.trustedProxies,
    };
    return {
      settings: { ...base, host: base.host ?? defaultHost(database.embedded) },
      database,
      switches,
      demoSwitch,
      deps,
      app: createApp(deps),
      async close() {
        await audit.flush().catch(() => {});
        authenticator.close();
        await stopKeyListener().catch(() => {});
        await switches.close();
        await demoSwitch?.stop();
        await database.close();
      },
    };
  } catch (error) {
    await database.close().catch(() => {});
    throw error;
  }
}

/** What a person needs after `npm start`: where it listens, and on the demo a key and a curl line that works. */
export function startupBanner(services: Services, port: number): string {
  const { line, url } = listeningLine(services.settings.host, port);
  const lines = [`Switchboard API ${line} (database: ${services.database.description})`, `  docs: ${url}/   health: ${url}/health   tRPC: ${url}/trpc`];
  if (services.database.embedded) {
    lines.push(
      `  demo API key id: ${DEMO_KEY_ID}`,
      `  demo API secret: ${DEMO_KEY_SECRET}`,
      "  try:",
      `  curl -s --user "${DEMO_KEY_ID}:${DEMO_KEY_SECRET}" -d '{"action": "domain-details", "domain_name": "${DEMO_DOMAIN_NAME}"}' ${url}/app/rest_api/rest.php`,
    );
  }
  return lines.join("\n");
}

/** One line, no stack: what start-up failures print before exiting 1. */
export function startupFailure(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return `switchboard: ${message.split("\n")[0]}`;
}
