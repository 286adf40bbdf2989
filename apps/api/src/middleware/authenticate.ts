import { type AuthOutcome, type Face, outageError } from "@switchboard/core";
import type { MiddlewareHandler } from "hono";
import { withDeadline } from "../deadline.ts";
import type { AppDeps, AppEnv, AuthFailure, RequestAuth } from "../env.ts";
import { presentedCredentials } from "./credentials.ts";

export interface AuthenticateOptions {
  face: Face;
  /** `Authorization: Bearer <key_uuid>:<secret>` as well as Basic (the tRPC face). */
  allowBearer: boolean;
}

const UNAUTHORIZED: AuthFailure = {
  code: "UNAUTHORIZED",
  message: "unauthorized: send Basic or Bearer <key_uuid>:<secret>",
};

function failureOf(outcome: Exclude<AuthOutcome, { ok: true }>): AuthFailure {
  if (outcome.reason === "rate_limited") {
    return {
      code: "TOO_MANY_REQUESTS",
      message: "too many failed authentication attempts",
      retryAfterSeconds: outcome.retryAfterSeconds,
    };
  }
  return UNAUTHORIZED;
}

/**
 * Verifies the request's credentials and sets `auth` on the request: the caller (face, key, domain
 * binding, scopes, request id, address), or why there is none. It never answers itself: each face
 * turns a failure into its own error shape. A database outage is a failure too (SERVICE_UNAVAILABLE).
 */
export function authenticate(deps: AppDeps, options: AuthenticateOptions): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const { credentials } = presentedCredentials(c, options);
    let auth: RequestAuth;
    try {
      const address = c.get("address");
      const outcome =
        deps.authenticator.peek(credentials, address) ??
        (await withDeadline(deps.authenticator.authenticate(credentials, address), deps.databaseDeadlineMs ?? 4_000));
      if (outcome.ok) {
        c.set("keyId", outcome.key.keyId);
        auth = {
          caller: {
            face: options.face,
            requestId: c.get("requestId"),
            keyId: outcome.key.keyId,
            domainUuid: outcome.key.domainUuid,
            scopes: outcome.key.scopes,
            address: c.get("address"),
          },
          failure: null,
        };
      } else {
        auth = { caller: null, failure: failureOf(outcome) };
        c.set(
          "refusal",
          outcome.reason === "rate_limited" ? "rate_limited" : credentials ? "bad_credentials" : "no_credentials",
        );
      }
    } catch (error) {
      const outage = outageError(error);
      if (!outage) throw error;
      auth = { caller: null, failure: { code: "SERVICE_UNAVAILABLE", message: outage.message } };
    }
    c.set("auth", auth);
    await next();
  };
}
