// The call policy's two tables (packages/core/src/calls/dial-policy.ts). Additive only, like 0002.

export const callPolicyTablesSql = `
CREATE TABLE switchboard_dial_policies (
  domain_uuid uuid PRIMARY KEY,
  allow_international boolean NOT NULL DEFAULT false,
  allow_premium boolean NOT NULL DEFAULT false,
  country_code text,
  calls_per_user_per_minute int NOT NULL DEFAULT 5,
  calls_per_domain_per_minute int NOT NULL DEFAULT 30,
  updated_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE switchboard_call_counts (
  counter text NOT NULL,
  window_start timestamptz NOT NULL,
  calls int NOT NULL,
  PRIMARY KEY (counter, window_start)
);
`;

export const CALL_POLICY_TABLES = ["switchboard_dial_policies", "switchboard_call_counts"] as const;
