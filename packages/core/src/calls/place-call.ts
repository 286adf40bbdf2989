import {
  type BackgroundJob,
  type Switch,
  SwitchCommandError,
  SwitchOutcomeUnknownError,
  SwitchUnavailableError,
} from "@switchboard/esl";
import type { ActionContext } from "../context.ts";
import { ActionError } from "../errors.ts";
import { type CallRecord, type CallState, advanceCall, deleteCall, findCall, insertCall } from "./call-store.ts";
import { refreshFromChannels } from "./channel-refresh.ts";
import type { DomainRef } from "../tenancy/domain-rule.ts";
import {
  claimIdempotencyKey,
  findIdempotentCall,
  idempotencyScope,
  releaseIdempotencyKey,
  requestFingerprint,
} from "./idempotency.ts";
import { parseOriginateReply } from "./originate-command.ts";
import { switchDown } from "./switch-errors.ts";

/**
 * `async`: the call id at once; `sync`: wait for the outcome and its cause; `original`: wait, and answer as
 * the original API did (no cause, no call id on failure; an unknown outcome is an error): what the legacy
 * route asks for.
 */
export const CALL_MODES = ["async", "sync", "original"] as const;
/** The modes the typed faces offer; `original` is the legacy route's own (its spec asks for it). */
export const TYPED_CALL_MODES = ["async", "sync"] as const;
export type CallMode = (typeof CALL_MODES)[number];

/** A synchronous originate waits until the first leg answers (originate_timeout=30) or fails. */
const SYNC_TIMEOUT_MS = 60_000;
/** A bgapi job reports when the same would have finished. */
const JOB_TIMEOUT_MS = 120_000;

/** The states of a call that was placed (`success: true`). */
export type PlacedState = Exclude<CallState, "unknown">;

/** The handler output of every call-placing action (the legacy faces keep only `success`/`call_uuid`). */
export type PlacedCall =
  | { success: true; call_uuid: string; status: PlacedState; hangup_cause: string | null; replayed: boolean }
  | { success: false; call_uuid: string | null; status: "ended"; hangup_cause: string | null; replayed: boolean }
  | { success: false; call_uuid: string; status: "unknown"; hangup_cause: null; replayed: boolean };

export interface PlaceCall {
  /** Action name: the idempotency scope and the record's `request.action`. */
  action: string;
  domain: DomainRef;
  /** The `originate` argument string, given the pre-set uuid of the first leg. */
  command: (originationUuid: string) => string;
  /** What was asked, for the call record and the idempotency fingerprint. */
  request: Record<string, unknown>;
  mode: CallMode;
  idempotencyKey?: string | undefined;
  /** Runs once the call is known to be new (never for a replay), before anything is sent: the call limits. */
  beforeSend?: (() => Promise<void>) | undefined;
}

/** The job's output; a `-ERR <cause>` is a reply like any other here. */
async function jobReply(job: BackgroundJob): Promise<string> {
  try {
    return await job.result;
  } catch (error) {
    if (error instanceof SwitchCommandError) return error.reply;
    throw error;
  }
}

/**
 * Places a call over `originate`: the one path behind `originate` and `originate-playback-file`.
 *
 * The call record (and the idempotency key) is written before the command, with the first leg's uuid chosen
 * here. From the moment the command may have reached the switch, the record stays: a switch that does not
 * confirm in time (a stall) or drops the connection leaves the outcome unknown, never "failed", because the
 * switch may still run it. Only a command never written is a failure whose record and key are released.
 * An originate runs as `bgapi` (FreeSWITCH runs an `api` inside the connection's only thread, so a ringing
 * phone would hold every other command on our shared connection, docs/event-socket.md §3); waiting for its
 * BACKGROUND_JOB gives the same reply text (`+OK <uuid>` / `-ERR <cause>`).
 */
