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

/**
 * Statuses the legacy route answers for any action: 401 (credentials), 403 (a scope the key lacks), 413 (a
 * body over the limit), 429 (too many failed authentications), 500 (an unexpected error), 503 (the database
 * or every switch unreachable).
 */
export const LEGACY_ANY_ACTION_STATUSES = [401, 403, 413, 429, 500, 503] as const;

/**
 * Every status besides 200 this action can answer on the legacy route, ascending, from its contract and its
 * legacy spec: the statuses every action shares; 400 when it takes parameters (missing or invalid); the
 * domain rule's "not found" (`legacy.domainNotFound`'s status, else 404) unless the rule names no domain;
 * and the statuses its handler or `onInvalid` answer (`legacy.statuses`).
 */
export function legacyErrorStatuses(action: AnyAction): number[] {
  const statuses = new Set<number>(LEGACY_ANY_ACTION_STATUSES);
  const params = legacyParamsOf(action);
  const fields = params instanceof z.ZodObject ? Object.keys(params.shape) : [];
  if ((action.legacy?.required ?? []).length > 0 || fields.length > 0) statuses.add(400);
  if (action.domain.by !== "none") statuses.add(action.legacy?.domainNotFound?.status ?? 404);
  for (const status of action.legacy?.statuses ?? []) statuses.add(status);
  statuses.delete(200);
  return [...statuses].sort((a, b) => a - b);
}
