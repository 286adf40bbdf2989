import { createWebhookDispatcher, outageError, webhookUrlPolicy } from "@switchboard/core";
import {
  DatabaseConfigError,
  DatabaseConnectError,
  DEMO_DOMAIN_NAME,
  DEMO_KEY_ID,
  DEMO_KEY_SECRET,
} from "@switchboard/db";
import { createLogger, type Logger, type StartedRuntime, startRuntime } from "@switchboard/runtime";
import { createApp } from "./app.ts";
import type { AppDeps } from "./env.ts";
import { currentLauncher, type FirstRunState, firstRunLines, firstRunState } from "./first-run.ts";
import { assertDemoOnLoopback, listeningLine } from "./listen-address.ts";
import { defaultHost, readSettings, type ServerSettings } from "./settings.ts";

export interface Services {
  settings: ServerSettings & { host: string };
  runtime: StartedRuntime;
  deps: AppDeps;
  app: ReturnType<typeof createApp>;
  /** Keys and domains a real database has at start-up (null on the demo): the banner's first steps. */
  firstRun: FirstRunState | null;
  close(): Promise<void>;
}

/** Settings, the runtime (database, switches, audit, auth) and the app, from the environment. Throws one-line errors. */
export async function startServices(
  env: Record<string, string | undefined> = process.env,
  logger?: Logger,
): Promise<Services> {
  const settings = readSettings(env);
  const log = logger ?? createLogger({ service: "api", level: settings.logLevel });
  const runtime = await startRuntime({
    env,
    logger: log,
    authentication: { requirePolicy: settings.requirePolicy },
    listenForKeyChanges: true,
    // PBX events into the event log (docs/events.md); with several workers or nodes one ingests per switch.
    events: env.SWITCHBOARD_EVENTS !== "off",
  });
  const host = settings.host ?? defaultHost(runtime.database.embedded);
  try {
    assertDemoOnLoopback(host, runtime.database.embedded);
  } catch (error) {
    await runtime.close();
    throw error;
  }
  // Every API process delivers webhooks; leases keep them from sending the same delivery twice.
  const webhooks = createWebhookDispatcher({
    sql: runtime.sql,
    policy: webhookUrlPolicy(env),
    audit: runtime.audit,
    onError: (error) =>
      log.error({ error: error instanceof Error ? error.message : String(error) }, "webhook delivery failed"),
  });
  await webhooks.start();
  const deps: AppDeps = {
    ...runtime,
    maxBodyBytes: settings.maxBodyBytes,
    maxBatchSize: settings.maxBatchSize,
    publicUrl: settings.publicUrl,
    trustedProxies: settings.trustedProxies,
  };
  return {
    settings: { ...settings, host },
    runtime,
    deps,
    app: createApp(deps),
    firstRun: runtime.database.embedded ? null : await firstRunState(runtime.sql),
    async close() {
      await webhooks.stop();
      await runtime.close();
    },
  };
}

/** A failure worth trying again: the database unreachable or dropping connections, not a setting. */
export function isDatabaseOutage(error: unknown): boolean {
  if (error instanceof DatabaseConfigError) return false;
  return error instanceof DatabaseConnectError || outageError(error) !== undefined;
}

export interface PatienceOptions {
  /** Give up (throw the last error) after this long; default 5 minutes. */
  giveUpAfterMs?: number;
  /** First wait; it doubles up to `maxDelayMs`. */
  firstDelayMs?: number;
  maxDelayMs?: number;
  log?: (line: string) => void;
}

/**
 * `start` again and again while the database is out (see isDatabaseOutage), waiting 0.5 s doubling to 5 s:
 * a worker started again during a database fault waits for it (without listening, so the kernel hands its
 * connections to the workers that serve) instead of exiting and being restarted in a loop.
 */
export async function startPatiently<T>(start: () => Promise<T>, options: PatienceOptions = {}): Promise<T> {
  const giveUpAt = Date.now() + (options.giveUpAfterMs ?? 5 * 60_000);
  let delay = options.firstDelayMs ?? 500;
  for (let attempt = 1; ; attempt++) {
    try {
      return await start();
    } catch (error) {
      if (!isDatabaseOutage(error) || Date.now() + delay > giveUpAt) throw error;
      options.log?.(
        `database not ready (attempt ${attempt}: ${(error as Error).message.split("\n")[0]}); trying again in ${delay} ms`,
      );
      await Bun.sleep(delay);
      delay = Math.min(delay * 2, options.maxDelayMs ?? 5_000);
    }
  }
}

/**
 * What a person needs after `npm start`: where it listens; on the demo a key and a curl line that works; on a
 * real database without a key or a domain yet, the command that makes the first one.
 */
export function startupBanner(
  services: Pick<Services, "settings" | "runtime" | "firstRun">,
  port: number,
  launcher = currentLauncher(),
): string {
  const { line, url } = listeningLine(services.settings.host, port);
  const lines = [
    `Switchboard API ${line} (database: ${services.runtime.database.description})`,
    `  docs: ${url}/   health: ${url}/health   tRPC: ${url}/trpc`,
  ];
  if (services.runtime.database.embedded) {
    lines.push(
      `  demo API key id: ${DEMO_KEY_ID}`,
      `  demo API secret: ${DEMO_KEY_SECRET}`,
      "  try:",
      `  curl -s --user "${DEMO_KEY_ID}:${DEMO_KEY_SECRET}" -d '{"action": "domain-details", "domain_name": "${DEMO_DOMAIN_NAME}"}' ${url}/app/rest_api/rest.php`,
    );
  }
  lines.push(...firstRunLines(services.firstRun, url, launcher));
  return lines.join("\n");
}