export async function placeCall(ctx: ActionContext, call: PlaceCall): Promise<PlacedCall> {
  const key = call.idempotencyKey;
  const scope = idempotencyScope(call.action, ctx.caller);
  const fingerprint = requestFingerprint({ domain_uuid: call.domain.domain_uuid, mode: call.mode, ...call.request });
  let sw: Switch;
  try {
    sw = ctx.switches.forCalls();
  } catch (error) {
    // A retry needs no switch: the call its key placed is answered as it stands.
    const placed = key === undefined ? null : await findIdempotentCall(ctx.sql, scope, key, fingerprint);
    if (placed !== null) return replay(ctx, placed, call.domain.domain_uuid, call.mode);
    throw error instanceof SwitchUnavailableError ? switchDown(error) : error;
  }
  const callUuid = crypto.randomUUID();
  const record = {
    ...call.request,
    action: call.action,
    mode: call.mode,
    face: ctx.caller.face,
    key_id: ctx.caller.keyId,
    request_id: ctx.caller.requestId,
  };
  const newCall = {
    callUuid,
    domainUuid: call.domain.domain_uuid,
    switchName: sw.name,
    status: "queued" as const,
    request: record,
  };
  if (key === undefined) {
    await call.beforeSend?.();
    // One statement needs no transaction: two round trips fewer on the hot path.
    await insertCall(ctx.sql, newCall);
  } else {
    const claim = await ctx.sql.begin(async (tx) => {
      const result = await claimIdempotencyKey(tx, scope, key, fingerprint, callUuid);
      if (!result.owned) return result;
      await insertCall(tx, newCall);
      return { owned: true as const };
    });
    if (!claim.owned) return replay(ctx, claim.callUuid, call.domain.domain_uuid, call.mode);
  }

  const forget = async () => {
    await ctx.sql.begin(async (tx) => {
      await deleteCall(tx, callUuid);
      if (key !== undefined) await releaseIdempotencyKey(tx, scope, key, callUuid);
    });
  };
  if (key !== undefined && call.beforeSend) {
    try {
      await call.beforeSend();
    } catch (error) {
      await forget();
      throw error;
    }
  }

  const waits = call.mode !== "async";
  let job: BackgroundJob;
  try {
    job = await sw.bgapi(call.command(callUuid), { timeoutMs: waits ? SYNC_TIMEOUT_MS : JOB_TIMEOUT_MS });
  } catch (error) {
    if (error instanceof SwitchCommandError) return settle(ctx, callUuid, error.reply, call.mode);
    if (error instanceof SwitchOutcomeUnknownError) return outcomeUnknown(ctx, callUuid, call.mode);
    // Never written: nothing can ring, so the call and its key go.
    await forget();
    if (error instanceof SwitchUnavailableError) throw switchDown(error);
    throw error;
  }
  // Sent and acknowledged: the call may exist now, so its record stays whatever happens next.
  if (waits) {
    let reply: string;
    try {
      reply = await jobReply(job);
    } catch (error) {
      if (error instanceof SwitchUnavailableError) return outcomeUnknown(ctx, callUuid, call.mode);
      throw error;
    }
    return settle(ctx, callUuid, reply, call.mode);
  }
  // The job's outcome lands in the record; call-status reads it. Errors here have no one to report to.
  jobReply(job)
    .then((reply) => settle(ctx, callUuid, reply, call.mode))
    .catch(() => {});
  return { success: true, call_uuid: callUuid, status: "queued", hangup_cause: null, replayed: false };
}

/** Records a finished originate: `+OK` means the first leg answered (early media is ignored). */
async function settle(ctx: ActionContext, callUuid: string, reply: string, mode: CallMode): Promise<PlacedCall> {
  const parsed = parseOriginateReply(reply);
  if (parsed.ok) {
    await advanceCall(ctx.sql, callUuid, "answered");
    return { success: true, call_uuid: callUuid, status: "answered", hangup_cause: null, replayed: false };
  }
  await advanceCall(ctx.sql, callUuid, "ended", parsed.cause);
  if (mode === "original")
    return { success: false, call_uuid: null, status: "ended", hangup_cause: null, replayed: false };
  return { success: false, call_uuid: callUuid, status: "ended", hangup_cause: parsed.cause, replayed: false };
}

/** The switch may have run the command: the call is kept as `unknown` (unless its events already told more). */
async function outcomeUnknown(ctx: ActionContext, callUuid: string, mode: CallMode): Promise<PlacedCall> {
  await advanceCall(ctx.sql, callUuid, "unknown");
  const record = await findCall(ctx.sql, callUuid, null);
  return fromRecord(record, callUuid, mode, false);
}

async function replay(ctx: ActionContext, callUuid: string, domainUuid: string, mode: CallMode): Promise<PlacedCall> {
  let record = await findCall(ctx.sql, callUuid, domainUuid);
  if (record?.status === "unknown") record = await refreshFromChannels(ctx, record);
  return fromRecord(record, callUuid, mode, true);
}

/** What a caller is told about a recorded call. */
function fromRecord(record: CallRecord | null, callUuid: string, mode: CallMode, replayed: boolean): PlacedCall {
  const status = record?.status ?? "queued";
  if (status === "unknown") {
    if (mode === "original") throw outcomeUnknownError(callUuid);
    return { success: false, call_uuid: callUuid, status, hangup_cause: null, replayed };
  }
  const hangupCause = record?.hangup_cause ?? null;
  if (status === "ended" && record?.answered_at == null) {
    if (mode === "original") return { success: false, call_uuid: null, status, hangup_cause: null, replayed };
    return { success: false, call_uuid: callUuid, status, hangup_cause: hangupCause, replayed };
  }
  return { success: true, call_uuid: callUuid, status, hangup_cause: hangupCause, replayed };
}

/**
 * The original API had no word for "sent, never confirmed": its callers get an error in its error shape
 * (HTTP 504, `{"error","message"}`) that also carries the call id to follow with call-status.
 */
function outcomeUnknownError(callUuid: string): ActionError {
  const message = `FreeSWITCH did not confirm the call, which may still ring: follow call ${callUuid} with call-status before trying again`;
  return new ActionError("SERVICE_UNAVAILABLE", message, {
    legacyStatus: 504,
    legacyBody: { error: "call_outcome_unknown", message, call_uuid: callUuid },
  });
}
