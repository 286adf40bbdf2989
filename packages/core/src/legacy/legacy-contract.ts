import { z } from "zod";
import type { AnyAction } from "../action.ts";

/** `{"error": "<message>"}`: the legacy route's error body (and some 200 answers of the original). */
export const legacyErrorBody = z.object({ error: z.string() }).describe("The original's error body");

/** The original's answer for a missing required parameter (HTTP 400), naming the last one missing. */
export const legacyMissingParameterBody = z
  .object({ error: z.object({ error: z.literal("missing required parameter(s)"), missing_parameters: z.string() }) })
  .describe('A required parameter is missing or PHP-falsy (`""`, `0`, `false`); the last one missing is named');

/** The callcenter actions' failure body (HTTP 200), with FreeSWITCH's last reply line as the reason. */
export const legacySwitchFailureBody = z.object({ success: z.literal(false), reason: z.string() });

/** The parameters a legacy caller sends, under the legacy names. */
export function legacyParamsOf(action: AnyAction): z.ZodType {
  return action.legacy?.params ?? action.input;
}

/** Every body the legacy route answers with HTTP 200 for this action. */
export function legacyBodyOf(action: AnyAction): z.ZodType {
  if (action.legacy?.body) return action.legacy.body;
  if (action.legacy?.toBody)
    throw new Error(`action ${action.name}: legacy.toBody reshapes the output, so legacy.body must say how`);
  return action.output;
}
