import { z } from "zod";
import { defineAction } from "../action.ts";
import { uuidInput } from "../fusionpbx/uuid.ts";
import {
  callerIdName,
  DEFAULT_PLAYBACK_FILE,
  dialNumber,
  dialplanContext,
  playbackFile,
} from "../calls/dial-values.ts";
import { legacyInvalid, legacyOptionalText, legacyText } from "../legacy/legacy-input.ts";
import { enforceCallPolicy, isUnrestricted } from "../calls/dial-policy.ts";
import { playbackOriginateCommand } from "../calls/originate-command.ts";
import { assertPlaybackUrlAllowed } from "../calls/playback-url.ts";
import { CALL_MODES, placeCall, type PlacedCall, TYPED_CALL_MODES } from "../calls/place-call.ts";
import { idempotencyKey, placedCallOutput } from "./originate.ts";
import { legacyCallBody } from "../calls/legacy-call-body.ts";

const LEGACY_NAMES: Record<string, string> = { caller_id_number: "cid", number: "to" };

const input = z.object({
  domain_uuid: uuidInput("domain_uuid"),
  caller_id_number: dialNumber,
  caller_id_name: callerIdName.optional(),
  number: dialNumber,
  file: playbackFile.default(DEFAULT_PLAYBACK_FILE),
  idempotency_key: idempotencyKey.optional(),
  /** `async` returns the call id at once (follow it with calls.status); `sync` waits and reports the cause. */
  mode: z.enum(TYPED_CALL_MODES).default("async"),
});

/**
 * `originate-playback-file` (deleted in 2023, docs/original-api.md §6). The original dialled out through a
 * gateway named in settings.json, gone since 2023-04; the number is now rung through loopback in the
 * domain's dialplan context, so the domain's own extensions and outbound routes decide where it goes.
 */
export const originatePlaybackFile = defineAction({
  name: "originate-playback-file",
  path: "calls.playback",
  summary:
    "Ring a number and play a sound file (under FreeSWITCH's sounds directory, or an http(s) URL) when it answers.",
  scope: "calls",
  domain: { by: "input", uuid: "domain_uuid", whenAbsent: "refuse" },
  kind: "mutation",
  input,
  output: placedCallOutput,
  legacy: {
    required: ["domain_uuid", "cid", "to"],
    // 504: the switch did not confirm the call (calls/place-call.ts).
    statuses: [504],
    // `original`: the original's exact command, waited for; offered on this route only.
    input: input.extend({ mode: z.enum(CALL_MODES) }),
    toInput: (body) => ({
      domain_uuid: legacyText(body.domain_uuid),
      caller_id_number: legacyText(body.cid),
      caller_id_name: legacyOptionalText(body.caller_id_name),
      number: legacyText(body.to),
      file: legacyOptionalText(body.file),
      idempotency_key: legacyOptionalText(body.idempotency_key),
      // Waited for; its answer has no cause.
      mode: "original",
    }),
    params: z.object({
      domain_uuid: z.string().describe("the domain whose dialplan context places the call"),
      cid: z.string().describe("the caller id number shown to the called party"),
      caller_id_name: z.string().optional().describe("the caller id name (default: the number)"),
      to: z.string().describe("the number to ring"),
      file: z
        .string()
        .optional()
        .describe(
          "played once answered: a path under FreeSWITCH's sounds directory (plain segments, no `..`), or an http(s) URL without quotes, spaces, parentheses, braces, commas or `$`; default: the 'congratulations, you pressed star' prompt",
        ),
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
    await assertPlaybackUrlAllowed(input.file);
    // Under the call policy the caller id must be an extension the caller may use, and the number is policed.
    const policed = isUnrestricted(ctx)
      ? null
      : await enforceCallPolicy(ctx, domain, { from: input.caller_id_number, to: input.number });
    const callerId = policed
      ? { number: policed.callerIdNumber, name: policed.callerIdName }
      : { number: input.caller_id_number, name: input.caller_id_name };
    return placeCall(ctx, {
      action: "originate-playback-file",
      domain,
      mode: input.mode,
      idempotencyKey: input.idempotency_key,
      beforeSend: policed?.count,
      request: {
        caller_id_number: callerId.number,
        caller_id_name: callerId.name ?? null,
        number: input.number,
        file: input.file,
      },
      command: (originationUuid) =>
        playbackOriginateCommand({
          callerId,
          number: input.number,
          context,
          file: input.file,
          originationUuid,
        }),
    });
  },
});
