import type { Scope } from "@switchboard/core";
import type { SwitchHealth } from "@switchboard/esl";
import { adminSubcommand } from "../admin/pbx-admin.ts";
import { notifySubcommand } from "../admin/pbx-notify.ts";
import { fieldsReply, show, tableReply } from "../blocks/reply.ts";
import { readableExpiry } from "../text/expiry.ts";
import { checkList, LIST_USAGE, type ListArgs, listReply, parseListArgs } from "./list-args.ts";
import { type CommandDeps, type SlashCommandSpec, type Subcommand } from "./command-kit.ts";

const MAX_CDR = 100;

const status: Subcommand = {
  name: "status",
  usage: "/pbx status",
  summary: "this workspace's domain and whether the switches are up",
  minArgs: 0,
  maxArgs: 0,
  pending: () => "Checking the PBX…",
  async run(request) {
    const domain = await request.calls.domains.details({ domain_uuid: request.domainUuid });
    const health: SwitchHealth[] = await request.deps.runner.health();
    const switches = health.map(
      (h) => `${h.switch}: ${h.up ? `up (${h.latencyMs ?? "?"} ms)` : `DOWN${h.error ? ` — ${h.error}` : ""}`}`,
    );
    const allUp = health.length > 0 && health.every((h) => h.up);
    return fieldsReply(
      allUp ? "PBX status: all switches up" : "PBX status: a switch is down",
      [
        ["Domain", show(domain.domain_name)],
        ["Domain enabled", show(domain.domain_enabled)],
        ["Switches", switches.join("\n") || "none configured"],
        ["You may", [...request.identity.scopes].join(", ") || "nothing"],
      ],
      `Domain ${request.domainUuid}`,
    );
  },
};

const regs: Subcommand = {
  name: "regs",
  usage: `/pbx regs ${LIST_USAGE}`,
  summary: "phones registered in this domain, 25 a page; a search narrows them",
  minArgs: 0,
  maxArgs: 2,
  check: (args) => checkList(args),
  pending: () => "Asking the switch for registrations…",
  async run(request, args) {
    const rows = await request.calls.registrations.list({ domain_uuid: request.domainUuid });
    return listReply(
      "/pbx regs",
      parseListArgs(args) as ListArgs,
      "Registrations",
      ["User", "Address", "Transport", "Expires", "Agent"],
      rows.map((r) => [
        `${show(r.reg_user)}@${show(r.realm)}`,
        [show(r.network_ip), show(r.network_port)].filter(Boolean).join(":"),
        show(r.network_proto),
        readableExpiry(show(r.expires)),
        show(r.agent ?? r.metadata),
      ]),
      "No phone is registered in this domain.",
    );
  },
};

const cdr: Subcommand = {
  name: "cdr",
  usage: `/pbx cdr [n]`,
  summary: `the latest n calls (default 10, at most ${MAX_CDR})`,
  minArgs: 0,
  maxArgs: 1,
  check: ([n]) =>
    n === undefined || (/^\d+$/.test(n) && Number(n) >= 1 && Number(n) <= MAX_CDR)
      ? null
      : `n is a number from 1 to ${MAX_CDR}.`,
  pending: () => "Fetching call records…",
  async run(request, [n]) {
    const limit = n === undefined ? 10 : Number(n);
    const rows = (await request.calls.cdr.list({ domain_uuid: request.domainUuid, limit })).items.slice(0, limit);
    return tableReply(
      `Last ${rows.length} call records`,
      ["Start", "Dir", "From", "To", "Secs", "Result"],
      rows.map((r) => [
        show(r.start_stamp).slice(0, 19),
        show(r.direction),
        show(r.caller_id_number),
        show(r.destination_number),
        show(r.duration),
        show(r.hangup_cause),
      ]),
      "No calls recorded yet.",
    );
  },
};

const queue: Subcommand = {
  name: "queue",
  usage: "/pbx queue <name>",
  summary: "callers waiting in a call-center queue",
  minArgs: 1,
  maxArgs: 1,
  pending: ([name]) => `Looking at queue ${name}…`,
  async run(request, [name]) {
    const rows = await request.calls.callCenter.queueMembers({ domain_uuid: request.domainUuid, queue: name! });
    return tableReply(
      `Queue ${name}`,
      ["Caller", "Name", "State", "Agent"],
      rows.map((r) => [show(r.cid_number), show(r.cid_name), show(r.state), show(r.serving_agent)]),
      "Nobody is waiting.",
    );
  },
};

export function pbxCommand(defaultScopes: readonly Scope[]): SlashCommandSpec {
  return {
    command: "/pbx",
    summary: "the phone system at a glance",
    subcommands: [status, regs, cdr, queue, notifySubcommand, adminSubcommand(defaultScopes)],
  };
}
