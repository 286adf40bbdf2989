import { outageError } from "@switchboard/core";
import type { Logger } from "@switchboard/runtime";
import type { Context, ErrorHandler, NotFoundHandler } from "hono";
import { HTTPException } from "hono/http-exception";
import type { AppEnv } from "../env.ts";

/** The last line of defence: a short JSON error, never a stack; the details go to the log only. */
export function errorHandler(logger: Logger): ErrorHandler<AppEnv> {
  return (error, c: Context<AppEnv>) => {
    if (error instanceof HTTPException && error.status < 500) {
      return c.json({ error: error.message || "bad request" }, error.status);
    }
    const outage = outageError(error);
    if (outage) return c.json({ error: outage.message }, 503);
    logger.error(
      {
        request_id: c.get("requestId"),
        error: error instanceof Error ? `${error.name}: ${error.message}` : String(error),
      },
      "unhandled error",
    );
    return c.json({ error: "internal_server_error" }, 500);
  };
}

export const notFoundHandler: NotFoundHandler<AppEnv> = (c) => c.json({ error: "not found" }, 404);
