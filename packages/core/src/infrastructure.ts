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
  "57P03", // cannot_connect_now
]);

/** Maps an outage (database or switch down) to SERVICE_UNAVAILABLE naming what is down; else undefined. */
export function outageError(error: unknown): ActionError | undefined {
  if (error instanceof ActionError) return undefined;
  if (error instanceof SwitchUnavailableError) {
    return new ActionError("SERVICE_UNAVAILABLE", `FreeSWITCH unavailable (${error.switchName})`, { cause: error });
  }
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === "string" && DATABASE_DOWN_CODES.has(code)) {
    return new ActionError("SERVICE_UNAVAILABLE", "database unavailable", { cause: error });
  }
  return undefined;
}
