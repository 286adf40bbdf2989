import type { App, BlockButtonAction, ButtonAction, RespondFn, webApi } from "@slack/bolt";
import { type ActionCaller, ActionError, type AnyAction, outageError } from "@switchboard/core";
import type { Sql } from "@switchboard/db";
import { DomainNotFoundError, type Identify, type SlackIdentity } from "../access/identify.ts";
import type { UserIdByName } from "../access/slack-user-names.ts";
import { fitMessage, refusedFallback } from "../blocks/message.ts";
import { errorReply, escapeMrkdwn, type Reply, section } from "../blocks/reply.ts";
import { tokenize, UnbalancedQuoteError } from "../text/tokenize.ts";
import type { ActionRunner } from "../runtime/action-runner.ts";
import { responseUrlPoster } from "../runtime/response-url.ts";
import type { RetryGuard } from "../runtime/retry-guard.ts";
import type { Logger } from "../runtime/logger.ts";

/** What every listener needs; built once by createBot. */
export interface CommandDeps {
  identify: Identify;
  /** A bare `@alice` (no user id from Slack) as the workspace member it names. */
  userIdByName: UserIdByName;
  runner: ActionRunner;
  guard: RetryGuard;
  logger: Logger;
  /** How /call's card follows its call: the event log, and the slow call-status poll when no event comes. */
  callFollow: { sql: Sql; fallbackPollMs: number };
}

/** One handled request, after its retry was ruled out and the user identified. */
export interface CommandRequest {
  identity: SlackIdentity;
  /** Set when the subcommand needs a domain (the default): the workspace's domain. */
  domainUuid: string;
  requestId: string;
  /** The typed in-process caller as this user (scope check and audit included): `request.calls.extensions.list({...})`. */
  calls: ActionCaller;
  /** The same without audit rows: for polling a call's status after the audited originate. */
  polls: ActionCaller;
  /** Runs a bot-only action definition (the Slack admin actions) as this user: scope check and audit included. */
  run(action: string | AnyAction, input: unknown): Promise<unknown>;
  /** Sends an intermediate update through the response_url; the returned reply is sent last. */
  update(reply: Reply): Promise<void>;
  /** Slack's Web API as the bot (the call card it posts and updates in place); absent for some buttons. */
  client?: webApi.WebClient;
  deps: CommandDeps;
}

export interface Subcommand {
  name: string;
  /** The usage line shown for `help` and for wrong usage. */
  usage: string;
  summary: string;
  minArgs: number;
  maxArgs: number;
  /** False for commands that work without a bound domain. */
  needsDomain?: boolean;
  /** Its own help, answered in the ack for `help` and when it is given no arguments (`/pbx admin`). */
  help?(): Reply;
  /** A cheap check of the arguments before acking (no I/O); an error text means wrong usage. */
  check?(args: readonly string[]): string | null;
  /** The immediate answer, sent within Slack's 3 seconds before any I/O. */
  pending(args: readonly string[]): string;
  run(request: CommandRequest, args: string[]): Promise<Reply>;
}

export interface SlashCommandSpec {
  command: string;
  summary: string;
  subcommands: readonly Subcommand[];
  /** Used when the first word names no subcommand (`/call 100 5551234`). */
  fallback?: Subcommand;
}

export function helpText(spec: SlashCommandSpec): string {
  const entries = [...(spec.fallback ? [spec.fallback] : []), ...spec.subcommands];
  return [
    `${spec.command}: ${spec.summary}`,
    ...entries.map((s) => `• ${s.usage} — ${s.summary}`),
    `• ${spec.command} help — this help`,
  ].join("\n");
}

function helpReply(spec: SlashCommandSpec): Reply {
  const entries = [...(spec.fallback ? [spec.fallback] : []), ...spec.subcommands];
  const lines = entries.map((s) => `\`${escapeMrkdwn(s.usage)}\`  ${escapeMrkdwn(s.summary)}`);
  return {
    text: helpText(spec),
    blocks: [section(`*${escapeMrkdwn(spec.command)}* — ${escapeMrkdwn(spec.summary)}`), section(lines.join("\n"))],
  };
}

type Parsed =
  | { kind: "help"; reply: Reply }
  | { kind: "usage"; reply: Reply }
  | { kind: "run"; sub: Subcommand; args: string[] };

