import type { MiddlewareHandler } from "hono";
import type { AppEnv } from "../env.ts";

interface BunServerLike {
  requestIP?: (request: Request) => { address: string } | null;
}
interface NodeBindingsLike {
  incoming?: { socket?: { remoteAddress?: string } };
}

/**
 * The peer address from the server the app runs in: Bun passes its server as the fetch `env`,
 * @hono/node-server passes `{ incoming }`. Forwarded-for headers are not trusted.
 */
export function peerAddress(env: unknown, request: Request): string {
  const bun = env as BunServerLike | undefined;
  if (typeof bun?.requestIP === "function") {
    const ip = bun.requestIP(request);
    if (ip?.address) return ip.address;
  }
  const node = env as NodeBindingsLike | undefined;
  return node?.incoming?.socket?.remoteAddress ?? "unknown";
}

export function clientAddress(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    c.set("address", peerAddress(c.env, c.req.raw));
    await next();
  };
}
