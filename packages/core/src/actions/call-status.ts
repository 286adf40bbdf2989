import { z } from "zod";
import { defineAction } from "../action.ts";
import { uuidInput } from "../fusionpbx/uuid.ts";
import { CALL_STATES, findCall } from "../calls/call-store.ts";
import { refreshFromChannels } from "../calls/channel-refresh.ts";
import { pdoTimestamp, pdoTimestampSet } from "../contracts/pdo.ts";
import { notFound } from "../errors.ts";

/** Where a call placed by `originate` or `originate-playback-file` stands. */
export const callStatus = defineAction({
  name: "call-status",
  path: "calls.status",
  summary:
    "Where a placed call stands: queued, unknown (the switch got it but never confirmed it), ringing, answered or ended (with the hangup cause).",
  scope: "calls",
  domain: { by: "row", table: "switchboard_calls", key: "call_uuid", notFound: "call not found" },
  kind: "query",
  input: z.object({ call_uuid: uuidInput("call_uuid") }),
  output: z.object({
    call_uuid: z.string(),
    status: z.enum(CALL_STATES),
    hangup_cause: z.string().nullable(),
    created_at: pdoTimestampSet,
    answered_at: pdoTimestamp,
    ended_at: pdoTimestamp,
  }),
  legacy: {
    required: ["call_uuid"],
    onInvalid: () => ({ status: 404, body: { error: "call not found" } }),
  },
  async handler(ctx, input, domain) {
    const record = await findCall(ctx.sql, input.call_uuid, domain.domain_uuid);
    if (!record) throw notFound("call not found");
    const current = await refreshFromChannels(ctx, record);
    return {
      call_uuid: current.call_uuid,
      status: current.status,
      hangup_cause: current.hangup_cause,
      created_at: current.created_at,
      answered_at: current.answered_at,
      ended_at: current.ended_at,
    };
  },
});
