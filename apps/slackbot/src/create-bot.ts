import type { Server } from "node:http";
import { App, HTTPReceiver, LogLevel } from "@slack/bolt";
import { createIdentifier } from "./access/identify.ts";
import { slackDirectory } from "./access/slack-directory.ts";
import { createUserNames } from "./access/slack-user-names.ts";
import { callCommand } from "./commands/call.ts";
import { registerCallHangupButton } from "./commands/call-hangup-button.ts";
import { type CommandDeps, registerSlashCommand } from "./commands/command-kit.ts";
import { registerDeleteButtons } from "./commands/delete-prompt.ts";
import { destCommand, destDeletable } from "./commands/dest.ts";
import { extCommand } from "./commands/ext.ts";
import { registerExtDeleteButtons } from "./commands/ext-delete-buttons.ts";
import { registerPageButtons } from "./commands/page-buttons.ts";
import { registerCallBackButton } from "./notifications/call-back-button.ts";
import { pbxCommand } from "./commands/pbx.ts";
import { ringCommand, ringDeletable } from "./commands/ring.ts";
import { registerUnknownCommand } from "./commands/unknown-command.ts";
import type { SlackbotConfig } from "./config.ts";
import { createActionRunner } from "./runtime/action-runner.ts";
import type { Logger } from "./runtime/logger.ts";
import { listen } from "./runtime/http-server.ts";
import { createRetryGuard } from "./runtime/retry-guard.ts";
import { type BotIdentity, checkBotToken } from "./runtime/token-check.ts";
import type { BotServices } from "./runtime/services.ts";

export const EVENTS_PATH = "/slack/events";

export interface Bot {
  app: App;
  /** HTTP mode: listens on config.host:config.port (0 picks a free one) and returns the URL of /slack/events. */
  start(): Promise<string>;
  stop(): Promise<void>;
}

/** The Slack app: every listener wired to core's registry over the given services. */
export function createBot(config: SlackbotConfig, services: BotServices, logger: Logger = services.logger): Bot {
  const receiver =
    config.mode === "http"
      ? new HTTPReceiver({
          signingSecret: config.signingSecret,
          endpoints: EVENTS_PATH,
          processBeforeResponse: false,
          logLevel: LogLevel.WARN,
        })
      : undefined;
  let botIdentity: BotIdentity = {};
  // Web API calls (the call card) give up within seconds rather than retrying for half an hour.
  const clientOptions = {
    ...(config.apiUrl ? { slackApiUrl: config.apiUrl } : {}),
    timeout: 10_000,
    retryConfig: { retries: 2, factor: 2, minTimeout: 500, maxTimeout: 2_000 },
  };
  const app = new App({
    // Given the token this way, Bolt never calls auth.test before a listener runs: with Slack's Web API
    // unreachable, commands are still acknowledged. The token is checked once at start-up instead.
    authorize: async () => ({ botToken: config.botToken, ...botIdentity }),
    logLevel: LogLevel.WARN,
    ...(receiver ? { receiver } : { socketMode: true, appToken: config.appToken ?? "" }),
    clientOptions,
    // The Socket Mode receiver opens its connection with its own Web API client (installerOptions).
    ...(config.apiUrl ? { installerOptions: { clientOptions: { slackApiUrl: config.apiUrl } } } : {}),
  });

  const runner = createActionRunner(services);
  const identify = createIdentifier({
    directory: slackDirectory(services.sql),
    policy: {
      adminUsers: config.adminUsers,
      defaultScopes: config.defaultScopes,
      fixedDomainName: config.fixedDomainName,
      teamDomains: config.teamDomains,
    },
    domainUuidByName: async (name) => {
      try {
        return (await runner.internal().domains.details({ domain_name: name })).domain_uuid;
      } catch (error) {
        if ((error as { code?: string }).code === "NOT_FOUND") return null;
        throw error;
      }
    },
  });
  const deps: CommandDeps = {
    identify,
    userIdByName: createUserNames(),
    runner,
    guard: createRetryGuard(services.sql),
    logger,
    callFollow: { sql: services.sql, fallbackPollMs: config.callFallbackPollMs },
  };

  const specs = [callCommand, extCommand, destCommand, ringCommand, pbxCommand(config.defaultScopes)];
  for (const spec of specs) registerSlashCommand(app, spec, deps);
  registerExtDeleteButtons(app, deps);
  registerCallHangupButton(app, deps);
  registerDeleteButtons(app, deps, destDeletable);
  registerDeleteButtons(app, deps, ringDeletable);
  registerCallBackButton(app, deps);
  registerPageButtons(app, specs, deps);
  registerUnknownCommand(app, specs, deps);
  app.error(async (error) => {
    logger.error({ msg: "bolt error", error: String(error) });
  });

  let server: Server | null = null;
  return {
    app,
    async start() {
      // A configured domain that does not exist stops start-up with one line (a ConfigError).
      await identify.verifyBindings();
      // A token Slack refuses stops start-up with one line; Slack unreachable is a warning only.
      botIdentity = await checkBotToken(app.client, config.botToken, logger);
      if (config.mode === "socket") {
        await app.start();
        return "socket mode";
      }
      const listening = await listen(receiver!, config.port, config.host ?? "0.0.0.0");
      server = listening.server;
      return `${listening.url}${EVENTS_PATH}`;
    },
    async stop() {
      if (config.mode === "socket") {
        await app.stop();
        return;
      }
      const open = server;
      server = null;
      if (open) await new Promise<void>((resolve) => open.close(() => resolve()));
    },
  };
}
