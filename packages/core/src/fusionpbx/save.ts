import type { Row, SchemaInfo, TransactionSql } from "@switchboard/db";
import { phpString } from "../legacy/php.ts";
import type { ActionContext } from "../context.ts";
import { type DatabaseApp, FUSIONPBX_CLASS_APPS, ORIGINAL_DATABASE_APP } from "./apps.ts";
import { phpJsonPretty } from "./php-json.ts";
import { type Cell, identifier, insertText, updateText } from "./rows.ts";
import { writeTransactionLog } from "./transaction-log.ts";
import { newUuid } from "./uuid.ts";
import { type SchemaGeneration, schemaGeneration } from "./values.ts";

/**
 * FusionPBX's `database->save($array)` (5.1 `resources/classes/database.php`), run inside a transaction the
 * caller owns so that several saves, checks and locks commit or roll back together.
 *
 * `array` is `{ "<table without v_>": [row, …] }`. A row's scalar keys are columns, in the order the
 * original built them; an array-valued key is a child table whose rows get the parent's key. A row whose
 * `<singular>_uuid` names an existing row is updated, otherwise inserted. Values follow save()'s rules:
 * null, `''` (PHP `== ''`) → NULL, else PHP string interpolation, trimmed. Inserts add `insert_date = now()`,
 * updates `update_date = now()`; the acting user is NULL (API callers are not FusionPBX users).
 * Columns the live schema lacks are left out (FusionPBX 5.1 would abort the request instead).
 */
export type SaveScalar = string | number | boolean | null | undefined;
export interface SaveRow {
  readonly [column: string]: SaveScalar | readonly SaveRow[];
}
export type SaveArray = Readonly<Record<string, readonly SaveRow[]>>;

/**
 * The `v_database_transactions` row FusionPBX writes after a save. `appName`/`appUuid` are what the caller
 * set on the database object; the version's save() then changes them as FusionPBX does (5.1: app_name
 * becomes the last table saved; 5.6: both come from the saved table's class when it declares them).
 */
export interface TransactionLog extends DatabaseApp {
  /** `transaction_address`: the client's IP. */
  address: string | null;
  /** FusionPBX writes the session's domain; the original API has none (NULL). */
  domainUuid?: string | null;
}

type ParamValue = string | number | boolean | null;

interface MessageDetail {
  name: string;
  message: string;
  code: string;
  uuid: string;
  sql: string;
  params: Record<string, ParamValue>;
}

/** save()'s return value (`$this->message`), also stored as `transaction_result`. */
export interface SaveMessage {
  message?: string;
  code?: string;
  uuid?: string;
  details: MessageDetail[];
}

export interface SaveResult {
  message: SaveMessage;
  /** The app name/uuid the transaction row got. */
  app: DatabaseApp;
  transactionType: "add" | "update";
  /** `<table>` → uuids written, in order. */
  written: Record<string, string[]>;
}

const AUDIT_COLUMNS = new Set(["insert_date", "insert_user", "update_date", "update_user"]);

/** FusionPBX's `database::singular`: `ring_groups` → `ring_group`, `addresses` → `address`, `countries` → `country`. */
export function singular(word: string): string {
  if (word.endsWith("es")) {
    if (word.endsWith("sses")) return word.slice(0, -2);
    if (word.endsWith("ses")) return word.slice(0, -1);
    if (word.endsWith("ies")) return `${word.slice(0, -3)}y`;
    const third = word.at(-3);
    if (third === "x" || third === "s" || third === "z") return word.slice(0, -2);
    const pair = word.slice(-4, -2);
    if (pair === "sh" || pair === "ch") return word.slice(0, -2);
    return word.replace(/s+$/, "");
  }
  return word.replace(/s+$/, "");
}

function isChildList(value: unknown): value is readonly SaveRow[] {
  return Array.isArray(value);
}

/** save()'s null test for parent rows (`!isset($v) || $v == ''`, PHP 7.4). */
function isNullForParent(value: SaveScalar): boolean {
  return value === null || value === undefined || value === "" || value === false || value === 0;
}

/** save()'s null test for child rows (`!isset($v) || strlen($v) == 0`). */
function isNullForChild(value: SaveScalar): boolean {
  return value === null || value === undefined || phpString(value).length === 0;
}

interface PreparedWrite {
  sqlText: string;
  phpSql: string;
  values: (string | null)[];
  params: Record<string, ParamValue>;
}

/** A key column save() adds in front of the row's own columns, and its placeholder name in 5.6. */
interface LeadingKey {
  column: string;
  value: string;
  param: "parent_key_value" | "child_key_value";
}

