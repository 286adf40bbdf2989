import type { ActionContext } from "../context.ts";
import { type CallRecord, type CallState, advanceCall, findCall, noteMissingCall } from "./call-store.ts";
import { parseShowJson, showJsonCommand } from "@switchboard/esl";

/** How long a ringing/answered call may be missing from `show channels` before we call it ended. */
const MISSING_GRACE_MS = 10_000;
/**
 * How long a call of unknown outcome may be missing from a switch that answers before we call it ended: a
 * resumed switch runs the commands it had queued at once, but on a connection of its own, so one look right
 * after it comes back proves nothing.
 */
export const UNKNOWN_MISSING_GRACE_SECONDS = 5;

function stateOfChannel(callState: string | undefined): CallState {
  if (callState === "ACTIVE" || callState === "HELD" || callState === "UNHELD") return "answered";
  if (callState === "HANGUP") return "ended";
  return "ringing";
}

/**
 * For a call not known to have ended, asks the switch that placed it (`show channels like <uuid> as json`):
 * this keeps call-status right when no process recorded the switch's events, and settles calls whose outcome
 * was unknown. Best effort: an unreachable switch leaves the record as it is.
 */
export async function refreshFromChannels(
  ctx: Pick<ActionContext, "sql" | "switches" | "now">,
  record: CallRecord,
): Promise<CallRecord> {
  if (record.status === "ended") return record;
  const sw = ctx.switches.switches.find((s) => s.name === record.switch_name);
  if (!sw?.connected) return record;
  let rows: ReturnType<typeof parseShowJson>;
  try {
    rows = parseShowJson(await sw.api(showJsonCommand("channels", record.call_uuid)));
  } catch {
    return record;
  }
  const channel = rows.find((r) => r.uuid?.toLowerCase() === record.call_uuid);
  let changed = false;
  if (channel) {
    changed = await advanceCall(ctx.sql, record.call_uuid, stateOfChannel(channel.callstate));
  } else if (record.status === "unknown") {
    changed = await noteMissingCall(ctx.sql, record.call_uuid, UNKNOWN_MISSING_GRACE_SECONDS);
  } else if (record.status !== "queued") {
    // The switch's channel table lags its events by a moment: only a call gone for a while has ended.
    const since = Date.parse(record.updated_at ?? record.created_at);
    if (ctx.now().getTime() - since > MISSING_GRACE_MS) changed = await advanceCall(ctx.sql, record.call_uuid, "ended");
  }
  return changed ? ((await findCall(ctx.sql, record.call_uuid, record.domain_uuid)) ?? record) : record;
}
