import type { Queryable, SchemaInfo, Sql } from "@switchboard/db";
import type { SwitchPool } from "@switchboard/esl";
import type { Caller } from "./caller.ts";

/** Everything an action handler may use. Built by `createActionContext`, once per request. */
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

/** What a process serves actions from: built once at start-up by the runtime (or a test). */
export interface ActionServices {
  sql: Sql;
  schema: SchemaInfo;
  switches: SwitchPool;
  /** The clock; the real one unless a test fixes it. */
  now?: () => Date;
}

const realClock = () => new Date();

/** The one way to build an action context: the process's services plus who is asking. */
export function createActionContext(services: ActionServices, caller: Caller): ActionContext {
  return {
    sql: services.sql,
    schema: services.schema,
    switches: services.switches,
    caller,
    now: services.now ?? realClock,
  };
}

export type { Queryable };
