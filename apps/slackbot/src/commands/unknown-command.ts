import type { App } from "@slack/bolt";
import { escapeMrkdwn, type Reply, section } from "../blocks/reply.ts";
import { ackMessage, type CommandDeps, type SlashCommandSpec } from "./command-kit.ts";

/** What a command this bot does not know gets: every command it does know, with what each is for. */
export function unknownCommandReply(command: string, specs: readonly SlashCommandSpec[]): Reply {
  const intro = `Switchboard has no command ${command} (it may have been renamed in the app's settings). These are its commands:`;
  const lines = specs.map((s) => `${s.command} — ${s.summary} (${s.command} help)`);
  return {
    text: [intro, ...lines].join("\n"),
    blocks: [
      section(escapeMrkdwn(intro)),
      section(specs.map((s) => `\`${escapeMrkdwn(s.command)}\` ${escapeMrkdwn(s.summary)}`).join("\n")),
    ],
  };
}

/**
 * Registered after every command: a slash command that reaches the bot under a name it does not know (a typo
 * in the manifest, a renamed command) is acknowledged at once with the list of commands, instead of Slack
 * showing a failure after three seconds.
 */
export function registerUnknownCommand(app: App, specs: readonly SlashCommandSpec[], deps: CommandDeps) {
  const known = new Set(specs.map((s) => s.command));
  app.command(/^/, async ({ command, ack }) => {
    if (known.has(command.command)) return;
    await ack(ackMessage(unknownCommandReply(command.command, specs)));
    deps.runner.auditCommand({
      teamId: command.team_id,
      userId: command.user_id,
      domainUuid: null,
      command: `slack ${command.command.slice(0, 40)}`,
      outcome: "unknown-command",
      requestId: `slack-${command.trigger_id || crypto.randomUUID()}`,
    });
  });
}
