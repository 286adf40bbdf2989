import type { Queryable } from "@switchboard/db";
import type { ActionContext } from "../context.ts";

/** FusionPBX apps whose writes we log, as their classes name themselves (`const app_name` / `app_uuid`). */
export const FUSIONPBX_APPS = {
  extensions: { name: "extensions", uuid: "e68d9689-2769-e013-28fa-6214bf47fca3" },
  voicemails: { name: "voicemail", uuid: "b523c2d2-64cd-46f1-9520-ca4b4098e044" },
  destinations: { name: "destinations", uuid: "5ec89622-b19c-3559-64f0-afde802ab139" },
  ringGroups: { name: "ring_groups", uuid: "1d61fb65-1eec-bc73-a6ee-a6203b4fe6f2" },
} as const;

export type FusionPbxApp = (typeof FUSIONPBX_APPS)[keyof typeof FUSIONPBX_APPS];

/** PHP `json_encode($x, JSON_PRETTY_PRINT)`: four-space indent, `/` escaped, non-ASCII as `\uXXXX`. */
export function phpPrettyJson(value: unknown): string {
  return JSON.stringify(value, null, 4)
    .replace(/\//g, "\\/")
    .replace(/[\u0080-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}

/**
 * The `v_database_transactions` row FusionPBX's `database->save()`/`delete()` writes after a change, inside the
 * same transaction as the change. `old`/`new` are the arrays as FusionPBX would hold them
 * (`{ "destinations": [ row ] }`). Skipped on an install without the table.
 */
export async function logTransaction(
  q: Queryable,
  ctx: ActionContext,
  entry: { app: FusionPbxApp; domainUuid: string; type: "add" | "update" | "delete"; old?: unknown; new?: unknown },
): Promise<void> {
  if (!ctx.schema.hasTable("v_database_transactions")) return;
  const result = { message: "OK", code: "200", details: [{ name: entry.app.name, message: "OK", code: "200" }] };
  await q`
    insert into v_database_transactions (database_transaction_uuid, domain_uuid, user_uuid, app_name, app_uuid,
      transaction_code, transaction_address, transaction_type, transaction_date, transaction_old, transaction_new,
      transaction_result)
    values (${crypto.randomUUID()}::uuid, ${entry.domainUuid}::uuid, null, ${entry.app.name}, ${entry.app.uuid}::uuid,
      '200', ${ctx.caller.address ?? null}, ${entry.type}, now(),
      ${entry.old === undefined ? null : phpPrettyJson(entry.old)}, ${entry.new === undefined ? null : phpPrettyJson(entry.new)},
      ${phpPrettyJson(result)})`;
}
