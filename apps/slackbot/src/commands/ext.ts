import {
  type Block,
  context,
  escapeMrkdwn,
  errorReply,
  fieldsReply,
  plainReply,
  type Reply,
  section,
  show,
} from "../blocks/reply.ts";
import { PHONE_NUMBER_HELP, parsePhoneNumber } from "../text/phone-number.ts";
import { checkList, LIST_USAGE, type ListArgs, listReply, parseListArgs } from "./list-args.ts";
import { type CommandDeps, type SlashCommandSpec, type Subcommand } from "./command-kit.ts";
import { registryAction } from "../runtime/action-runner.ts";
import type { Row } from "./rows.ts";

export const EXT_DELETE_CONFIRM = "ext_delete_confirm";
export const EXT_DELETE_CANCEL = "ext_delete_cancel";

const create: Subcommand = {
  name: "create",
  usage: '/ext create <number> ["caller id name"] [caller id number]',
  summary: "create an extension with its voicemail box; the SIP password is shown only to you",
  minArgs: 1,
  maxArgs: 3,
  pending: ([number]) => `Creating extension ${number}…`,
  async run(request, [number, callerIdName, callerIdNumber]) {
    const { row } = await request.calls.extensions.create({
      domain_uuid: request.domainUuid,
      extension: number!,
      ...(callerIdName ? { caller_id_name: callerIdName } : {}),
      ...(callerIdNumber ? { caller_id_number: callerIdNumber } : {}),
    });
    return createdReply(row);
  },
};

/** The new extension, with its SIP password: this reply only ever goes to the requester, ephemerally. */
function createdReply(row: Row): Reply {
  const extension = show(row.extension);
  const pairs: [string, string][] = [
    ["Extension", extension],
    ["Caller ID name", show(row.effective_caller_id_name)],
    ["Caller ID number", show(row.effective_caller_id_number)],
    ["Context", show(row.user_context)],
    ["SIP password", show(row.password)],
  ];
  if (row.voicemail_password !== undefined) pairs.push(["Voicemail PIN", show(row.voicemail_password)]);
  const reply = fieldsReply(
    `Extension ${extension} created`,
    pairs,
    "Only you can see this message. Keep the password out of channels.",
  );
  return reply;
}

const list: Subcommand = {
  name: "list",
  usage: `/ext list ${LIST_USAGE}`,
  summary: "the domain's extensions, 25 a page; a search narrows them (details with /ext show)",
  minArgs: 0,
  maxArgs: 2,
  check: (args) => checkList(args),
  pending: () => "Listing extensions…",
  async run(request, args) {
    const { items: rows } = await request.calls.extensions.list({ domain_uuid: request.domainUuid, limit: 1000 });
    const table = rows
      .map((r) => [
        show(r.extension),
        show(r.effective_caller_id_name),
        show(r.effective_caller_id_number),
        enabledText(r.enabled),
      ])
      .sort((a, b) => a[0]!.localeCompare(b[0]!, "en", { numeric: true }));
    return listReply(
      "/ext list",
      parseListArgs(args) as ListArgs,
      "Extensions",
      ["Ext", "Name", "Caller ID", "Enabled"],
      table,
      "No extensions yet. Create one with /ext create <number>.",
    );
  },
};

const showExtension: Subcommand = {
  name: "show",
  usage: "/ext show <number>",
  summary: "an extension's settings (never its password)",
  minArgs: 1,
  maxArgs: 1,
  pending: ([number]) => `Looking up extension ${number}…`,
  async run(request, [number]) {
    const row = await request.calls.extensions.details({ domain_uuid: request.domainUuid, extension: number! });
    return fieldsReply(`Extension ${show(row.extension)}`, [
      ["Caller ID name", show(row.effective_caller_id_name)],
      ["Caller ID number", show(row.effective_caller_id_number)],
      [
        "Outbound caller ID",
        [show(row.outbound_caller_id_name), show(row.outbound_caller_id_number)].filter(Boolean).join(" "),
      ],
      ["Context", show(row.user_context)],
      ["Call timeout", show(row.call_timeout)],
      ["Do not disturb", show(row.do_not_disturb)],
      ["Forward all", row.forward_all_enabled === true ? show(row.forward_all_destination) : "off"],
      ["Enabled", enabledText(row.enabled)],
      ["Description", show(row.description)],
      ["Id", show(row.extension_uuid)],
    ]);
  },
};

