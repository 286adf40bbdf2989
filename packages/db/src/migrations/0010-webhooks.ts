// Webhooks (docs/webhooks.md): endpoints, the delivery outbox fanned out from switchboard_events, and every
// attempt made. A delivery row is written in the same transaction that moves the fan-out cursor past its
// event, so an event accepted into the log is delivered even if every Switchboard process crashes meanwhile.
// Secrets are stored as issued (`whsec_…`): signing needs them, and they sit in the same database as
// FusionPBX's own SIP passwords and voicemail PINs; they are never returned after webhook-create.

export const webhooksSql = `
CREATE TABLE switchboard_webhooks (
  webhook_uuid uuid PRIMARY KEY,
  domain_uuid uuid NULL,
  extension_uuid uuid NULL,
  url text NOT NULL,
  event_types text[] NOT NULL,
  description text NULL,
  secret text NOT NULL,
  enabled boolean NOT NULL DEFAULT true,
  disabled_reason text NULL,
  disabled_at timestamptz NULL,
  failing_since timestamptz NULL,
  last_success_at timestamptz NULL,
  start_seq bigint NOT NULL,
  created_by_key uuid NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX switchboard_webhooks_domain ON switchboard_webhooks (domain_uuid);

CREATE TABLE switchboard_webhook_deliveries (
  delivery_id bigserial PRIMARY KEY,
  webhook_uuid uuid NOT NULL REFERENCES switchboard_webhooks (webhook_uuid) ON DELETE CASCADE,
  event_seq bigint NULL,
  event_id text NOT NULL,
  event_type text NOT NULL,
  call_id uuid NULL,
  status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'succeeded', 'failed')),
  attempts integer NOT NULL DEFAULT 0,
  next_attempt_at timestamptz NOT NULL DEFAULT now(),
  lease_token uuid NULL,
  leased_until timestamptz NULL,
  last_status_code integer NULL,
  last_error text NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  finished_at timestamptz NULL,
  UNIQUE (webhook_uuid, event_id)
);
CREATE INDEX switchboard_webhook_deliveries_due ON switchboard_webhook_deliveries (next_attempt_at)
  WHERE status = 'pending';
CREATE INDEX switchboard_webhook_deliveries_call ON switchboard_webhook_deliveries (webhook_uuid, call_id, event_seq)
  WHERE status = 'pending' AND call_id IS NOT NULL;
CREATE INDEX switchboard_webhook_deliveries_log ON switchboard_webhook_deliveries (webhook_uuid, delivery_id DESC);
CREATE INDEX switchboard_webhook_deliveries_failed ON switchboard_webhook_deliveries (finished_at)
  WHERE status = 'failed';

CREATE TABLE switchboard_webhook_attempts (
  attempt_id bigserial PRIMARY KEY,
  delivery_id bigint NOT NULL REFERENCES switchboard_webhook_deliveries (delivery_id) ON DELETE CASCADE,
  attempted_at timestamptz NOT NULL,
  status_code integer NULL,
  error text NULL,
  response_excerpt text NULL,
  duration_ms integer NOT NULL
);
CREATE INDEX switchboard_webhook_attempts_delivery ON switchboard_webhook_attempts (delivery_id, attempt_id);

CREATE TABLE switchboard_webhook_fanout (
  singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
  last_seq bigint NOT NULL
);
INSERT INTO switchboard_webhook_fanout (singleton, last_seq)
  SELECT true, coalesce(max(seq), 0) FROM switchboard_events;
`;

export const WEBHOOK_TABLES = [
  "switchboard_webhooks",
  "switchboard_webhook_deliveries",
  "switchboard_webhook_attempts",
  "switchboard_webhook_fanout",
] as const;
