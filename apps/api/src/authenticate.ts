import { type AuthOutcome, type Caller, type Face, parseAuthorization } from "@switchboard/core";
import type { Context } from "hono";
import { withDeadline } from "./deadline.ts";
import type { AppDeps, AppEnv } from "./env.ts";

/** Checks the request's credentials (Basic; Bearer too where allowed). Throws only on a database outage. */
export async function authenticateRequest(c: Context<AppEnv>, deps: AppDeps, options: { allowBearer: boolean }): Promise<AuthOutcome> {
  const credentials = parseAuthorization(c.req.header("authorization"), options);
  const outcome = await withDeadline(deps.authenticator.authenticate(credentials, c.get("address")), deps.databaseDeadlineMs ?? 4_000);
  if (outcome.ok) c.set("keyId", outcome.key.keyId);
  return outcome;
}

export function callerFor(face: Face, c: Context<AppEnv>, outcome: Extract<AuthOutcome, { ok: true }>): Caller {
  return {
    face,
    requestId: c.get("requestId"),
    keyId: outcome.key.keyId,
    domainUuid: outcome.key.domainUuid,
    scopes: outcome.key.scopes,
    address: c.get("address"),
  };
}
