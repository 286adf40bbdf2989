import type { Queryable, SchemaInfo } from "@switchboard/db";
import { type ColumnValue, deleteRows, insertRow, type Row, selectRow, updateRows } from "./rows.ts";

/**
 * The `v_dialplans` row (with its `v_dialplan_details`) that a destination or a ring group owns through its
 * `dialplan_uuid`, as FusionPBX's editors rewrite or delete it with its owner.
 */

/** The owner's dialplan locked for an update, and the uuid to write it under (a fresh one when it is gone). */
export async function lockOwnedDialplan(
  q: Queryable,
  schema: SchemaInfo,
  dialplanUuid: unknown,
): Promise<{ old: Row | undefined; uuid: string }> {
  const old =
    typeof dialplanUuid === "string"
      ? await selectRow(q, schema, "v_dialplans", { dialplan_uuid: dialplanUuid }, { forUpdate: true })
      : undefined;
  return { old, uuid: old ? String(dialplanUuid) : crypto.randomUUID() };
}

/** Updates the locked dialplan when it exists, else inserts it under `uuid`; the row written. */
export async function writeOwnedDialplan(
  q: Queryable,
  schema: SchemaInfo,
  dialplan: { old: Row | undefined; uuid: string },
  values: Record<string, ColumnValue>,
): Promise<Row> {
  if (dialplan.old) return (await updateRows(q, schema, "v_dialplans", { dialplan_uuid: dialplan.uuid }, values))[0]!;
  return insertRow(q, schema, "v_dialplans", { dialplan_uuid: dialplan.uuid, ...values });
}

/** Deletes the owner's dialplan details, then the dialplan (nothing when it has none); the rows deleted. */
export async function deleteOwnedDialplan(
  q: Queryable,
  schema: SchemaInfo,
  dialplanUuid: unknown,
): Promise<{ dialplans: Row[]; details: Row[] }> {
  if (typeof dialplanUuid !== "string") return { dialplans: [], details: [] };
  const details = await deleteRows(q, schema, "v_dialplan_details", { dialplan_uuid: dialplanUuid });
  const dialplans = await deleteRows(q, schema, "v_dialplans", { dialplan_uuid: dialplanUuid });
  return { dialplans, details };
}
