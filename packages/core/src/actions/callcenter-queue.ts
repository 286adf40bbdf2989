import { callcenterCommands } from "@switchboard/esl";
import { z } from "zod";
import { defineAction } from "../action.ts";
import { switchRow } from "../contracts/pdo.ts";
import { callcenterTable, QUEUE_DOMAIN, QUEUE_NOT_FOUND_REPLY, queueInput, queueName } from "../calls/callcenter.ts";
import { legacyText } from "../legacy/legacy-input.ts";
import { phpTruthy } from "../legacy/php.ts";
import { legacyErrorBody, legacySwitchFailureBody } from "../legacy/legacy-contract.ts";

/** `callcenter-queue` (deleted in 2023, docs/original-api.md §6): the callers waiting in a queue. */
export const callcenterQueue = defineAction({
  name: "callcenter-queue",
  path: "callCenter.queueMembers",
  summary: "Members (callers) of a call-center queue, as mod_callcenter lists them.",
  scope: "read",
  domain: QUEUE_DOMAIN,
  kind: "query",
  input: queueInput,
  /** Rows of `queue list members`: queue, uuid, session_uuid, cid_number, cid_name, joined_epoch, state, … as text. */
  output: z.array(switchRow(["system_epoch", "joined_epoch", "rejoined_epoch", "bridge_epoch", "abandoned_epoch"])),
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
    body: z.union([z.array(z.record(z.string(), z.string())), legacySwitchFailureBody]),
  },
  async handler(ctx, input, domain) {
    const queue = queueName(input, domain);
    return callcenterTable(ctx, () => callcenterCommands.queueListMembers(queue));
  },
});