/** Parses without I/O: help, wrong usage (with the usage text), or the subcommand to run. */
export function parseInvocation(spec: SlashCommandSpec, text: string): Parsed {
  let words: string[];
  try {
    words = tokenize(text);
  } catch (error) {
    if (error instanceof UnbalancedQuoteError)
      return { kind: "usage", reply: errorReply(`${error.message}.`, usageOf(spec)) };
    throw error;
  }
  const first = words[0]?.toLowerCase();
  if (first === undefined || first === "help") {
    if (first === undefined && spec.fallback && spec.fallback.minArgs === 0)
      return { kind: "run", sub: spec.fallback, args: [] };
    return { kind: "help", reply: helpReply(spec) };
  }
  let sub = spec.subcommands.find((s) => s.name === first);
  let args = words.slice(1);
  if (!sub && spec.fallback) {
    sub = spec.fallback;
    args = words;
  }
  if (!sub)
    return { kind: "usage", reply: errorReply(`Unknown ${spec.command} command '${words[0]}'.`, usageOf(spec)) };
  if (sub.help && (args.length === 0 || (args.length === 1 && args[0]!.toLowerCase() === "help")))
    return { kind: "help", reply: sub.help() };
  if (args[0]?.toLowerCase() === "help" && sub !== spec.fallback) {
    return {
      kind: "help",
      reply: {
        text: `${sub.usage}\n${sub.summary}`,
        blocks: [section(`\`${escapeMrkdwn(sub.usage)}\`\n${escapeMrkdwn(sub.summary)}`)],
      },
    };
  }
  if (args.length < sub.minArgs || args.length > sub.maxArgs) {
    return {
      kind: "usage",
      reply: errorReply(args.length < sub.minArgs ? "Missing arguments." : "Too many arguments.", sub.usage),
    };
  }
  const problem = sub.check?.(args);
  if (problem) return { kind: "usage", reply: errorReply(problem, sub.usage) };
  return { kind: "run", sub, args };
}

function usageOf(spec: SlashCommandSpec): string {
  return [...(spec.fallback ? [spec.fallback] : []), ...spec.subcommands].map((s) => s.usage).join("  |  ");
}

/** Turns an action's failure into what the user reads; unexpected ones keep their detail in the log only. */
export function failureReply(caught: unknown, usage: string | undefined, requestId: string): Reply {
  // The database going away before an action ran (the retry claim, the user lookup) reads like it does inside one.
  const error = outageError(caught) ?? caught;
  if (error instanceof ActionError) {
    switch (error.code) {
      case "FORBIDDEN": {
        const scope = /'(\w+)' scope/.exec(error.message)?.[1];
        return errorReply(
          scope
            ? `You need the '${scope}' permission for this. A Switchboard admin can grant it with /pbx admin scopes.`
            : sentence(error.message),
        );
      }
      case "BAD_REQUEST":
        return errorReply(sentence(userWords(error)), usage);
      case "NOT_FOUND":
      case "CONFLICT":
      case "SERVICE_UNAVAILABLE":
      case "TOO_MANY_REQUESTS":
        return errorReply(sentence(error.message));
      default:
        return errorReply(`Something went wrong (request ${requestId}).`);
    }
  }
  if (error instanceof DomainNotFoundError) return errorReply(error.message);
  return errorReply(`Something went wrong (request ${requestId}).`);
}

/** "a number may hold …" → "A number may hold ….": core's messages read as sentences in Slack. */
function sentence(message: string): string {
  const text = message.charAt(0).toUpperCase() + message.slice(1);
  return /[.!?]$/.test(text) ? text : `${text}.`;
}

/**
 * What was wrong with an input in the user's words: the contract's own message ("a number may hold only
 * digits, +, * and #"), never the parameter's internal name (`connect_to`, `destinations.1.number`).
 */
function userWords(error: ActionError): string {
  const issue = (error.cause as { issues?: { message?: string }[] } | undefined)?.issues?.[0];
  if (issue?.message && !/^Invalid input/i.test(issue.message)) return `That value is not valid: ${issue.message}`;
  if (error.field) return "A value is not valid; the usage below shows what each one looks like";
  return error.message;
}

const UNBOUND =
  "This Slack workspace is not linked to a PBX domain. The PBX operator links it on the server (SLACK_TEAM_DOMAINS or SLACK_DOMAIN).";

/** Why Slack refused a response_url post, or null when it took it (it answers `ok`, or JSON with `ok: true`). */
async function refusal(response: Response | undefined): Promise<string | null> {
  if (!response) return null;
  const body = await response.text().catch(() => "");
  let parsed: { ok?: unknown; error?: unknown } | null = null;
  try {
    parsed = JSON.parse(body) as { ok?: unknown; error?: unknown };
  } catch {}
  if (response.ok && (parsed === null || parsed.ok !== false)) return null;
  return typeof parsed?.error === "string" ? parsed.error : body.trim().slice(0, 80) || `HTTP ${response.status}`;
}

/**
 * Sends a reply through the response_url, ephemerally, fitted to Slack's limits (blocks/message.ts). When
 * Slack refuses it anyway (`invalid_blocks` or any error), the user gets the same reply as plain text with
 * what happened, instead of nothing.
 */
export async function sendReply(respond: RespondFn, reply: Reply, logger?: Logger): Promise<void> {
  const message = fitMessage(reply);
  let error: string | null;
  try {
    error = await refusal(
      (await respond({ response_type: "ephemeral", replace_original: true, ...message })) as Response,
    );
  } catch (caught) {
    const status = (caught as { statusCode?: number }).statusCode;
    error = status ? `HTTP ${status}` : String(caught);
  }
  if (error === null) return;
  logger?.warn({ msg: "slack refused a reply; sending it as plain text", error });
  await respond({ response_type: "ephemeral", replace_original: true, ...refusedFallback(reply, error) });
}

