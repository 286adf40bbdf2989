import type { Queryable } from "@switchboard/db";
import type { ActionContext } from "../context.ts";
import type { DatabaseApp } from "./apps.ts";
import { phpJsonPretty } from "./php-json.ts";
import { newUuid } from "./uuid.ts";

export type TransactionType = "add" | "update" | "delete";

/**
 * One `v_database_transactions` row, the audit row FusionPBX's `database->save()`/`delete()` writes inside
 * the same transaction as the change (docs/fusionpbx-writes.md §1). `old`/`new`/`result` are already
 * PHP-pretty-printed JSON; the acting user is NULL (API callers are not FusionPBX users).
 */
export async function writeTransactionLog(
  q: Queryable,
  entry: DatabaseApp & {
    /** `transaction_address`: the client's IP. */
    address: string | null;
    domainUuid?: string | null;
    type: TransactionType;
    code: string;
    oldJson: string | null;
    newJson: string | null;
    resultJson: string;
  },
): Promise<void> {
  await q`
    insert into v_database_transactions (
      database_transaction_uuid, domain_uuid, app_uuid, app_name, transaction_code, transaction_address,
      transaction_type, transaction_date, transaction_old, transaction_new, transaction_result)
    values (${newUuid()}, ${entry.domainUuid ?? null}, ${entry.appUuid}, ${entry.appName}, ${entry.code},
      ${entry.address}, ${entry.type}, now(), ${entry.oldJson}, ${entry.newJson}, ${entry.resultJson})`;
}

/**
 * The row an edit or delete by one of FusionPBX's app classes leaves: `old`/`new` are the arrays as FusionPBX
 * would hold them (`{ "destinations": [ row ] }`), the result a plain OK. Skipped on an install without the
 * table.
 */
export async function logTransaction(
  q: Queryable,
  ctx: Pick<ActionContext, "schema" | "caller">,
  entry: { app: DatabaseApp; domainUuid: string; type: TransactionType; old?: unknown; new?: unknown },
): Promise<void> {
  if (!ctx.schema.hasTable("v_database_transactions")) return;
  const result = { message: "OK", code: "200", details: [{ name: entry.app.appName, message: "OK", code: "200" }] };
  await writeTransactionLog(q, {
    ...entry.app,
    address: ctx.caller.address ?? null,
    domainUuid: entry.domainUuid,
    type: entry.type,
    code: "200",
    oldJson: entry.old === undefined ? null : phpJsonPretty(entry.old),
    newJson: entry.new === undefined ? null : phpJsonPretty(entry.new),
    resultJson: phpJsonPretty(result),
  });
}
