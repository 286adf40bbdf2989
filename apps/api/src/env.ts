import type { AuditSink, Authenticator } from "@switchboard/core";
import type { SchemaInfo, Sql } from "@switchboard/db";
import type { SwitchPool } from "@switchboard/esl";
import type { TrustedProxies } from "./middleware/client-address.ts";

/** What the app serves from: built once at start-up (or per test suite). */
export interface AppDeps {
  sql: Sql;
  schema: SchemaInfo;
  switches: SwitchPool;
  audit: AuditSink;
  authenticator: Authenticator;
  /** One JSON line per request and per unexpected error; default stdout. */
  log?: (line: string) => void;
  /** Request bodies above this are refused with 413 (default 1 MiB). */
  maxBodyBytes?: number;
  /** How long a database call on the auth path may take before the request is answered 503 (default 4 s). */
  databaseDeadlineMs?: number;
  now?: () => Date;
  /** Peers whose X-Forwarded-For names the client (`TRUSTED_PROXIES`); by default none. */
  trustedProxies?: TrustedProxies;
}

/** Per-request values set by the middleware. */
export interface AppVariables {
  requestId: string;
  address: string;
  /** The origin the client used (`https://pbx.example.com`), from a trusted proxy's X-Forwarded-Proto and Host. */
  origin: string;
  /** Set once a key authenticated, for the request log. */
  keyId?: string;
  /** The action a request ran, for the request log. */
  action?: string;
}

export type AppEnv = { Variables: AppVariables };
