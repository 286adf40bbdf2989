import { auditEntry, type Caller } from "@switchboard/core";
import type { AppDeps } from "../env.ts";

/** Sign-in and sign-out are no actions; they are filed in the audit log like one (`console-sign-in`, `console-sign-out`). */
export function auditConsoleStep(
  deps: AppDeps,
  caller: Caller,
  action: "console-sign-in" | "console-sign-out",
  outcome: { ok: true } | { ok: false; errorCode: string },
  startedAt: number,
): void {
  deps.audit.record(
    auditEntry({ caller, now: deps.now ?? (() => new Date()) }, action, {
      domainUuid: null,
      outcome: outcome.ok ? "ok" : "error",
      errorCode: outcome.ok ? null : outcome.errorCode,
      durationMs: performance.now() - startedAt,
    }),
  );
}
