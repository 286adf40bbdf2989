// Refused requests (bad or missing credentials, rate limits, malformed or oversized requests, unknown actions),
// counted per minute and per (face, reason, presented key id, client address): a flood adds to a count instead
// of adding rows. The writers cap the distinct rows per minute and prune old minutes (core's refusal sink).

export const refusalsSql = `
CREATE TABLE switchboard_refusals (
  refusal_uuid uuid PRIMARY KEY,
  minute timestamptz NOT NULL,
  face text NOT NULL,
  reason text NOT NULL,
  key_uuid uuid,
  address text NOT NULL,
  count integer NOT NULL,
  last_at timestamptz NOT NULL
);
CREATE UNIQUE INDEX switchboard_refusals_bucket ON switchboard_refusals
  (minute, face, reason, (coalesce(key_uuid, '00000000-0000-0000-0000-000000000000'::uuid)), address);
CREATE INDEX switchboard_refusals_key ON switchboard_refusals (key_uuid, minute DESC);
`;

export const REFUSAL_TABLES = ["switchboard_refusals"] as const;
