import type { Scope } from "@switchboard/core";
import { escapeMrkdwn, type Reply, section } from "../blocks/reply.ts";
import type { CommandRequest, Subcommand } from "../commands/command-kit.ts";
import { mentionedUserId } from "../text/tokenize.ts";
import { slackUserExtension, slackUserForget, slackUserList, slackUserScopes } from "./slack-admin-actions.ts";
import { applyScopeChange, SLACK_SCOPE_MEANING, SLACK_SCOPES } from "./slack-scopes.ts";

interface AdminVerb {
  name: string;
  usage: string;
  summary: string;
  minArgs: number;
  maxArgs: number;
  check?(args: readonly string[]): string | null;
  run(request: CommandRequest, args: string[], defaults: readonly Scope[]): Promise<Reply>;
}

type UserRow = { userId: string; scopes: string[]; extension: string | null };

/** "<@U…> rest": the mention renders as the user's name; the rest is escaped. */
function mentionReply(userId: string, rest: string): Reply {
  return { text: `${userId} ${rest}`, blocks: [section(`<@${userId}> ${escapeMrkdwn(rest)}`)] };
}

const user = (arg: string) => (mentionedUserId(arg) ? null : `'${arg}' is not a user; mention them, like @alice.`);

const VERBS: readonly AdminVerb[] = [
  {
    name: "show",
    usage: "/pbx admin show",
    summary: "this workspace's domain, your permissions and the users with their own settings",
    minArgs: 0,
    maxArgs: 0,
    async run(request) {
      const users = (await request.run(slackUserList, {})) as UserRow[];
      const id = request.identity;
      const lines = [
        `*Workspace:* ${escapeMrkdwn(id.teamId)}`,
        `*Domain:* ${escapeMrkdwn(id.domainName ?? "none")} (set by the PBX operator in ${id.binding ?? "no setting"})`,
        `*Your permissions:* ${[...id.scopes].join(", ") || "none"}`,
        `*Your extension:* ${escapeMrkdwn(id.extension ?? "none")}`,
      ];
      const people = users.map(
        (u) =>
          `<@${u.userId}>: ${u.scopes.join(", ") || "nothing"}${u.extension ? ` — extension ${escapeMrkdwn(u.extension)}` : ""}`,
      );
      const text = [
        `Workspace: ${id.teamId}`,
        `Domain: ${id.domainName ?? "none"} (set by the PBX operator in ${id.binding ?? "no setting"})`,
        `Your permissions: ${[...id.scopes].join(", ") || "none"}`,
        `Your extension: ${id.extension ?? "none"}`,
        "Users with their own settings:",
        ...(users.length
          ? users.map(
              (u) =>
                `${u.userId}: ${u.scopes.join(", ") || "nothing"}${u.extension ? ` — extension ${u.extension}` : ""}`,
            )
          : ["none: everyone has the default permissions"]),
      ].join("\n");
      return {
        text,
        blocks: [
          section(lines.join("\n")),
          section(
            `*Users with their own settings*\n${people.length ? people.slice(0, 40).join("\n") : "None: everyone has the default permissions."}`,
          ),
        ],
      };
    },
  },
  {
    name: "scopes",
    usage: "/pbx admin scopes <@user> <read,calls | +calls -write | none>",
    summary: "set, add (+) or remove (-) what a user may do",
    minArgs: 2,
    maxArgs: 6,
    check: (args) => {
      const problem = user(args[0]!);
      if (problem) return problem;
      const change = applyScopeChange([], args.slice(1));
      return typeof change === "string" ? change : null;
    },
    async run(request, [who, ...words], defaults) {
      const userId = mentionedUserId(who!)!;
      const users = (await request.run(slackUserList, {})) as UserRow[];
      const current = users.find((u) => u.userId === userId)?.scopes ?? [...defaults];
      const scopes = applyScopeChange(current, words) as Scope[];
      await request.run(slackUserScopes, { user_id: userId, scopes });
      return mentionReply(userId, `may now: ${scopes.join(", ") || "nothing"}.`);
    },
  },
  {
    name: "ext",
    usage: "/pbx admin ext <@user> <extension|none>",
    summary: "link a user to their own extension (the phone /call rings first)",
    minArgs: 2,
    maxArgs: 2,
    check: (args) => user(args[0]!),
    async run(request, [who, extension], defaults) {
      const userId = mentionedUserId(who!)!;
      const value = extension!.toLowerCase() === "none" ? null : extension!;
      await request.run(slackUserExtension, { user_id: userId, extension: value, default_scopes: [...defaults] });
      return mentionReply(userId, value ? `now calls from extension ${value}.` : "has no extension now.");
    },
  },
  {
    name: "forget",
    usage: "/pbx admin forget <@user>",
    summary: "drop a user's own settings (back to the default permissions)",
    minArgs: 1,
    maxArgs: 1,
    check: (args) => user(args[0]!),
    async run(request, [who]) {
      const userId = mentionedUserId(who!)!;
      const out = (await request.run(slackUserForget, { user_id: userId })) as { removed: boolean };
      return mentionReply(userId, out.removed ? "has the default permissions again." : "had no settings of their own.");
    },
  },
];

