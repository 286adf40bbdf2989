import { z } from "zod";
import type { AnyAction } from "../action.ts";
import type { ActionContext } from "../context.ts";
import { auditEntry } from "../audit/audit-entry.ts";
import { ActionError, type LegacyReply } from "../errors.ts";
import { runAction, type RunOptions } from "../execute.ts";
import { DomainNotFoundError } from "../tenancy/resolve-domain.ts";
import { legacyValues } from "./legacy-values.ts";
import { lastMissingParameter } from "./php.ts";

export const missingParameterReply = (name: string): LegacyReply => ({
  status: 400,
  body: { error: { error: "missing required parameter(s)", missing_parameters: name } },
});

/**
 * Runs one action the way the original rest.php did after auth and dispatch (docs/original-api.md §2 steps
 * 7–8): required parameters by PHP truthiness, then the action, then the original's status and body.
 * Never throws for an action failure; unexpected errors become a bare 500 without details. Every call is
 * audited, a missing parameter too.
 */
export async function runLegacyAction(
  action: AnyAction,
  ctx: ActionContext,
  body: Record<string, unknown>,
  options: Pick<RunOptions, "audit"> & { onUnexpectedError?: (error: unknown) => void } = {},
): Promise<LegacyReply> {
  const spec = action.legacy;
  const missing = lastMissingParameter(spec?.required ?? [], body);
  if (missing) {
    options.audit?.record(
      auditEntry(ctx, action.name, { domainUuid: null, outcome: "error", errorCode: "BAD_REQUEST", durationMs: 0 }),
    );
    return missingParameterReply(missing);
  }
  const mapped = spec?.toInput ? spec.toInput(body) : body;
  const input =
    mapped && typeof mapped === "object" && !Array.isArray(mapped)
      ? legacyValues(spec?.input ?? action.input, mapped as Record<string, unknown>)
      : mapped;
  try {
    const output = await runAction(action, ctx, input, { ...options, inputSchema: spec?.input });
    return { status: 200, body: spec?.toBody ? spec.toBody(output) : output };
  } catch (error) {
    if (error instanceof DomainNotFoundError && spec?.domainNotFound) return spec.domainNotFound;
    if (error instanceof ActionError) {
      const zodError = error.cause instanceof z.ZodError ? error.cause : undefined;
      if (zodError) {
        const custom = spec?.onInvalid?.(zodError.issues, body);
        if (custom) return custom;
      }
      return error.legacy;
    }
    options.onUnexpectedError?.(error);
    return { status: 500, body: { error: "internal_server_error" } };
  }
}
