// Switchboard's own tables. Additive only: no foreign keys into FusionPBX tables, no indexes beyond
// primary keys, nothing that touches a v_* table.

export const switchboardTablesSql = `
CREATE TABLE switchboard_key_policies (
  key_uuid uuid PRIMARY KEY,
  domain_uuid uuid,
  scopes text[] NOT NULL,
  expires_at timestamptz,
  disabled boolean NOT NULL DEFAULT false,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz
);

CREATE TABLE switchboard_audit (
  audit_uuid uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  occurred_at timestamptz NOT NULL DEFAULT now(),
  face text,
  key_uuid uuid,
  slack_user_id text,
  slack_team_id text,
  action text,
  domain_uuid uuid,
  outcome text,
  error_code text,
  request_id text,
  address text,
  duration_ms int
);

CREATE TABLE switchboard_idempotency (
  scope text NOT NULL,
  idem_key text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  result jsonb,
  PRIMARY KEY (scope, idem_key)
);

CREATE TABLE switchboard_calls (
  call_uuid uuid PRIMARY KEY,
  domain_uuid uuid,
  switch_name text,
  status text,
  hangup_cause text,
  request jsonb,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz,
  answered_at timestamptz,
  ended_at timestamptz
);

CREATE TABLE switchboard_slack_workspaces (
  team_id text PRIMARY KEY,
  domain_uuid uuid NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz
);

CREATE TABLE switchboard_slack_users (
  team_id text NOT NULL,
  user_id text NOT NULL,
  scopes text[] NOT NULL,
  extension text,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz,
  PRIMARY KEY (team_id, user_id)
);
`;

export const SWITCHBOARD_TABLES = [
  "switchboard_key_policies",
  "switchboard_audit",
  "switchboard_idempotency",
  "switchboard_calls",
  "switchboard_slack_workspaces",
  "switchboard_slack_users",
] as const;
