// Slack notifications (apps/slackbot/src/notifications/): missed calls and voicemail to the linked user's
// direct messages. Like webhooks, an outbox fanned out from switchboard_events in the transaction that
// moves its own cursor, then sent at most one message a second per conversation (Slack's limit).

export const slackNotificationsSql = `
CREATE TABLE switchboard_slack_notifications (
  notification_id bigserial PRIMARY KEY,
  team_id text NOT NULL,
  user_id text NOT NULL,
  event_id text NOT NULL,
  message jsonb NOT NULL,
  status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent', 'failed')),
  attempts integer NOT NULL DEFAULT 0,
  next_attempt_at timestamptz NOT NULL DEFAULT now(),
  lease_token uuid NULL,
  leased_until timestamptz NULL,
  last_error text NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  sent_at timestamptz NULL,
  UNIQUE (team_id, user_id, event_id)
);
CREATE INDEX switchboard_slack_notifications_due ON switchboard_slack_notifications (next_attempt_at)
  WHERE status = 'pending';
CREATE INDEX switchboard_slack_notifications_target ON switchboard_slack_notifications (team_id, user_id, notification_id);

CREATE TABLE switchboard_slack_notify_cursor (
  singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
  last_seq bigint NOT NULL
);
INSERT INTO switchboard_slack_notify_cursor (singleton, last_seq)
  SELECT true, coalesce(max(seq), 0) FROM switchboard_events;
`;

export const SLACK_NOTIFICATION_TABLES = [
  "switchboard_slack_notifications",
  "switchboard_slack_notify_cursor",
] as const;
