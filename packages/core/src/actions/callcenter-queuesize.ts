import { callcenterCommands } from "@switchboard/esl";
import { z } from "zod";
import { defineAction } from "../action.ts";
import { callcenterTable, QUEUE_DOMAIN, QUEUE_NOT_FOUND_REPLY, queueInput, queueName } from "../calls/callcenter.ts";
import { legacyText } from "../legacy/legacy-input.ts";
import { phpTruthy } from "../legacy/php.ts";
import { legacyErrorBody, legacySwitchFailureBody } from "../legacy/legacy-contract.ts";

/** `callcenter-queuesize` (deleted in 2023, docs/original-api.md §6): queue members counted by state. */
export const callcenterQueueSize = defineAction({
  name: "callcenter-queuesize",
  path: "callCenter.queueSize",
  summary: "How many members a call-center queue holds, by state (Waiting, Trying, Answered, …).",
  scope: "read",
  domain: QUEUE_DOMAIN,
  kind: "query",
  input: queueInput,
  output: z.record(z.string(), z.number()),
  legacy: {
    required: ["queue"],
    toInput: (body) => ({
      queue: legacyText(body.queue),
      domain_uuid: phpTruthy(body.domain_uuid) ? legacyText(body.domain_uuid) : undefined,
    }),
    onInvalid: (issues) => ({
      status: 400,
      body: { error: `invalid parameter: ${String(issues[0]?.path[0] ?? "queue")}` },
    }),
    domainNotFound: QUEUE_NOT_FOUND_REPLY,
    // PHP's json_encode writes an empty array as `[]`.
    toBody: (output) => (Object.keys(output as object).length === 0 ? [] : output),
    body: z.union([z.record(z.string(), z.number()), z.tuple([]), legacySwitchFailureBody]),
  },
  async handler(ctx, input, domain) {
    const queue = queueName(input, domain);
    const members = await callcenterTable(ctx, () => callcenterCommands.queueListMembers(queue));
    const counts: Record<string, number> = {};
    for (const member of members) {
      const state = member.state ?? "";
      counts[state] = (counts[state] ?? 0) + 1;
    }
    return counts;
  },
});
