import type { Queryable, Sql } from "@switchboard/db";

/** A webhook endpoint as the actions return it (never its secret). */
export interface WebhookRow {
  webhook_uuid: string;
  domain_uuid: string | null;
  extension_uuid: string | null;
  url: string;
  event_types: string[];
  description: string | null;
  enabled: boolean;
  disabled_reason: string | null;
  disabled_at: Date | string | null;
  failing_since: Date | string | null;
  last_success_at: Date | string | null;
  created_at: Date | string;
  updated_at: Date | string;
}

export const WEBHOOK_COLUMNS = [
  "webhook_uuid",
  "domain_uuid",
  "extension_uuid",
  "url",
  "event_types",
  "description",
  "enabled",
  "disabled_reason",
  "disabled_at",
  "failing_since",
  "last_success_at",
  "created_at",
  "updated_at",
] as const;

/** PostgreSQL channel that wakes the delivery workers of every process (a replay, a re-enabled endpoint). */
export const WEBHOOKS_CHANNEL = "switchboard_webhooks";

export async function wakeDispatchers(sql: Queryable): Promise<void> {
  await sql`select pg_notify(${WEBHOOKS_CHANNEL}, '')`;
}

/**
 * The caller's view of endpoints: a domain-bound caller (`domain` set) sees its domain's only; an unbound
 * caller (`null`) sees every endpoint.
 */
export function visibleTo(sql: Sql, domain: string | null) {
  return domain ? sql`domain_uuid = ${domain}::uuid` : sql`true`;
}

export async function findWebhook(
  sql: Sql,
  webhookUuid: string,
  domain: string | null,
): Promise<(WebhookRow & { secret: string }) | undefined> {
  const [row] = await sql<(WebhookRow & { secret: string })[]>`
    select ${sql(WEBHOOK_COLUMNS)}, secret from switchboard_webhooks
    where webhook_uuid = ${webhookUuid}::uuid and ${visibleTo(sql, domain)}`;
  return row;
}
