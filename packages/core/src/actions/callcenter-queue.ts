import { callcenterCommands } from "@switchboard/esl";
import { z } from "zod";
import { defineAction } from "../action.ts";
import { callcenterTable, queueInput, resolveQueue } from "../calls/callcenter.ts";
import { legacyText, legacyUuid } from "../calls/legacy-input.ts";
import { phpTruthy } from "../legacy/php.ts";

/** `callcenter-queue` (deleted in 2023, original-actions.md §7): the callers waiting in a queue. */
export const callcenterQueue = defineAction({
  name: "callcenter-queue",
  path: "callCenter.queueMembers",
  summary: "Members (callers) of a call-center queue, as mod_callcenter lists them.",
  scope: "read",
  kind: "query",
  input: queueInput,
  /** Rows of `queue list members`: queue, uuid, session_uuid, cid_number, cid_name, joined_epoch, state, … as text. */
  output: z.array(z.record(z.string(), z.string())),
  legacy: {
    required: ["queue"],
    toInput: (body) => ({
      queue: legacyText(body.queue),
      domain_uuid: phpTruthy(body.domain_uuid) ? legacyUuid(body.domain_uuid) : undefined,
    }),
    onInvalid: (issues) => ({ status: 400, body: { error: `invalid parameter: ${String(issues[0]?.path[0] ?? "queue")}` } }),
  },
  async handler(ctx, input) {
    const queue = await resolveQueue(ctx, input);
    return callcenterTable(ctx, () => callcenterCommands.queueListMembers(queue));
  },
});
