import type { MiddlewareHandler } from "hono";
import { bodyLimit } from "hono/body-limit";
import type { AppEnv } from "../env.ts";

/** Refuses bodies above `maxBytes` with 413 and a body that says so, before anything reads them. */
export function bodySize(maxBytes: number): MiddlewareHandler<AppEnv> {
  return bodyLimit({
    maxSize: maxBytes,
    onError: (c) => {
      c.set("refusal", "body_too_large");
      return c.json({ error: `request body too large (limit ${maxBytes} bytes)` }, 413);
    },
  });
}
