import { UnsafeCommandValueError } from "../errors.ts";
import { DIALABLE_PATTERN, DOMAIN_PATTERN, requireMatch, checkUuid } from "./escape.ts";

/** A FusionPBX call-center queue name: `<queue_extension>@<domain>`. */
export function queueName(name: string): string {
  const [extension, domain, ...rest] = String(name).split("@");
  if (rest.length > 0 || !extension || !domain || !DIALABLE_PATTERN.test(extension) || !DOMAIN_PATTERN.test(domain)) {
    throw new UnsafeCommandValueError("queue", "must be <extension>@<domain>");
  }
  return name;
}

/** Agent names in FusionPBX are agent UUIDs. */
export const agentName = (name: string) => checkUuid("agent", name);

export const AGENT_STATUSES = ["Available", "Available (On Demand)", "On Break", "Logged Out"] as const;
export type AgentStatus = (typeof AGENT_STATUSES)[number];
export const AGENT_STATES = ["Idle", "Waiting", "Receiving", "In a queue call", "Reserved"] as const;
export type AgentState = (typeof AGENT_STATES)[number];

export const callcenterCommands = {
  agentList: (agent?: string) =>
    agent === undefined ? "callcenter_config agent list" : `callcenter_config agent list ${agentName(agent)}`,
  queueListAgents: (queue: string) => `callcenter_config queue list agents ${queueName(queue)}`,
  queueListMembers: (queue: string) => `callcenter_config queue list members ${queueName(queue)}`,
  queueListTiers: (queue: string) => `callcenter_config queue list tiers ${queueName(queue)}`,
  queueCountMembers: (queue: string) => `callcenter_config queue count members ${queueName(queue)}`,
  queueLoad: (queue: string) => `callcenter_config queue load ${queueName(queue)}`,
  queueUnload: (queue: string) => `callcenter_config queue unload ${queueName(queue)}`,
  queueReload: (queue: string) => `callcenter_config queue reload ${queueName(queue)}`,
  /** The status is one of four fixed words; multi-word ones are single-quoted (FreeSWITCH removes the quotes). */
  agentSetStatus: (agent: string, status: AgentStatus) => {
    if (!(AGENT_STATUSES as readonly string[]).includes(status))
      throw new UnsafeCommandValueError("status", `must be one of ${AGENT_STATUSES.join(", ")}`);
    return `callcenter_config agent set status ${agentName(agent)} '${status}'`;
  },
  agentSetState: (agent: string, state: AgentState) => {
    if (!(AGENT_STATES as readonly string[]).includes(state))
      throw new UnsafeCommandValueError("state", `must be one of ${AGENT_STATES.join(", ")}`);
    return `callcenter_config agent set state ${agentName(agent)} '${state}'`;
  },
  tierAdd: (queue: string, agent: string, level = 1, position = 1) =>
    `callcenter_config tier add ${queueName(queue)} ${agentName(agent)} ${wholeNumber("level", level)} ${wholeNumber("position", position)}`,
  tierDel: (queue: string, agent: string) => `callcenter_config tier del ${queueName(queue)} ${agentName(agent)}`,
  agentAdd: (agent: string, type: "callback" | "uuid-standby" = "callback") =>
    `callcenter_config agent add ${agentName(agent)} ${requireMatch("type", type, /^(callback|uuid-standby)$/, "callback or uuid-standby")}`,
  agentDel: (agent: string) => `callcenter_config agent del ${agentName(agent)}`,
};

function wholeNumber(field: string, value: number): string {
  if (!Number.isInteger(value) || value < 0 || value > 1_000_000)
    throw new UnsafeCommandValueError(field, "must be a whole number");
  return String(value);
}