const remove: Subcommand = {
  name: "delete",
  usage: "/ext delete <number>",
  summary: "delete an extension and its voicemail box (asks you to confirm)",
  minArgs: 1,
  maxArgs: 1,
  pending: ([number]) => `Looking up extension ${number}…`,
  async run(request, [number]) {
    // No Delete button for someone the delete itself would refuse (it checks again when pressed).
    const needed = registryAction("extension-delete").scope;
    if (!request.identity.scopes.has(needed) && !request.identity.scopes.has("admin")) {
      return errorReply(
        `You need the '${needed}' permission for this. A Switchboard admin can grant it with /pbx admin scopes.`,
      );
    }
    const row = await request.calls.extensions.details({ domain_uuid: request.domainUuid, extension: number! });
    return deleteConfirmation(show(row.extension), show(row.extension_uuid), show(row.effective_caller_id_name));
  },
};

/** The confirm prompt: the buttons carry the extension; the click is checked again when it arrives. */
export function deleteConfirmation(extension: string, extensionUuid: string, name: string): Reply {
  const value = JSON.stringify({ extension, extension_uuid: extensionUuid });
  const label = name ? `${extension} (${name})` : extension;
  const blocks: Block[] = [
    section(`Delete extension *${escapeMrkdwn(label)}*? Its voicemail box goes with it.`),
    {
      type: "actions",
      elements: [
        {
          type: "button",
          action_id: EXT_DELETE_CONFIRM,
          style: "danger",
          text: { type: "plain_text", text: "Delete" },
          value,
          confirm: {
            title: { type: "plain_text", text: "Delete extension?" },
            text: { type: "plain_text", text: `Extension ${label} and its voicemail box will be deleted.` },
            confirm: { type: "plain_text", text: "Delete" },
            deny: { type: "plain_text", text: "Keep it" },
            style: "danger",
          },
        },
        { type: "button", action_id: EXT_DELETE_CANCEL, text: { type: "plain_text", text: "Cancel" }, value },
      ],
    },
    context("Nothing is deleted until you press Delete."),
  ];
  return { text: `Delete extension ${label}? Press Delete to confirm.`, blocks };
}

/** What `/ext set` changes: the extension's state, do-not-disturb, or forwarding of every call. */
type ExtensionChange =
  | { enabled: boolean }
  | { do_not_disturb: boolean }
  | { forward_all_enabled: false }
  | { forward_all_enabled: true; forward_all_destination: string };

const SET_USAGE = "/ext set <number> on|off  |  dnd on|off  |  forward <number>|off";

/** Reads `/ext set` arguments after the extension: a change, or what is wrong in the user's words. */
export function parseChange(args: readonly string[]): ExtensionChange | string {
  const [what, value, ...rest] = args.map((a) => a.toLowerCase());
  const onOff = (v: string | undefined) => (v === "on" ? true : v === "off" ? false : null);
  if ((what === "on" || what === "off") && value === undefined) return { enabled: what === "on" };
  if (what === "enable" || what === "disable") return { enabled: what === "enable" };
  if (what === "dnd" && rest.length === 0 && onOff(value) !== null) return { do_not_disturb: onOff(value)! };
  if (what === "forward" && value === "off" && rest.length === 0) return { forward_all_enabled: false };
  if (what === "forward" && value !== undefined) {
    const to = parsePhoneNumber(args.slice(1).join(" "));
    if (!to) return `'${args.slice(1).join(" ")}' is not a number to forward to; ${PHONE_NUMBER_HELP}.`;
    return { forward_all_enabled: true, forward_all_destination: to };
  }
  return "Say what to change: on or off, dnd on or off, or forward <number> or forward off.";
}

function describeChange(change: ExtensionChange): string {
  if ("enabled" in change) return change.enabled ? "enabled" : "disabled";
  if ("do_not_disturb" in change) return `do not disturb ${change.do_not_disturb ? "on" : "off"}`;
  return change.forward_all_enabled ? `forwarding every call to ${change.forward_all_destination}` : "forwarding off";
}

const set: Subcommand = {
  name: "set",
  usage: SET_USAGE,
  summary: "enable or disable an extension, turn do-not-disturb on or off, or forward every call",
  minArgs: 2,
  maxArgs: 8,
  check: ([, ...rest]) => {
    const change = parseChange(rest);
    return typeof change === "string" ? change : null;
  },
  pending: ([number]) => `Changing extension ${number}…`,
  async run(request, [number, ...rest]) {
    const change = parseChange(rest) as ExtensionChange;
    const row = await request.calls.extensions.details({ domain_uuid: request.domainUuid, extension: number! });
    await request.calls.extensions.update({
      domain_uuid: request.domainUuid,
      extension_uuid: show(row.extension_uuid),
      ...change,
    });
    return plainReply(`Extension ${show(row.extension)}: ${describeChange(change)}.`);
  },
};

function enabledText(value: unknown): string {
  if (value === true || value === "true") return "yes";
  if (value === false || value === "false") return "no";
  return show(value);
}

export const extCommand: SlashCommandSpec = {
  command: "/ext",
  summary: "extensions of this workspace's domain",
  subcommands: [create, list, showExtension, set, remove],
};
