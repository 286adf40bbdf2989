import type { MiddlewareHandler } from "hono";
import { bodyLimit } from "hono/body-limit";
import type { AppEnv } from "../env.ts";

/**
 * Refuses bodies above `maxBytes` with 413 and a body that says so, before anything reads them.
 *
 * A request that declares its length (Content-Length, no Transfer-Encoding) is judged by that header alone,
 * and a GET or HEAD without either carries no body: neither touches the body stream, which on Bun turns the
 * buffered body into a ReadableStream and makes every later read slower (bench/notes.md). Only a chunked
 * body, or one whose length nobody declared, is counted as it streams in (hono's bodyLimit).
 */
export function bodySize(maxBytes: number): MiddlewareHandler<AppEnv> {
  const refuse: Parameters<typeof bodyLimit>[0]["onError"] = (c) => {
    c.set("refusal", "body_too_large");
    return c.json({ error: `request body too large (limit ${maxBytes} bytes)` }, 413);
  };
  const streamed = bodyLimit({ maxSize: maxBytes, onError: refuse });
  return async (c, next) => {
    const headers = c.req.raw.headers;
    if (!headers.has("transfer-encoding")) {
      const declared = headers.get("content-length");
      if (declared !== null) {
        const length = Number(declared);
        if (!Number.isSafeInteger(length) || length < 0) return streamed(c, next);
        return length > maxBytes ? refuse(c) : next();
      }
      const method = c.req.method;
      if (method === "GET" || method === "HEAD") return next();
    }
    return streamed(c, next);
  };
}
