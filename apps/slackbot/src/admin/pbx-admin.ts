import { SCOPES, type Scope } from "@switchboard/core";
import { errorReply, escapeMrkdwn, fieldsReply, plainReply, type Reply, section, show, tableReply } from "../blocks/reply.ts";
import type { CommandRequest, Subcommand } from "../commands/command-kit.ts";
import { mentionedUserId } from "../text/tokenize.ts";
import {
  slackUserExtension,
  slackUserForget,
  slackUserList,
  slackUserScopes,
  slackWorkspaceBind,
  slackWorkspaceUnbind,
} from "./slack-admin-actions.ts";

interface AdminVerb {
  name: string;
  usage: string;
  summary: string;
  args: number;
  check?(args: readonly string[]): string | null;
  run(request: CommandRequest, args: string[], defaults: readonly Scope[]): Promise<Reply>;
}

/** "<@U…> rest": the mention renders as the user's name; the rest is escaped. */
function mentionReply(userId: string, rest: string): Reply {
  return { text: `${userId} ${rest}`, blocks: [section(`<@${userId}> ${escapeMrkdwn(rest)}`)] };
}

const user = (arg: string) => (mentionedUserId(arg) ? null : `'${arg}' is not a user; mention them (@name).`);

function parseScopes(text: string): Scope[] | string {
  if (text.toLowerCase() === "none") return [];
  const scopes = text.split(",").map((s) => s.trim().toLowerCase()).filter(Boolean);
  const unknown = scopes.find((s) => !(SCOPES as readonly string[]).includes(s));
  return unknown ? `Unknown scope '${unknown}'; use ${SCOPES.join(", ")} (comma-separated) or none.` : [...new Set(scopes as Scope[])];
}

const VERBS: readonly AdminVerb[] = [
  {
    name: "show",
    usage: "/pbx admin show",
    summary: "this workspace's domain binding and its users",
    args: 0,
    async run(request) {
      const users = (await request.run(slackUserList, {})) as { userId: string; scopes: string[]; extension: string | null }[];
      const id = request.identity;
      const binding = id.domainUuid ? `${id.domainUuid} (${id.binding === "workspace" ? "bound here" : "from SLACK_DOMAIN"})` : "not bound";
      const head = fieldsReply("Switchboard in this workspace", [
        ["Domain", binding],
        ["Your scopes", [...id.scopes].join(", ") || "none"],
        ["Your extension", id.extension ?? ""],
      ]);
      const table = tableReply(
        "Users with their own settings",
        ["User", "Scopes", "Extension"],
        users.map((u) => [u.userId, u.scopes.join(",") || "none", u.extension ?? ""]),
        "None: everyone has the default scopes.",
      );
      return { text: `${head.text}\n${table.text}`, blocks: [...(head.blocks ?? []), ...(table.blocks ?? [])] };
    },
  },
  {
    name: "bind",
    usage: "/pbx admin bind <domain name>",
    summary: "link this workspace to a FusionPBX domain",
    args: 1,
    async run(request, [domain]) {
      const out = (await request.run(slackWorkspaceBind, { domain })) as { domain_uuid: string; domain_name: string };
      return plainReply(`This workspace now works on domain ${out.domain_name} (${out.domain_uuid}).`);
    },
  },
  {
    name: "unbind",
    usage: "/pbx admin unbind",
    summary: "remove this workspace's domain link",
    args: 0,
    async run(request) {
      const out = (await request.run(slackWorkspaceUnbind, {})) as { removed: boolean };
      return plainReply(out.removed ? "This workspace is no longer linked to a domain." : "This workspace had no domain link of its own.");
    },
  },
  {
    name: "scopes",
    usage: "/pbx admin scopes <@user> <read,write,calls,admin|none>",
    summary: "set what a user may do",
    args: 2,
    check: (args) => user(args[0]!) ?? (typeof parseScopes(args[1]!) === "string" ? (parseScopes(args[1]!) as string) : null),
    async run(request, [who, list]) {
      const scopes = parseScopes(list!) as Scope[];
      const userId = mentionedUserId(who!)!;
      await request.run(slackUserScopes, { user_id: userId, scopes });
      return mentionReply(userId, `may now: ${scopes.join(", ") || "nothing"}.`);
    },
  },
  {
    name: "ext",
    usage: "/pbx admin ext <@user> <extension|none>",
    summary: "link a user to their own extension (what /call <to> rings first)",
    args: 2,
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
    summary: "drop a user's own settings (back to the defaults)",
    args: 1,
    check: (args) => user(args[0]!),
    async run(request, [who]) {
      const userId = mentionedUserId(who!)!;
      const out = (await request.run(slackUserForget, { user_id: userId })) as { removed: boolean };
      return mentionReply(userId, out.removed ? "has the default scopes again." : "had no settings of their own.");
    },
  },
];

export const ADMIN_USAGE = VERBS.map((v) => `${v.usage} — ${v.summary}`).join("\n");

/** `/pbx admin …`: who may do what in this workspace (admin scope, checked by each action). */
export function adminSubcommand(defaultScopes: readonly Scope[]): Subcommand {
  return {
    name: "admin",
    usage: "/pbx admin show|bind|unbind|scopes|ext|forget …",
    summary: "workspace binding and user permissions (admin)",
    minArgs: 1,
    maxArgs: 3,
    needsDomain: false,
    check(args) {
      const verb = VERBS.find((v) => v.name === args[0]!.toLowerCase());
      if (!verb) return `Unknown admin command '${args[0]}'. Admin commands:\n${ADMIN_USAGE}`;
      if (args.length - 1 !== verb.args) return `${verb.usage} takes ${verb.args} argument${verb.args === 1 ? "" : "s"}.`;
      return verb.check?.(args.slice(1)) ?? null;
    },
    pending: ([verb]) => `Working on /pbx admin ${verb}…`,
    async run(request, [verb, ...args]) {
      const definition = VERBS.find((v) => v.name === verb!.toLowerCase());
      if (!definition) return errorReply(`Unknown admin command '${show(verb)}'.`);
      return definition.run(request, args, defaultScopes);
    },
  };
}
