import { type BackgroundJob, type Switch, SwitchCommandError, SwitchUnavailableError } from "@switchboard/esl";
import type { ActionContext } from "../context.ts";
import { type CallState, advanceCall, deleteCall, findCall, insertCall } from "./call-store.ts";
import type { DomainRef } from "../tenancy/domain-rule.ts";
import { claimIdempotencyKey, idempotencyScope, releaseIdempotencyKey, requestFingerprint } from "./idempotency.ts";
import { parseOriginateReply } from "./originate-command.ts";
import { onSwitch, switchDown } from "./switch-errors.ts";

/**
 * `async`: the call id at once; `sync`: wait for the outcome and its cause; `original`: exactly the original
 * API's command (no pre-set uuid) and answer, synchronous, no idempotency (what the legacy route asks for).
 */
export const CALL_MODES = ["async", "sync", "original"] as const;
/** The modes the typed faces offer; `original` is the legacy route's own (its spec asks for it). */
export const TYPED_CALL_MODES = ["async", "sync"] as const;
export type CallMode = (typeof CALL_MODES)[number];

/** A synchronous originate waits until the first leg answers (originate_timeout=30) or fails. */
const SYNC_TIMEOUT_MS = 60_000;
/** A bgapi job reports when the same would have finished. */
const JOB_TIMEOUT_MS = 120_000;

/** The handler output of every call-placing action (the legacy faces keep only `success`/`call_uuid`). */
export type PlacedCall =
  | { success: true; call_uuid: string; status: CallState; hangup_cause: string | null; replayed: boolean }
  | { success: false; call_uuid: string | null; status: "ended"; hangup_cause: string | null; replayed: boolean };

export interface PlaceCall {
  /** Action name: the idempotency scope and the record's `request.action`. */
  action: string;
  domain: DomainRef;
  /** The `originate` argument string, given the pre-set uuid of the first leg (undefined: none). */
  command: (originationUuid: string | undefined) => string;
  /** What was asked, for the call record and the idempotency fingerprint. */
  request: Record<string, unknown>;
  mode: CallMode;
  idempotencyKey?: string | undefined;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * A synchronous originate, without `api`: FreeSWITCH runs an `api` inside the connection's only thread, so
 * a ringing phone would hold every other command on our shared connection for up to 30 s (docs/event-socket.md §3).
 * `bgapi` runs the same argument string in its own thread; waiting for its BACKGROUND_JOB gives the same
 * reply text (`+OK <uuid>` / `-ERR <cause>`).
 */
async function originateAndWait(sw: Switch, command: string): Promise<string> {
  return jobReply(await sw.bgapi(command, { timeoutMs: SYNC_TIMEOUT_MS }));
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

/** Places a call over `originate`: the one path behind `originate` and `originate-playback-file`. */
export async function placeCall(ctx: ActionContext, call: PlaceCall): Promise<PlacedCall> {
  const sw = await onSwitch(() => ctx.switches.forCalls());
  if (call.mode === "original") return placeOriginalCall(ctx, sw, call);

  const callUuid = crypto.randomUUID();
  const record = {
    ...call.request,
    action: call.action,
    mode: call.mode,
    face: ctx.caller.face,
    key_id: ctx.caller.keyId,
    request_id: ctx.caller.requestId,
  };
  const key = call.idempotencyKey;
  const scope = idempotencyScope(call.action, ctx.caller);
  const newCall = {
    callUuid,
    domainUuid: call.domain.domain_uuid,
    switchName: sw.name,
    status: "queued" as const,
    request: record,
  };
  if (key === undefined) {
    // One statement needs no transaction: two round trips fewer on the hot path.
    await insertCall(ctx.sql, newCall);
  } else {
    const claim = await ctx.sql.begin(async (tx) => {
      const fingerprint = requestFingerprint({
        domain_uuid: call.domain.domain_uuid,
        mode: call.mode,
        ...call.request,
      });
      const result = await claimIdempotencyKey(tx, scope, key, fingerprint, callUuid);
      if (!result.owned) return result;
      await insertCall(tx, newCall);
      return { owned: true as const };
    });
    if (!claim.owned) return replay(ctx, claim.callUuid, call.domain.domain_uuid);
  }

  const command = call.command(callUuid);
  const forget = async () => {
    await ctx.sql.begin(async (tx) => {
      await deleteCall(tx, callUuid);
      if (key !== undefined) await releaseIdempotencyKey(tx, scope, key, callUuid);
    });
  };

  let job: BackgroundJob;
  try {
    job = await sw.bgapi(command, { timeoutMs: call.mode === "sync" ? SYNC_TIMEOUT_MS : JOB_TIMEOUT_MS });
  } catch (error) {
    if (error instanceof SwitchCommandError) return settle(ctx, callUuid, error.reply);
    if (error instanceof SwitchUnavailableError) {
      await forget();
      throw switchDown(error);
    }
    throw error;
  }
  // Sent: the call may exist now, so its record stays even if the switch goes away before it reports.
  if (call.mode === "sync") return settle(ctx, callUuid, await onSwitch(() => jobReply(job)));
  // The job's outcome lands in the record; call-status reads it. Errors here have no one to report to.
  jobReply(job)
    .then((reply) => settle(ctx, callUuid, reply))
    .catch(() => {});
  return { success: true, call_uuid: callUuid, status: "queued", hangup_cause: null, replayed: false };
}

/** Records a finished originate: `+OK` means the first leg answered (early media is ignored). */
async function settle(ctx: ActionContext, callUuid: string, reply: string): Promise<PlacedCall> {
  const parsed = parseOriginateReply(reply);
  if (parsed.ok) {
    await advanceCall(ctx.sql, callUuid, "answered");
    return { success: true, call_uuid: callUuid, status: "answered", hangup_cause: null, replayed: false };
  }
  await advanceCall(ctx.sql, callUuid, "ended", parsed.cause);
  return { success: false, call_uuid: callUuid, status: "ended", hangup_cause: parsed.cause, replayed: false };
}

async function replay(ctx: ActionContext, callUuid: string, domainUuid: string): Promise<PlacedCall> {
  const record = await findCall(ctx.sql, callUuid, domainUuid);
  const status = record?.status ?? "queued";
  const hangupCause = record?.hangup_cause ?? null;
  if (status === "ended" && record?.answered_at == null) {
    return { success: false, call_uuid: callUuid, status, hangup_cause: hangupCause, replayed: true };
  }
  return { success: true, call_uuid: callUuid, status, hangup_cause: hangupCause, replayed: true };
}

/** The original's behaviour: its exact originate string, the answer once the call is up or failed; no cause. */
async function placeOriginalCall(ctx: ActionContext, sw: Switch, call: PlaceCall): Promise<PlacedCall> {
  const reply = await onSwitch(() => originateAndWait(sw, call.command(undefined)));
  const parsed = parseOriginateReply(reply);
  if (!parsed.ok)
    return { success: false, call_uuid: null, status: "ended", hangup_cause: parsed.cause, replayed: false };
  if (UUID.test(parsed.callUuid)) {
    const request = {
      ...call.request,
      action: call.action,
      mode: call.mode,
      face: ctx.caller.face,
      key_id: ctx.caller.keyId,
    };
    await insertCall(ctx.sql, {
      callUuid: parsed.callUuid.toLowerCase(),
      domainUuid: call.domain.domain_uuid,
      switchName: sw.name,
      status: "answered",
      request,
    }).catch(() => {});
  }
  return { success: true, call_uuid: parsed.callUuid, status: "answered", hangup_cause: null, replayed: false };
}
