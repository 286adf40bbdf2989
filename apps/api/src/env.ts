import type { ActionServices, AuditSink, Authenticator, Caller, RefusalReason, RefusalSink } from "@switchboard/core";
import type { Logger } from "@switchboard/runtime";
import type { TrustedProxies } from "./middleware/client-address.ts";
import type { Presented } from "./middleware/credentials.ts";

/** What the app serves from: a runtime built once at start-up (or per test suite), plus HTTP limits. */
export interface AppDeps extends ActionServices {
  audit: AuditSink;
  /** Where refused requests are counted (switchboard_refusals); without one they are only logged. */
  refusals?: RefusalSink;
  authenticator: Authenticator;
  /** Request log lines and unexpected errors. */
  logger: Logger;
  /** Request bodies above this are refused with 413 (default 1 MiB). */
  maxBodyBytes?: number;
  /** The most calls one tRPC batch may carry (default 10). */
  maxBatchSize?: number;
  /** The URL clients reach the API at (PUBLIC_URL), used in the docs page and openapi.json. */
  publicUrl?: string | null;
  /** How long a database call on the auth path may take before the request is answered 503 (default 4 s). */
  databaseDeadlineMs?: number;
  /** Peers whose X-Forwarded-For names the client (`TRUSTED_PROXIES`); by default none. */
  trustedProxies?: TrustedProxies;
  /** How long one probe of the database and switches answers /health (default 2000 ms). */
  healthCacheMs?: number;
  /** false: every tRPC request through @trpc/server's HTTP resolver (tests compare the two). */
  trpcSingleQueryFastPath?: boolean;
}

/** Why a request has no caller: bad credentials, too many failures, or the database being down. */
export type AuthFailure =
  | { code: "UNAUTHORIZED"; message: string }
  | { code: "TOO_MANY_REQUESTS"; message: string; retryAfterSeconds: number }
  | { code: "SERVICE_UNAVAILABLE"; message: string };

/** Set by the authentication middleware: who is calling, or why nobody is. */
export type RequestAuth = { caller: Caller; failure: null } | { caller: null; failure: AuthFailure };

/** Per-request values set by the middleware. */
export interface AppVariables {
  requestId: string;
  address: string;
  auth?: RequestAuth;
  /** The key id the request presented (a well-formed uuid, lower-cased), verified or not. */
  presentedKeyId?: string;
  /** The Authorization header, parsed once (middleware/credentials.ts). */
  presented?: Presented;
  /** Set once a key authenticated, for the request log. */
  keyId?: string;
  /** The action (legacy name or tRPC path) a request ran, for the request log. */
  action?: string;
  /** Why the request was refused before any action ran (for the refusal audit); derived from the status if unset. */
  refusal?: RefusalReason;
  /** True once an action ran (runAction audits it); a 4xx without it is a refusal. */
  actionRan?: boolean;
}

export type AppEnv = { Variables: AppVariables };