/** How save() records a bound value in its message: 5.1 binds trimmed text, 5.6 keeps PHP types. */
function messageParam(generation: SchemaGeneration, value: SaveScalar): ParamValue {
  if (generation === "5.1" || typeof value === "string") return phpString(value).trim();
  return value ?? null;
}

function insertStatement(
  schema: SchemaInfo,
  generation: SchemaGeneration,
  table: string,
  leading: readonly LeadingKey[],
  row: SaveRow,
  isNull: (v: SaveScalar) => boolean,
): PreparedWrite {
  const cells: Cell[] = [];
  const phpColumns: string[] = [];
  const phpValues: string[] = [];
  const values: (string | null)[] = [];
  const params: Record<string, ParamValue> = {};
  for (const key of leading) {
    values.push(key.value);
    cells.push([key.column, `$${values.length}`]);
    phpColumns.push(key.column);
    if (generation === "5.1") {
      phpValues.push(`'${key.value}'`);
    } else {
      phpValues.push(`:${key.param}`);
      params[key.param] = key.value;
    }
  }
  for (const [column, raw] of Object.entries(row)) {
    if (isChildList(raw) || AUDIT_COLUMNS.has(column)) continue;
    const value = raw as SaveScalar;
    if (!schema.hasColumn(table, column)) continue;
    phpColumns.push(column);
    if (isNull(value)) {
      cells.push([column, "null"]);
      phpValues.push("null");
    } else {
      const text = phpString(value).trim();
      values.push(text);
      cells.push([column, `$${values.length}`]);
      phpValues.push(`:${column}`);
      params[column] = messageParam(generation, value);
    }
  }
  params["insert_user"] = null;
  // save() always writes the stamps: every table it is used on has them.
  const sqlText = insertText(table, cells, () => true);
  const phpSql = `INSERT INTO ${table} (${phpColumns.map((c) => `${c}, `).join("")}insert_date, insert_user ) VALUES (${phpValues.map((v) => `${v}, `).join("")}now(), :insert_user );`;
  return { sqlText, phpSql, values, params };
}

function updateStatement(
  schema: SchemaInfo,
  table: string,
  row: SaveRow,
  skip: ReadonlySet<string>,
  where: readonly (readonly [string, string])[],
): PreparedWrite {
  const sets: Cell[] = [];
  const phpSets: string[] = [];
  const values: (string | null)[] = [];
  const params: Record<string, ParamValue> = {};
  for (const [column, raw] of Object.entries(row)) {
    if (isChildList(raw) || skip.has(column) || AUDIT_COLUMNS.has(column)) continue;
    const value = raw as SaveScalar;
    if (!schema.hasColumn(table, column)) continue;
    if (value === null || value === undefined || value === "") {
      sets.push([column, "null"]);
      phpSets.push(`${column} = null`);
    } else {
      const text = phpString(value).trim();
      values.push(text);
      sets.push([column, `$${values.length}`]);
      phpSets.push(`${column} = :${column}`);
      params[column] = text;
    }
  }
  params["update_user"] = null;
  const conditions = where.map(([column, value]): Cell => {
    values.push(value);
    return [column, `$${values.length}`];
  });
  const sqlText = updateText(table, sets, conditions, () => true);
  const phpWhere = where.map(([column, value]) => `${column} = '${value}'`).join(" AND ");
  const phpSql = `UPDATE ${table} SET ${phpSets.map((s) => `${s}, `).join("")}update_date = now(), update_user = :update_user WHERE ${phpWhere}; `;
  return { sqlText, phpSql, values, params };
}

async function existingRow(
  tx: TransactionSql,
  schema: SchemaInfo,
  table: string,
  row: SaveRow,
  keyName: string,
  key: string,
) {
  const columns = Object.entries(row)
    .filter(([column, value]) => !isChildList(value) && schema.hasColumn(table, column))
    .map(([column]) => identifier(column));
  if (columns.length === 0) columns.push(identifier(keyName));
  const rows = await tx.unsafe<Row[]>(
    `select ${columns.join(", ")} from ${identifier(table)} where ${identifier(keyName)} = $1`,
    [key],
  );
  return rows[0];
}

