// Web console sessions (apps/api/src/console/), in PostgreSQL so that every API process and node behind a load
// balancer knows them. The browser holds only the session token; the row holds its SHA-256 hash, the key it
// acts as (never the key's secret) and the per-session token its forms carry.

export const consoleSessionsSql = `
CREATE TABLE switchboard_console_sessions (
  token_hash text PRIMARY KEY,
  key_uuid uuid NOT NULL,
  csrf_token text NOT NULL,
  address text,
  created_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL
);
CREATE INDEX switchboard_console_sessions_key ON switchboard_console_sessions (key_uuid);
CREATE INDEX switchboard_console_sessions_expiry ON switchboard_console_sessions (expires_at);
`;

export const CONSOLE_SESSION_TABLES = ["switchboard_console_sessions"] as const;
