// Failed authentications, one row each, so every Switchboard process (API workers, several nodes behind a
// load balancer) counts the same failures per address and per key id. Rows older than the limiter's window
// are deleted by the processes as they record new ones.

export const authFailuresSql = `
CREATE TABLE switchboard_auth_failures (
  limiter text NOT NULL,
  identifier text NOT NULL,
  failed_at timestamptz NOT NULL
);
CREATE INDEX switchboard_auth_failures_recent ON switchboard_auth_failures (limiter, identifier, failed_at DESC);
`;

export const AUTH_FAILURE_TABLES = ["switchboard_auth_failures"] as const;
