import type { ActionContext } from "../context.ts";
import type { AuditEntry } from "./audit-sink.ts";

/**
 * The one audit entry builder. Only validated values go in: the caller (authenticated) and the domain the
 * action resolved (never text a client typed); without one the row is filed under the caller's own domain,
 * so a domain's admin sees what was done in, or by keys of, their domain and nothing of others.
 */
export function auditEntry(
  ctx: Pick<ActionContext, "caller" | "now">,
  action: string,
  result: { domainUuid: string | null; outcome: string; errorCode: string | null; durationMs: number },
): AuditEntry {
  const { caller } = ctx;
  return {
    face: caller.face,
    keyId: caller.keyId,
    slackUserId: caller.slackUserId ?? null,
    slackTeamId: caller.slackTeamId ?? null,
    action,
    domainUuid: result.domainUuid ?? caller.domainUuid,
    outcome: result.outcome,
    errorCode: result.errorCode,
    requestId: caller.requestId,
    address: caller.address ?? null,
    durationMs: Math.round(result.durationMs),
    at: ctx.now(),
  };
}
