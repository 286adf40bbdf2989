import { FUSIONPBX_TABLES, fusionpbxTablesSql } from "./0001-fusionpbx-tables.ts";
import { SWITCHBOARD_TABLES as TABLES_0002, switchboardTablesSql } from "./0002-switchboard-tables.ts";
import { CALL_POLICY_TABLES, callPolicyTablesSql } from "./0003-call-policy.ts";
import { AUTH_FAILURE_TABLES, authFailuresSql } from "./0004-auth-failures.ts";
import { callOutcomesSql } from "./0005-call-outcomes.ts";
import { REFUSAL_TABLES, refusalsSql } from "./0006-refusals.ts";
import { CONSOLE_SESSION_TABLES, consoleSessionsSql } from "./0008-console-sessions.ts";
import { EVENT_TABLES, eventsSql } from "./0009-events.ts";
import { WEBHOOK_TABLES, webhooksSql } from "./0010-webhooks.ts";
import { SLACK_NOTIFICATION_TABLES, slackNotificationsSql } from "./0011-slack-notifications.ts";
import { SLACK_CHANNEL_NOTIFY_TABLES, slackChannelNotifySql } from "./0012-slack-channel-notify.ts";

/** Every switchboard_* table the migrations create. */
const SWITCHBOARD_TABLES = [
  ...TABLES_0002,
  ...CALL_POLICY_TABLES,
  ...AUTH_FAILURE_TABLES,
  ...REFUSAL_TABLES,
  ...CONSOLE_SESSION_TABLES,
  ...EVENT_TABLES,
  ...WEBHOOK_TABLES,
  ...SLACK_NOTIFICATION_TABLES,
  ...SLACK_CHANNEL_NOTIFY_TABLES,
] as const;

export interface Migration {
  /** Recorded in switchboard_schema_migrations; never renamed once released. */
  id: string;
  /**
   * "fusionpbx" migrations create FusionPBX's own tables and run only on a database Switchboard set up
   * (one that had no FusionPBX tables); "switchboard" migrations touch only switchboard_* tables.
   */
  kind: "fusionpbx" | "switchboard";
  description: string;
  sql: string;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    id: "0001-fusionpbx-tables",
    kind: "fusionpbx",
    description: `FusionPBX 5.6-compatible tables (${FUSIONPBX_TABLES.length})`,
    sql: fusionpbxTablesSql,
  },
  {
    id: "0002-switchboard-tables",
    kind: "switchboard",
    description: `Switchboard tables (${TABLES_0002.join(", ")})`,
    sql: switchboardTablesSql,
  },
  {
    id: "0003-call-policy",
    kind: "switchboard",
    description: `Call policy: per-domain dial policy and shared call counters (${CALL_POLICY_TABLES.join(", ")})`,
    sql: callPolicyTablesSql,
  },
  {
    id: "0004-auth-failures",
    kind: "switchboard",
    description: "failed authentications shared by every process (switchboard_auth_failures)",
    sql: authFailuresSql,
  },
  {
    id: "0005-call-outcomes",
    kind: "switchboard",
    description: "calls whose outcome is unknown: when the switch was first seen without them (switchboard_calls)",
    sql: callOutcomesSql,
  },
  {
    id: "0006-refusals",
    kind: "switchboard",
    description: "refused requests counted per minute (switchboard_refusals)",
    sql: refusalsSql,
  },
  {
    id: "0008-console-sessions",
    kind: "switchboard",
    description: "web console sessions shared by every process (switchboard_console_sessions)",
    sql: consoleSessionsSql,
  },
  {
    id: "0009-events",
    kind: "switchboard",
    description: `PBX event log, per-switch ingest state and known registrations (${EVENT_TABLES.join(", ")})`,
    sql: eventsSql,
  },
  {
    id: "0010-webhooks",
    kind: "switchboard",
    description: `Webhooks: endpoints, the delivery outbox and its attempts (${WEBHOOK_TABLES.join(", ")})`,
    sql: webhooksSql,
  },
  {
    id: "0011-slack-notifications",
    kind: "switchboard",
    description: `Slack notifications: the direct-message queue and its cursor (${SLACK_NOTIFICATION_TABLES.join(", ")})`,
    sql: slackNotificationsSql,
  },
  {
    id: "0012-slack-channel-notify",
    kind: "switchboard",
    description: `Slack channel subscriptions; the notification queue also targets channels (${SLACK_CHANNEL_NOTIFY_TABLES.join(", ")})`,
    sql: slackChannelNotifySql,
  },
];

export { FUSIONPBX_TABLES, SWITCHBOARD_TABLES };
