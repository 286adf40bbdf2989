import type { Queryable, SchemaInfo, Sql } from "@switchboard/db";
import type { SwitchPool } from "@switchboard/esl";
import type { Caller } from "./caller.ts";

/** Everything an action handler may use. Faces build one per request. */
export interface ActionContext {
  /** The pool; use `ctx.sql.begin(...)` for multi-row writes. */
  sql: Sql;
  /** Live column types of the connected FusionPBX database (5.1 text flags vs 5.6 booleans, extra columns). */
  schema: SchemaInfo;
  /** Every configured FreeSWITCH: cache flushes go to all, calls to one. */
  switches: SwitchPool;
  caller: Caller;
  now: () => Date;
}

export type { Queryable };