export const ADMIN_USAGE = VERBS.map((v) => `${v.usage} — ${v.summary}`).join("\n");

/** Every admin command and what each permission means: `/pbx admin` and `/pbx admin help`. */
export function adminHelp(): Reply {
  const meanings = SLACK_SCOPES.map((s) => `${s}: ${SLACK_SCOPE_MEANING[s]}`);
  const footer =
    "Which PBX domain this workspace works on is set by the PBX operator (SLACK_TEAM_DOMAINS or SLACK_DOMAIN), not from Slack.";
  return {
    text: ["Admin commands:", ADMIN_USAGE, "Permissions:", ...meanings, footer].join("\n"),
    blocks: [
      section(
        `*Admin commands*\n${VERBS.map((v) => `\`${escapeMrkdwn(v.usage)}\`  ${escapeMrkdwn(v.summary)}`).join("\n")}`,
      ),
      section(`*Permissions*\n${meanings.map(escapeMrkdwn).join("\n")}`),
      section(escapeMrkdwn(footer)),
    ],
  };
}

const OPERATOR_ONLY: Record<string, string> = {
  bind: "Only the PBX operator chooses which domain this workspace works on (SLACK_TEAM_DOMAINS or SLACK_DOMAIN on the server).",
  unbind:
    "Only the PBX operator chooses which domain this workspace works on (SLACK_TEAM_DOMAINS or SLACK_DOMAIN on the server).",
};

/** `/pbx admin …`: who may do what in this workspace (admin scope, checked by each action). */
export function adminSubcommand(defaultScopes: readonly Scope[]): Subcommand {
  return {
    name: "admin",
    usage: "/pbx admin show|scopes|ext|forget|help …",
    summary: "who may do what in this workspace (admin)",
    minArgs: 0,
    maxArgs: 7,
    help: adminHelp,
    check(args) {
      if (args.length === 0) return null;
      const name = args[0]!.toLowerCase();
      if (OPERATOR_ONLY[name]) return OPERATOR_ONLY[name]!;
      const verb = VERBS.find((v) => v.name === name);
      if (!verb) return `There is no admin command '${args[0]}'. Admin commands:\n${ADMIN_USAGE}`;
      const count = args.length - 1;
      if (count < verb.minArgs || count > verb.maxArgs) return `Write it as ${verb.usage}`;
      return verb.check?.(args.slice(1)) ?? null;
    },
    pending: ([verb]) => `Working on /pbx admin ${verb ?? ""}…`,
    async run(request, [verb, ...args]) {
      const definition = VERBS.find((v) => v.name === verb?.toLowerCase());
      if (!definition) return adminHelp();
      return definition.run(request, args, defaultScopes);
    },
  };
}
