import { callcenterCommands } from "@switchboard/esl";
import { z } from "zod";
import { defineAction } from "../action.ts";
import { switchRow } from "../contracts/pdo.ts";
import { uuidInput } from "../fusionpbx/uuid.ts";
import { callcenterTable } from "../calls/callcenter.ts";
import { legacyInvalid, legacyText } from "../legacy/legacy-input.ts";
import { phpTruthy } from "../legacy/php.ts";
import { legacyErrorBody, legacySwitchFailureBody } from "../legacy/legacy-contract.ts";

/** `callcenter-agents` (deleted in 2023, docs/original-api.md §6): mod_callcenter's agents. */
export const callcenterAgents = defineAction({
  name: "callcenter-agents",
  path: "callCenter.agents",
  summary: "Call-center agents with their status and state (a domain's own, or all for an unscoped key).",
  scope: "read",
  domain: { by: "input", uuid: "domain_uuid", whenAbsent: "caller" },
  kind: "query",
  input: z.object({ domain_uuid: uuidInput("domain_uuid").optional() }),
  /** Rows of `agent list`: name, instance_id, uuid, type, contact, status, state, … as text. */
  output: z.array(switchRow(["last_bridge_start", "last_bridge_end", "last_offered_call", "last_status_change"])),
  legacy: {
    required: [],
    toInput: (body) => ({ domain_uuid: phpTruthy(body.domain_uuid) ? legacyText(body.domain_uuid) : undefined }),
    onInvalid: (issues) =>
      legacyInvalid(issues, {}, { domain_uuid: { status: 404, body: { error: "domain not found" } } }),
    body: z.union([z.array(z.record(z.string(), z.string())), legacySwitchFailureBody]),
  },
  async handler(ctx, _input, domain) {
    const agents = await callcenterTable(ctx, () => callcenterCommands.agentList());
    if (!domain) return agents;
    // FusionPBX names agents by their call_center_agent_uuid (older installs: `<name>@<domain>`).
    const own = new Set<string>();
    if (ctx.schema.hasTable("v_call_center_agents")) {
      const rows = await ctx.sql<{ uuid: string }[]>`
        select call_center_agent_uuid::text as uuid from v_call_center_agents where domain_uuid = ${domain.domain_uuid}::uuid`;
      for (const row of rows) own.add(row.uuid.toLowerCase());
    }
    const suffix = `@${domain.domain_name.toLowerCase()}`;
    return agents.filter((agent) => {
      const name = (agent.name ?? "").toLowerCase();
      return own.has(name) || name.endsWith(suffix);
    });
  },
});
