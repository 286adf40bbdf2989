import {
  AGENT_COLUMNS,
  type AgentRow,
  completeRow,
  MEMBER_COLUMNS,
  type MemberRow,
  pipeTable,
  TIER_COLUMNS,
  type TierRow,
} from "./fake-tables.ts";
import { separateArguments } from "./fake-originate.ts";

/** mod_callcenter's state inside the fake switch. Queue names are `<extension>@<domain>`, agents are UUIDs. */
export interface CallCenterState {
  queues: Map<string, { members: MemberRow[] }>;
  agents: Map<string, AgentRow>;
  tiers: TierRow[];
}

export const AGENT_STATUSES = ["Logged Out", "Available", "Available (On Demand)", "On Break"];
export const AGENT_STATES = ["Idle", "Waiting", "Receiving", "In a queue call", "Reserved"];

export function newAgent(partial: Partial<AgentRow> & { name: string }): AgentRow {
  return completeRow(AGENT_COLUMNS, partial, {
    instance_id: "single_box",
    type: "callback",
    status: "Logged Out",
    state: "Waiting",
    max_no_answer: "0",
    wrap_up_time: "10",
    reject_delay_time: "10",
    busy_delay_time: "60",
    no_answer_delay_time: "0",
    last_bridge_start: "0",
    last_bridge_end: "0",
    last_offered_call: "0",
    last_status_change: "0",
    no_answer_count: "0",
    calls_answered: "0",
    talk_time: "0",
    ready_time: "0",
    external_calls_count: "0",
  });
}

export function newMember(queue: string, partial: Partial<MemberRow>): MemberRow {
  return completeRow(
    MEMBER_COLUMNS,
    { ...partial, queue },
    {
      instance_id: "single_box",
      system_epoch: "0",
      joined_epoch: "0",
      rejoined_epoch: "0",
      bridge_epoch: "0",
      abandoned_epoch: "0",
      base_score: "0",
      skill_score: "0",
      state: "Waiting",
      score: "0",
    },
  );
}

export function newTier(partial: Partial<TierRow> & { queue: string; agent: string }): TierRow {
  return completeRow(TIER_COLUMNS, partial, { state: "Ready", level: "1", position: "1" });
}

/** `callcenter_config <args>`, with the replies of mod_callcenter.c. */
export function callcenterConfig(state: CallCenterState, argText: string): string {
  const args = separateArguments(argText);
  const [section, action, ...rest] = args;
  const agentRows = () => [...state.agents.values()];

  if (section === "agent") {
    if (action === "list") {
      const rows = rest[0] ? agentRows().filter((a) => a.name === rest[0]) : agentRows();
      return pipeTable(AGENT_COLUMNS, rows);
    }
    if (action === "add") {
      const [name, type] = rest;
      if (!name || !type) return "-ERR Invalid!\n";
      if (state.agents.has(name)) return "-ERR Agent already exist!\n";
      state.agents.set(name, newAgent({ name, type }));
      return "+OK\n";
    }
    if (action === "del") {
      const [name] = rest;
      if (!name) return "-ERR Invalid!\n";
      if (!state.agents.delete(name)) return "-ERR Agent not found!\n";
      state.tiers = state.tiers.filter((t) => t.agent !== name);
      return "+OK\n";
    }
    if (action === "set") {
      const [key, name, ...valueParts] = rest;
      const value = valueParts.join(" ");
      if (!key || !name || valueParts.length === 0) return "-ERR Invalid!\n";
      const agent = state.agents.get(name);
      if (!agent) return "-ERR Agent not found!\n";
      if (key === "status") {
        if (!AGENT_STATUSES.includes(value)) return "-ERR Invalid Agent Status!\n";
        agent.status = value;
        agent.last_status_change = String(Math.floor(Date.now() / 1000));
        return "+OK\n";
      }
      if (key === "state") {
        if (!AGENT_STATES.includes(value)) return "-ERR Invalid Agent State!\n";
        agent.state = value;
        return "+OK\n";
      }
      if ((AGENT_COLUMNS as readonly string[]).includes(key) && key !== "name") {
        (agent as Record<string, string>)[key] = value;
        return "+OK\n";
      }
      return "-ERR Invalid!\n";
    }
    return "-ERR Invalid!\n";
  }

  if (section === "tier") {
    const [queue, agent, ...values] = rest;
    if (!queue || !agent) return "-ERR Invalid!\n";
    const index = state.tiers.findIndex((t) => t.queue === queue && t.agent === agent);
    if (action === "add") {
      if (index >= 0) return "-ERR Tier already exist!\n";
      if (!state.queues.has(queue)) return "-ERR Queue not found!\n";
      if (!state.agents.has(agent)) return "-ERR Agent not found!\n";
      state.tiers.push(newTier({ queue, agent, level: values[0] ?? "1", position: values[1] ?? "1" }));
      return "+OK\n";
    }
    if (action === "del") {
      if (index < 0) return "-ERR Invalid!\n";
      state.tiers.splice(index, 1);
      return "+OK\n";
    }
    if (action === "set") {
      // `tier set <key> <queue> <agent> <value>`
      const [key, q, a, value] = [rest[0], rest[1], rest[2], rest[3]];
      const tier = state.tiers.find((t) => t.queue === q && t.agent === a);
      if (!key || !value) return "-ERR Invalid!\n";
      if (!tier) return "-ERR Invalid!\n";
      if (key === "state" || key === "level" || key === "position") {
        tier[key] = value;
        return "+OK\n";
      }
      return "-ERR Invalid!\n";
    }
    if (action === "list") return pipeTable(TIER_COLUMNS, state.tiers);
    return "-ERR Invalid!\n";
  }

  if (section === "queue") {
    const [name] = rest;
    if (action === "load" || action === "unload" || action === "reload") {
      if (!name) return "-ERR Invalid!\n";
      if (action === "load" && !state.queues.has(name)) state.queues.set(name, { members: [] });
      if (action === "unload" && !state.queues.delete(name)) return "-ERR Invalid Queue not found!\n";
      return "+OK\n";
    }
    if (action === "list") {
      const what = rest[0];
      const queueName = rest[1];
      if (what === undefined) {
        return pipeTable(
          ["name"],
          [...state.queues.keys()].map((n) => ({ name: n })),
        );
      }
      if (!queueName) return "-ERR Invalid!\n";
      if (what === "members") return pipeTable(MEMBER_COLUMNS, state.queues.get(queueName)?.members ?? []);
      if (what === "tiers")
        return pipeTable(
          TIER_COLUMNS,
          state.tiers.filter((t) => t.queue === queueName),
        );
      if (what === "agents") {
        const names = new Set(state.tiers.filter((t) => t.queue === queueName).map((t) => t.agent));
        return pipeTable(
          AGENT_COLUMNS,
          agentRows().filter((a) => names.has(a.name)),
        );
      }
      return "-ERR Invalid!\n";
    }
    if (action === "count") {
      const what = rest[0];
      const queueName = rest[1] ?? "";
      if (what === "members") return `${state.queues.get(queueName)?.members.length ?? 0}\n`;
      if (what === "tiers") return `${state.tiers.filter((t) => t.queue === queueName).length}\n`;
      if (what === "agents") return `${state.tiers.filter((t) => t.queue === queueName).length}\n`;
      if (what === undefined) return `${state.queues.size}\n`;
      return "-ERR Invalid!\n";
    }
    return "-ERR Invalid!\n";
  }

  return "-ERR Invalid!\n";
}
