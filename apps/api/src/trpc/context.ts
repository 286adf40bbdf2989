import type { Caller } from "@switchboard/core";
import type { Context } from "hono";
import type { AppDeps, AppEnv, AuthFailure } from "../env.ts";

/** tRPC's per-request context: who is calling (or why nobody is), and what to serve from. */
export interface TrpcContext {
  deps: AppDeps;
  requestId: string;
  caller: Caller | null;
  authFailure: AuthFailure | null;
  /** Marks the request as having reached an action (for the refusal audit). */
  markActionRan(path: string): void;
}

/**
 * Reads what the Hono middleware set on the request (request id, the caller from `authenticate`); it
 * verifies nothing itself.
 */
export function createTrpcContext(deps: AppDeps, c: Context<AppEnv>): TrpcContext {
  const auth = c.get("auth");
  return {
    deps,
    requestId: c.get("requestId"),
    caller: auth?.caller ?? null,
    authFailure: auth?.failure ?? (auth ? null : { code: "UNAUTHORIZED", message: "unauthorized" }),
    markActionRan(path) {
      c.set("actionRan", true);
      const before = c.get("action");
      c.set("action", before ? `${before},${path}` : path);
    },
  };
}
