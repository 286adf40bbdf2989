import type { AuditSink } from "@switchboard/core";
import type { SchemaInfo, Sql } from "@switchboard/db";
import type { SwitchPool } from "@switchboard/esl";

/** What the bot runs on: the same database, switches and audit log as the API. */
export interface BotServices {
  sql: Sql;
  schema: SchemaInfo;
  switches: SwitchPool;
  audit: AuditSink;
  now: () => Date;
}