/** Runs save() inside `tx` and, when `log` is given and the table exists, writes the transaction row. */
export async function saveArray(
  tx: TransactionSql,
  schema: SchemaInfo,
  array: SaveArray,
  log: TransactionLog | null,
): Promise<SaveResult> {
  const generation = schemaGeneration(schema);
  // 5.1 logs the array exactly as the action built it; 5.6 logs each row it added, children again under
  // their singular table name.
  const newArray: Record<string, unknown[]> = {};
  const addNew = (name: string, row: SaveRow) => {
    const list = newArray[name] ?? [];
    newArray[name] = list;
    list.push(row);
  };
  let app = log ? { appName: log.appName, appUuid: log.appUuid } : { appName: "", appUuid: "" };
  const message: SaveMessage = { details: [] };
  const oldArray: Record<string, unknown[]> = {};
  const written: Record<string, string[]> = {};
  const record = (table: string, uuid: string) => {
    const list = written[table] ?? [];
    written[table] = list;
    list.push(uuid);
  };

  for (const [schemaName, rows] of Object.entries(array)) {
    if (generation === "5.1") app = { ...app, appName: schemaName };
    else app = FUSIONPBX_CLASS_APPS[schemaName] ?? app;
    const table = `v_${schemaName}`;
    const keyName = `${singular(schemaName)}_uuid`;
    for (const [rowIndex, row] of rows.entries()) {
      const given = row[keyName];
      const keyGiven = typeof given === "string" && given !== "";
      const key = keyGiven ? (given as string).trim() : newUuid();
      const old = keyGiven ? await existingRow(tx, schema, table, row, keyName, key) : undefined;
      let write: PreparedWrite;
      if (old) {
        const olds = oldArray[schemaName] ?? [];
        oldArray[schemaName] = olds;
        olds.push(old);
        write = updateStatement(schema, table, row, new Set([keyName]), [[keyName, key]]);
      } else {
        const leading: LeadingKey[] = keyGiven ? [] : [{ column: keyName, value: key, param: "parent_key_value" }];
        write = insertStatement(schema, generation, table, leading, row, isNullForParent);
      }
      addNew(schemaName, row);
      await tx.unsafe(write.sqlText, write.values);
      record(table, key);
      message.message = "OK";
      message.code = "200";
      message.uuid = key;
      const detailName = generation === "5.1" ? schemaName : app.appName;
      message.details.push({
        name: detailName,
        message: "OK",
        code: "200",
        uuid: key,
        sql: write.phpSql,
        params: write.params,
      });

      for (const [childName, childRows] of Object.entries(row)) {
        if (!isChildList(childRows)) continue;
        const childTable = `v_${childName}`;
        const childKeyName = `${singular(childName)}_uuid`;
        for (const childRow of childRows) {
          const leading: LeadingKey[] = [];
          if (!(keyName in childRow)) leading.push({ column: keyName, value: key, param: "parent_key_value" });
          const childGiven = childRow[childKeyName];
          const childKeyGiven = typeof childGiven === "string" && childGiven.trim() !== "";
          const childKey = childKeyGiven ? (childGiven as string).trim() : newUuid();
          const childOld = childKeyGiven
            ? await existingRow(tx, schema, childTable, childRow, childKeyName, childKey)
            : undefined;
          let childWrite: PreparedWrite;
          if (childOld) {
            const parentOld = oldArray[schemaName]?.[rowIndex];
            if (parentOld && typeof parentOld === "object") {
              const parent = parentOld as Record<string, unknown>;
              const list = Array.isArray(parent[childName]) ? (parent[childName] as unknown[]) : [];
              parent[childName] = list;
              list.push(childOld);
            }
            childWrite = updateStatement(schema, childTable, childRow, new Set(), [
              [keyName, key],
              [childKeyName, childKey],
            ]);
          } else {
            if (!childKeyGiven) leading.push({ column: childKeyName, value: childKey, param: "child_key_value" });
            childWrite = insertStatement(schema, generation, childTable, leading, childRow, isNullForChild);
          }
          addNew(singular(childName), childRow);
          await tx.unsafe(childWrite.sqlText, childWrite.values);
          record(childTable, childKey);
          message.details.push({
            name: childName,
            message: "OK",
            code: "200",
            uuid: childKey,
            sql: childWrite.phpSql,
            params: childWrite.params,
          });
        }
      }
    }
  }

  const transactionType = Object.keys(oldArray).length > 0 ? "update" : "add";
  if (log && schema.hasTable("v_database_transactions")) {
    const logged = generation === "5.1" ? array : newArray;
    await writeTransactionLog(tx, {
      ...log,
      ...app,
      type: transactionType,
      code: message.code ?? "200",
      oldJson: Object.keys(oldArray).length > 0 ? phpJsonPretty(oldArray) : null,
      newJson: Object.keys(logged).length > 0 ? phpJsonPretty(logged) : null,
      resultJson: phpJsonPretty(message),
    });
  }
  return { message, app, transactionType, written };
}

/** save() as the original's actions called it: the REST API app set on the database object, the client's address. */
export function saveAsOriginal(
  tx: TransactionSql,
  ctx: Pick<ActionContext, "schema" | "caller">,
  array: SaveArray,
): Promise<SaveResult> {
  return saveArray(tx, ctx.schema, array, { ...ORIGINAL_DATABASE_APP, address: ctx.caller.address ?? null });
}
