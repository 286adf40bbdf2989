import type { Runtime } from "@switchboard/runtime";

/** What the bot runs on: the same runtime (database, switches, audit log, logger) as the API. */
export type BotServices = Pick<
  Runtime,
  "sql" | "schema" | "switches" | "audit" | "now" | "logger" | "caller" | "context"
>;
