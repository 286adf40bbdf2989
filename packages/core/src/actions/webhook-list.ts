import { z } from "zod";
import { defineAction } from "../action.ts";
import { textKeyset } from "../lists/keyset.ts";
import { pageInput, pageOutput, toPage } from "../lists/page.ts";
import { webhookOutput } from "../webhooks/contracts.ts";
import { visibleTo, WEBHOOK_COLUMNS, type WebhookRow } from "../webhooks/webhook-store.ts";

export const webhookList = defineAction({
  name: "webhook-list",
  path: "webhooks.list",
  summary:
    "Webhook endpoints by URL (a domain-bound key sees its domain's), with their state: enabled, or disabled and why.",
  scope: "webhooks",
  domain: { by: "caller" },
  kind: "query",
  input: z.object({ ...pageInput }),
  output: pageOutput(webhookOutput),
  async handler(ctx, input, domain) {
    const sql = ctx.sql;
    const keyset = textKeyset(sql, input.cursor, "url", "webhook_uuid");
    const rows = await sql<WebhookRow[]>`
      select ${sql(WEBHOOK_COLUMNS)} from switchboard_webhooks
      where ${visibleTo(sql, domain?.domain_uuid ?? null)} ${keyset.after}
      ${keyset.orderBy}
      limit ${input.limit + 1}`;
    return toPage([...rows], input.limit, (row) => keyset.sortKey(row as unknown as Record<string, unknown>));
  },
});
