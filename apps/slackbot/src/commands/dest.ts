import { errorReply, fieldsReply, show } from "../blocks/reply.ts";
import { type Deletable, deletePrompt, mayWrite, NEED_WRITE } from "./delete-prompt.ts";
import { checkList, LIST_USAGE, type ListArgs, listReply, parseListArgs } from "./list-args.ts";
import { type CommandDeps, type SlashCommandSpec, type Subcommand } from "./command-kit.ts";
import type { Row } from "./rows.ts";

/** Where an inbound route sends its calls: `100 XML example.com` from destination_actions, as text or decoded. */
export function routeTarget(row: Row): string {
  let actions: unknown = row.destination_actions;
  if (typeof actions === "string") {
    const text = actions;
    try {
      actions = JSON.parse(text);
    } catch {
      return text;
    }
  }
  if (!Array.isArray(actions)) return "";
  return actions
    .map((a) =>
      a && typeof a === "object"
        ? `${show((a as Row).destination_app)} ${show((a as Row).destination_data)}`.trim()
        : "",
    )
    .filter(Boolean)
    .join(", ");
}

const create: Subcommand = {
  name: "create",
  usage: "/dest create <number> <extension>",
  summary: "route an inbound number to an extension",
  minArgs: 2,
  maxArgs: 2,
  pending: ([number, extension]) => `Routing ${number} to ${extension}…`,
  async run(request, [number, extension]) {
    const { row } = await request.calls.destinations.create({
      domain_uuid: request.domainUuid,
      number: number!,
      extension: extension!,
    });
    return fieldsReply(`Inbound number ${show(row.destination_number)} created`, [
      ["Number", show(row.destination_number)],
      ["Goes to", routeTarget(row)],
      ["Context", show(row.destination_context)],
      ["Id", show(row.destination_uuid)],
    ]);
  },
};

const showDestination: Subcommand = {
  name: "show",
  usage: "/dest show <number>",
  summary: "where an inbound number goes",
  minArgs: 1,
  maxArgs: 1,
  pending: ([number]) => `Looking up ${number}…`,
  async run(request, [number]) {
    const row = await request.calls.destinations.details({ number: number! });
    return fieldsReply(`Inbound number ${show(row.destination_number)}`, [
      ["Goes to", routeTarget(row)],
      ["Type", show(row.destination_type)],
      ["Caller ID number", show(row.destination_caller_id_number)],
      ["Context", show(row.destination_context)],
      ["Enabled", show(row.destination_enabled)],
      ["Description", show(row.destination_description)],
      ["Id", show(row.destination_uuid)],
    ]);
  },
};

const list: Subcommand = {
  name: "list",
  usage: `/dest list ${LIST_USAGE}`,
  summary: "the domain's inbound numbers and where they go, 25 a page; a search narrows them",
  minArgs: 0,
  maxArgs: 2,
  check: (args) => checkList(args),
  pending: () => "Listing inbound numbers…",
  async run(request, args) {
    const { items: rows } = await request.calls.destinations.list({ domain_uuid: request.domainUuid, limit: 1000 });
    return listReply(
      "/dest list",
      parseListArgs(args) as ListArgs,
      "Inbound numbers",
      ["Number", "Goes to", "Enabled"],
      rows.map((r) => [show(r.destination_number), routeTarget(r), show(r.destination_enabled)]),
      "No inbound numbers yet. Route one with /dest create <number> <extension>.",
    );
  },
};

/** Inbound numbers deleted from Slack: core's destination-delete (its dialplan goes with it). */
export const destDeletable: Deletable = {
  noun: "inbound number",
  confirmActionId: "dest_delete_confirm",
  cancelActionId: "dest_delete_cancel",
  auditName: "slack /dest delete (button)",
  alsoDeleted: "Its route (dialplan) goes with it; calls to it are no longer answered.",
  remove: (request, target) =>
    request.calls.destinations.delete({ domain_uuid: request.domainUuid, destination_uuid: target.uuid }),
};

const remove: Subcommand = {
  name: "delete",
  usage: "/dest delete <number>",
  summary: "delete an inbound number and its route (asks you to confirm)",
  minArgs: 1,
  maxArgs: 1,
  pending: ([number]) => `Looking up ${number}…`,
  async run(request, [number]) {
    if (!mayWrite(request)) return errorReply(NEED_WRITE);
    const row = await request.calls.destinations.details({ number: number! });
    return deletePrompt(destDeletable, {
      label: show(row.destination_number),
      uuid: show(row.destination_uuid),
    });
  },
};

export const destCommand: SlashCommandSpec = {
  command: "/dest",
  summary: "inbound numbers (destinations) of this workspace's domain",
  subcommands: [create, showDestination, list, remove],
};
