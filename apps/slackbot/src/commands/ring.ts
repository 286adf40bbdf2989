import {
  errorReply,
  escapeMrkdwn,
  fieldsReply,
  formatTable,
  type Reply,
  section,
  show,
  tableReply,
} from "../blocks/reply.ts";
import { type Deletable, deletePrompt, mayWrite, NEED_WRITE } from "./delete-prompt.ts";
import { checkList, LIST_USAGE, type ListArgs, listReply, parseListArgs } from "./list-args.ts";
import { type CommandDeps, type CommandRequest, type SlashCommandSpec, type Subcommand } from "./command-kit.ts";
import { type Row, rowsOf } from "./rows.ts";

export const STRATEGIES = ["simultaneous", "sequence", "enterprise", "rollover", "random"] as const;

const create: Subcommand = {
  name: "create",
  usage: "/ring create <extension> <name> <strategy> <member> [member…]",
  summary: `create a ring group (strategy: ${STRATEGIES.join(", ")})`,
  minArgs: 4,
  maxArgs: 100,
  check: (args) =>
    STRATEGIES.includes(args[2]!.toLowerCase() as never)
      ? null
      : `Unknown strategy '${args[2]}'; use one of ${STRATEGIES.join(", ")}.`,
  pending: ([extension, name]) => `Creating ring group ${extension} (${name})…`,
  async run(request, [extension, name, strategy, ...members]) {
    const { row } = await request.calls.ringGroups.create({
      domain_uuid: request.domainUuid,
      extension: extension!,
      name: name!,
      strategy: strategy!.toLowerCase() as (typeof STRATEGIES)[number],
      destinations: members.map((number) => ({ number })),
    });
    return fieldsReply(`Ring group ${show(row.ring_group_extension)} created`, [
      ["Name", show(row.ring_group_name)],
      ["Strategy", show(row.ring_group_strategy)],
      ["Members", members.join(", ")],
      ["Id", show(row.ring_group_uuid)],
    ]);
  },
};

const showRingGroup: Subcommand = {
  name: "show",
  usage: "/ring show <extension>",
  summary: "a ring group and its members",
  minArgs: 1,
  maxArgs: 1,
  pending: ([extension]) => `Looking up ring group ${extension}…`,
  async run(request, [extension]) {
    const match = await findRingGroup(request, extension!);
    if (!match) return errorReply(`No ring group ${extension} in this domain.`);
    return ringGroupReply(
      await request.calls.ringGroups.details({
        domain_uuid: request.domainUuid,
        ring_group_uuid: match.ring_group_uuid,
      }),
    );
  },
};

/** The ring group with exactly this extension (the list filters by prefix). */
async function findRingGroup(
  request: CommandRequest,
  extension: string,
): Promise<{ ring_group_uuid: string } | undefined> {
  let cursor: string | undefined;
  do {
    const page = await request.calls.ringGroups.list({
      domain_uuid: request.domainUuid,
      extension_prefix: extension,
      limit: 1000,
      ...(cursor ? { cursor } : {}),
    });
    const found = page.items.find((r) => r.ring_group_extension === extension);
    if (found) return found;
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return undefined;
}

const list: Subcommand = {
  name: "list",
  usage: `/ring list ${LIST_USAGE}`,
  summary: "the domain's ring groups, 25 a page; a search narrows them",
  minArgs: 0,
  maxArgs: 2,
  check: (args) => checkList(args),
  pending: () => "Listing ring groups…",
  async run(request, args) {
    const { items: rows } = await request.calls.ringGroups.list({ domain_uuid: request.domainUuid, limit: 1000 });
    return listReply(
      "/ring list",
      parseListArgs(args) as ListArgs,
      "Ring groups",
      ["Ext", "Name", "Strategy", "Enabled"],
      rows.map((r) => [
        show(r.ring_group_extension),
        show(r.ring_group_name),
        show(r.ring_group_strategy),
        show(r.ring_group_enabled),
      ]),
      "No ring groups yet. Create one with /ring create <extension> <name> <strategy> <member>….",
    );
  },
};

function ringGroupReply(row: Row): Reply {
  const members = rowsOf(row.destinations);
  const summary = fieldsReply(`Ring group ${show(row.ring_group_extension)} — ${show(row.ring_group_name)}`, [
    ["Strategy", show(row.ring_group_strategy)],
    ["Timeout", show(row.ring_group_call_timeout)],
    ["Enabled", show(row.ring_group_enabled)],
    ["Id", show(row.ring_group_uuid)],
  ]);
  const table = formatTable(
    ["Member", "Delay", "Timeout"],
    members.map((m) => [show(m.destination_number), show(m.destination_delay), show(m.destination_timeout)]),
  );
  const text = `${summary.text}\nMembers:\n${members.length ? table : "none"}`;
  return {
    text,
    blocks: [
      ...(summary.blocks ?? []),
      section(members.length ? "*Members*\n```" + escapeMrkdwn(table) + "```" : "*Members*\nnone"),
    ],
  };
}

/** Ring groups deleted from Slack: core's ringgroup-delete (members and dialplan go with it). */
export const ringDeletable: Deletable = {
  noun: "ring group",
  confirmActionId: "ring_delete_confirm",
  cancelActionId: "ring_delete_cancel",
  auditName: "slack /ring delete (button)",
  alsoDeleted: "Its members and its dialplan go with it.",
  remove: (request, target) =>
    request.calls.ringGroups.delete({ domain_uuid: request.domainUuid, ring_group_uuid: target.uuid }),
};

const remove: Subcommand = {
  name: "delete",
  usage: "/ring delete <extension>",
  summary: "delete a ring group (asks you to confirm)",
  minArgs: 1,
  maxArgs: 1,
  pending: ([extension]) => `Looking up ring group ${extension}…`,
  async run(request, [extension]) {
    if (!mayWrite(request)) return errorReply(NEED_WRITE);
    const match = await findRingGroup(request, extension!);
    if (!match) return errorReply(`No ring group ${extension} in this domain.`);
    const row = await request.calls.ringGroups.details({
      domain_uuid: request.domainUuid,
      ring_group_uuid: match.ring_group_uuid,
    });
    const name = show(row.ring_group_name);
    return deletePrompt(ringDeletable, {
      label: name ? `${show(row.ring_group_extension)} (${name})` : show(row.ring_group_extension),
      uuid: match.ring_group_uuid,
    });
  },
};

export const ringCommand: SlashCommandSpec = {
  command: "/ring",
  summary: "ring groups of this workspace's domain",
  subcommands: [create, showRingGroup, list, remove],
};
