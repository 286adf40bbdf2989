import { SwitchUnavailableError } from "@switchboard/esl";
import { ActionError } from "./errors.ts";

const DATABASE_DOWN_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ETIMEDOUT",
  "EPIPE",
  "CONNECTION_CLOSED",
  "CONNECTION_ENDED",
  "CONNECTION_DESTROYED",
  "CONNECT_TIMEOUT",
  "57P01", // admin_shutdown
  "57P02", // crash_shutdown
  "57P03", // cannot_connect_now
  "53300", // too_many_connections
  "08000", // connection_exception
  "08001", // sqlclient_unable_to_establish_sqlconnection
  "08003", // connection_does_not_exist
  "08004", // sqlserver_rejected_establishment_of_sqlconnection
  "08006", // connection_failure
]);

/** Maps an outage (database or switch down) to SERVICE_UNAVAILABLE naming what is down; else undefined. */
export function outageError(error: unknown): ActionError | undefined {
  if (error instanceof ActionError) return undefined;
  if (error instanceof SwitchUnavailableError) {
    return new ActionError("SERVICE_UNAVAILABLE", `FreeSWITCH unavailable (${error.switchName})`, { cause: error });
  }
  const code = (error as { code?: unknown } | null)?.code;
  // FATAL ends the session whatever the code (a database refusing connections: 55000 at start-up).
  const severity = (error as { severity?: unknown } | null)?.severity;
  if ((typeof code === "string" && DATABASE_DOWN_CODES.has(code)) || severity === "FATAL" || severity === "PANIC") {
    return new ActionError("SERVICE_UNAVAILABLE", "database unavailable", { cause: error });
  }
  return undefined;
}
