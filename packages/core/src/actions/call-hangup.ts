import { uuidKillCommand } from "@switchboard/esl";
import { z } from "zod";
import { defineAction } from "../action.ts";
import { uuidInput } from "../fusionpbx/uuid.ts";
import { CALL_STATES, advanceCall, findCall } from "../calls/call-store.ts";
import { onSwitch, switchDown } from "../calls/switch-errors.ts";
import { notFound } from "../errors.ts";

const HANGUP_CAUSE = "NORMAL_CLEARING";

/**
 * Hangs up a call placed by `originate`: `uuid_kill <call_uuid> NORMAL_CLEARING` on the switch that placed it.
 * The call row names the domain (a call of another domain is "not found") and the switch; a call that has
 * already ended is answered as such without asking the switch.
 */
export const callHangup = defineAction({
  name: "call-hangup",
  path: "calls.hangup",
  summary: "Hangs up a call placed through Switchboard, on the switch that placed it.",
  scope: "calls",
  domain: { by: "row", table: "switchboard_calls", key: "call_uuid", notFound: "call not found" },
  kind: "mutation",
  input: z.object({ call_uuid: uuidInput("call_uuid") }),
  output: z.object({
    call_uuid: z.string(),
    /** False when the call had already ended (nothing was hung up). */
    hung_up: z.boolean(),
    status: z.enum(CALL_STATES),
  }),
  async handler(ctx, input, domain) {
    const record = await findCall(ctx.sql, input.call_uuid, domain.domain_uuid);
    if (!record) throw notFound("call not found");
    if (record.status === "ended") return { call_uuid: record.call_uuid, hung_up: false, status: "ended" as const };
    const sw = ctx.switches.switches.find((s) => s.name === record.switch_name);
    if (!sw) throw switchDown();
    const reply = await onSwitch(() => sw.api(uuidKillCommand(record.call_uuid, HANGUP_CAUSE)));
    // "-ERR No such channel!": the call ended on its own before the kill arrived.
    const killed = reply.trim().startsWith("+OK");
    await advanceCall(ctx.sql, record.call_uuid, "ended", killed ? HANGUP_CAUSE : null);
    return { call_uuid: record.call_uuid, hung_up: killed, status: "ended" as const };
  },
});
