// Slack channel subscriptions (`/pbx notify missed #reception`): a workspace's channel gets the missed calls
// or voicemails of the domain the operator bound that workspace to. Their messages go through the same
// queue as direct messages (0011), whose target becomes a user or a channel.

export const slackChannelNotifySql = `
CREATE TABLE switchboard_slack_channel_subscriptions (
  team_id text NOT NULL,
  channel_id text NOT NULL,
  event_type text NOT NULL CHECK (event_type IN ('call.missed', 'voicemail.left')),
  domain_uuid uuid NOT NULL,
  channel_name text NULL,
  created_by text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (team_id, channel_id, event_type)
);
CREATE INDEX switchboard_slack_channel_subscriptions_domain
  ON switchboard_slack_channel_subscriptions (domain_uuid, event_type);

ALTER TABLE switchboard_slack_notifications ALTER COLUMN user_id DROP NOT NULL;
ALTER TABLE switchboard_slack_notifications ADD COLUMN channel_id text NULL;
ALTER TABLE switchboard_slack_notifications ADD CONSTRAINT switchboard_slack_notifications_one_target
  CHECK ((user_id IS NULL) <> (channel_id IS NULL));
CREATE UNIQUE INDEX switchboard_slack_notifications_channel_event
  ON switchboard_slack_notifications (team_id, channel_id, event_id) WHERE channel_id IS NOT NULL;
CREATE INDEX switchboard_slack_notifications_channel
  ON switchboard_slack_notifications (team_id, channel_id, notification_id) WHERE channel_id IS NOT NULL;
`;

export const SLACK_CHANNEL_NOTIFY_TABLES = ["switchboard_slack_channel_subscriptions"] as const;