/** The acknowledgement body of a command (help, wrong usage, "Working…"), fitted like every reply. */
export function ackMessage(reply: Reply) {
  return { response_type: "ephemeral" as const, ...fitMessage(reply) };
}

/**
 * Registers one slash command: parse and ack at once (help and wrong usage are answered in the ack),
 * then claim the request against retries, identify the user, run, and answer through respond().
 */
export function registerSlashCommand(app: App, spec: SlashCommandSpec, deps: CommandDeps) {
  app.command(spec.command, async ({ command, ack, client }) => {
    const respond = responseUrlPoster(command.response_url);
    const requestId = `slack-${command.trigger_id || crypto.randomUUID()}`;
    const parsed = parseInvocation(spec, command.text ?? "");
    const audit = (outcome: string, errorCode: string | null = null, domainUuid: string | null = null) =>
      deps.runner.auditCommand({
        teamId: command.team_id,
        userId: command.user_id,
        domainUuid,
        command: `slack ${spec.command}`,
        outcome,
        errorCode,
        requestId,
      });

    if (parsed.kind !== "run") {
      await ack(ackMessage(parsed.reply));
      audit(parsed.kind, parsed.kind === "usage" ? "BAD_REQUEST" : null);
      return;
    }
    const { sub, args } = parsed;
    await ack(ackMessage({ text: sub.pending(args) }));

    await runClaimed(deps, {
      requestKey: `${command.team_id}:${command.trigger_id || command.response_url}`,
      teamId: command.team_id,
      userId: command.user_id,
      requestId,
      needsDomain: sub.needsDomain !== false,
      audit,
      respond,
      client,
      work: (request) => sub.run(request, args),
      onError: (error) => failureReply(error, sub.usage, requestId),
    });
  });
}

/**
 * What every button's click shares as a request: claimed once by its trigger (Slack retries), the presser as
 * the caller, audited under `command`, answered through the message's response_url.
 */
export function buttonJob(deps: CommandDeps, body: BlockButtonAction, action: ButtonAction, command: string) {
  const teamId = body.team?.id ?? body.user.team_id ?? "";
  const requestId = `slack-${body.trigger_id || crypto.randomUUID()}`;
  return {
    requestKey: `${teamId}:${body.trigger_id || action.action_ts}`,
    teamId,
    userId: body.user.id,
    requestId,
    needsDomain: true,
    audit: (outcome: string, errorCode: string | null = null, domainUuid: string | null = null) =>
      deps.runner.auditCommand({ teamId, userId: body.user.id, domainUuid, command, outcome, errorCode, requestId }),
    respond: responseUrlPoster(body.response_url),
  };
}

/** The part of handling shared by commands and buttons: retry claim, identity, domain, run, reply. */
export async function runClaimed(
  deps: CommandDeps,
  job: {
    requestKey: string;
    teamId: string;
    userId: string;
    requestId: string;
    needsDomain: boolean;
    audit: (outcome: string, errorCode?: string | null, domainUuid?: string | null) => void;
    respond: RespondFn;
    client?: webApi.WebClient;
    work: (request: CommandRequest) => Promise<Reply>;
    onError: (error: unknown) => Reply;
  },
): Promise<void> {
  let reply: Reply;
  try {
    if (!(await deps.guard.claim(job.requestKey))) {
      job.audit("retry-ignored");
      deps.logger.info({ msg: "slack retry ignored", requestId: job.requestId });
      return;
    }
    const identity = await deps.identify(job.teamId, job.userId);
    if (job.needsDomain && !identity.domainUuid) {
      job.audit("error", "UNBOUND_WORKSPACE");
      await sendReply(job.respond, errorReply(UNBOUND), deps.logger);
      return;
    }
    const request: CommandRequest = {
      identity,
      domainUuid: identity.domainUuid ?? "",
      requestId: job.requestId,
      calls: deps.runner.calls(identity, job.requestId),
      polls: deps.runner.calls(identity, job.requestId, { audit: false }),
      run: (action, input) => deps.runner.run(identity, job.requestId, action, input),
      update: async (update) => {
        await sendReply(job.respond, update, deps.logger);
      },
      deps,
      ...(job.client ? { client: job.client } : {}),
    };
    reply = await job.work(request);
  } catch (error) {
    if (!(error instanceof ActionError))
      deps.logger.error({ msg: "slack command failed", requestId: job.requestId, error: String(error) });
    // Failures inside runAction are already audited there; the rest (database down before it) here.
    if (!(error instanceof ActionError))
      job.audit("error", error instanceof DomainNotFoundError ? "NOT_FOUND" : "INTERNAL_SERVER_ERROR");
    reply = job.onError(error);
  }
  try {
    await sendReply(job.respond, reply, deps.logger);
  } catch (error) {
    deps.logger.error({ msg: "response_url refused the reply", requestId: job.requestId, error: String(error) });
  }
}
