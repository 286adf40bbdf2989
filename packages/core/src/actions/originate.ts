import { z } from "zod";
import { defineAction } from "../action.ts";
import { uuidInput } from "../fusionpbx/uuid.ts";
import { CALL_STATES } from "../calls/call-store.ts";
import { callerIdName, dialNumber, dialplanContext } from "../calls/dial-values.ts";
import { legacyInvalid, legacyOptionalText, legacyText } from "../legacy/legacy-input.ts";
import { enforceCallPolicy, isUnrestricted } from "../calls/dial-policy.ts";
import { bridgeOriginateCommand } from "../calls/originate-command.ts";
import { CALL_MODES, placeCall, type PlacedCall, type PlacedState, TYPED_CALL_MODES } from "../calls/place-call.ts";
import { legacyCallBody } from "../calls/legacy-call-body.ts";
import { userText } from "../fusionpbx/text.ts";

/**
 * What a call-placing action answers on the typed faces: placed (`success: true`), failed with the cause
 * (`status: "ended"`), or of unknown outcome (`status: "unknown"`: the switch received the command but never
 * confirmed it; the call may ring; follow `call_uuid` with calls.status, and retry only with the same
 * idempotency key).
 */
export const placedCallOutput = z.discriminatedUnion("success", [
  z.object({
    success: z.literal(true),
    /** The first leg's uuid. */
    call_uuid: z.string(),
    status: z.enum(CALL_STATES.filter((s) => s !== "unknown") as [PlacedState, ...PlacedState[]]),
    /** Set once the call has ended. */
    hangup_cause: z.string().nullable(),
    /** True when an idempotency key returned an earlier call instead of placing a new one. */
    replayed: z.boolean(),
  }),
  z.discriminatedUnion("status", [
    z.object({
      success: z.literal(false),
      /** The first leg's uuid; null on a failed legacy originate (the original returned none). */
      call_uuid: z.string().nullable(),
      status: z.literal("ended"),
      /** Why the call failed, as FreeSWITCH names it (`USER_BUSY`, `NO_ANSWER`, …). */
      hangup_cause: z.string().nullable(),
      replayed: z.boolean(),
    }),
    z.object({
      success: z.literal(false),
      /** The call to follow with calls.status: it may ring, or may never have been placed. */
      call_uuid: z.string(),
      status: z.literal("unknown"),
      hangup_cause: z.null(),
      replayed: z.boolean(),
    }),
  ]),
]);

export const idempotencyKey = userText(200, "an idempotency key")
  .min(1, { error: "an idempotency key is at least 1 character" })
  .describe("the same key within 24 h returns the first call instead of placing another");

const LEGACY_NAMES: Record<string, string> = { ring_first: "destination_b", connect_to: "destination_a" };

const input = z.object({
  domain_uuid: uuidInput("domain_uuid"),
  caller_id_number: dialNumber,
  caller_id_name: callerIdName.optional(),
  /** The number that rings first (the original's `destination_b`). */
  ring_first: dialNumber,
  /** The number it is connected to once it answers (the original's `destination_a`; `*9664` plays hold music). */
  connect_to: dialNumber,
  idempotency_key: idempotencyKey.optional(),
  /** `async` returns the call id at once (follow it with calls.status); `sync` waits and reports the cause. */
  mode: z.enum(TYPED_CALL_MODES).default("async"),
});

/** `originate` (docs/original-api.md §5.8): ring one number, then bridge it to another. */
export const originate = defineAction({
  name: "originate",
  path: "calls.originate",
  summary: "Ring a number, then connect it to a second number, in the domain's dialplan context.",
  scope: "calls",
  domain: { by: "input", uuid: "domain_uuid", whenAbsent: "refuse" },
  kind: "mutation",
  input,
  output: placedCallOutput,
  legacy: {
    required: ["domain_uuid", "caller_id_number", "destination_a", "destination_b"],
    // 504: the switch did not confirm the call (calls/place-call.ts).
    statuses: [504],
    // `original`: the original's exact command, waited for; offered on this route only.
    input: input.extend({ mode: z.enum(CALL_MODES) }),
    toInput: (body) => ({
      domain_uuid: legacyText(body.domain_uuid),
      caller_id_number: legacyText(body.caller_id_number),
      caller_id_name: legacyOptionalText(body.caller_id_name),
      ring_first: legacyText(body.destination_b),
      connect_to: legacyText(body.destination_a),
      idempotency_key: legacyOptionalText(body.idempotency_key),
      // The original's command (plus the first leg's uuid), waited for; its answer has no cause.
      mode: "original",
    }),
    params: z.object({
      domain_uuid: z.string().describe("the domain whose dialplan context places the call"),
      caller_id_number: z.string().describe("the caller id number both legs show"),
      caller_id_name: z.string().optional().describe("the caller id name (default: the number)"),
      destination_b: z.string().describe("rings FIRST (despite the letter): the phone that is called and must answer"),
      destination_a: z.string().describe("connected SECOND, once destination_b answers (`*9664` plays hold music)"),
      idempotency_key: z
        .string()
        .optional()
        .describe("not in the original: the same key within 24 h returns the first call instead of placing another"),
    }),
    body: legacyCallBody,
    onInvalid: (issues) =>
      legacyInvalid(issues, LEGACY_NAMES, { domain_uuid: { status: 404, body: { error: "domain not found" } } }),
    toBody: (output) => {
      const placed = output as PlacedCall;
      return { success: placed.success, call_uuid: placed.success ? placed.call_uuid : null };
    },
  },
  async handler(ctx, input, domain) {
    const context = dialplanContext(domain.domain_name);
    // Under the call policy the caller id is the first leg's extension's, whatever the input says.
    const policed = isUnrestricted(ctx)
      ? null
      : await enforceCallPolicy(ctx, domain, { from: input.ring_first, to: input.connect_to });
    const callerId = policed
      ? { number: policed.callerIdNumber, name: policed.callerIdName }
      : { number: input.caller_id_number, name: input.caller_id_name };
    return placeCall(ctx, {
      action: "originate",
      domain,
      mode: input.mode,
      idempotencyKey: input.idempotency_key,
      beforeSend: policed?.count,
      request: {
        caller_id_number: callerId.number,
        caller_id_name: callerId.name ?? null,
        ring_first: input.ring_first,
        connect_to: input.connect_to,
      },
      command: (originationUuid) =>
        bridgeOriginateCommand({
          callerId,
          ringFirst: input.ring_first,
          connectTo: input.connect_to,
          context,
          originationUuid,
        }),
    });
  },
});
