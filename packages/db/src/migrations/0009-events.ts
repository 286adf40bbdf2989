// The event log (packages/core/src/events/event-log.ts, docs/events.md): every PBX event Switchboard saw or
// recovered, written once, fanned out from here. `seq` orders the whole log; appends hold one transaction
// lock so seq order is commit order (a reader resuming after seq k can never miss a later-committed lower
// seq). Each committed append notifies channel `switchboard_events` with its highest seq.
//
// switchboard_event_sources: per switch, the Core-UUID and time of the last event ingested (what recovery
// starts from). switchboard_registrations: the registrations Switchboard believes current, so that only a
// change becomes an event and recovery can compare with the switch's list.

export const eventsSql = `
CREATE TABLE switchboard_events (
  seq bigserial PRIMARY KEY,
  event_id text NOT NULL UNIQUE,
  type text NOT NULL,
  domain_uuid uuid NULL,
  call_id uuid NULL,
  call_seq integer NULL,
  extension_uuid uuid NULL,
  occurred_at timestamptz NOT NULL,
  recorded_at timestamptz NOT NULL DEFAULT now(),
  reconciled boolean NOT NULL DEFAULT false,
  switch_host text NULL,
  data jsonb NOT NULL
);
CREATE INDEX switchboard_events_domain_seq ON switchboard_events (domain_uuid, seq);
CREATE INDEX switchboard_events_call ON switchboard_events (call_id, call_seq);

CREATE TABLE switchboard_event_sources (
  switch_host text PRIMARY KEY,
  core_uuid text NULL,
  last_event_at timestamptz NULL,
  updated_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE switchboard_registrations (
  switch_host text NOT NULL,
  reg_user text NOT NULL,
  realm text NOT NULL,
  contact text NOT NULL,
  sip_call_id text NULL,
  domain_uuid uuid NULL,
  extension_uuid uuid NULL,
  registered_event_id text NOT NULL,
  expires_at timestamptz NULL,
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (switch_host, reg_user, realm, contact)
);
`;

export const EVENT_TABLES = ["switchboard_events", "switchboard_event_sources", "switchboard_registrations"] as const;
