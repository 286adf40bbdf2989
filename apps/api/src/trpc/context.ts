import type { AuthOutcome, Caller } from "@switchboard/core";
import type { AppDeps } from "../env.ts";

/** tRPC's per-request context: who is calling (or why nobody is), and what to serve from. */
export interface TrpcContext {
  deps: AppDeps;
  requestId: string;
  caller: Caller | null;
  /** Why there is no caller: bad credentials, too many failures, or the database being down. */
  authFailure:
    | { code: "UNAUTHORIZED"; message: string }
    | { code: "TOO_MANY_REQUESTS"; message: string; retryAfterSeconds: number }
    | { code: "SERVICE_UNAVAILABLE"; message: string }
    | null;
}

export function authFailureOf(outcome: Exclude<AuthOutcome, { ok: true }>): NonNullable<TrpcContext["authFailure"]> {
  if (outcome.reason === "rate_limited") {
    return { code: "TOO_MANY_REQUESTS", message: "too many failed authentication attempts", retryAfterSeconds: outcome.retryAfterSeconds };
  }
  return { code: "UNAUTHORIZED", message: "unauthorized: send Basic or Bearer <key_uuid>:<secret>" };
}
