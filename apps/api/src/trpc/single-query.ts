import type { AnyTRPCRouter } from "@trpc/server";
import {
  getErrorShape,
  getHTTPStatusCode,
  getTRPCErrorFromUnknown,
  transformTRPCResponse,
} from "@trpc/server/unstable-core-do-not-import";
import type { Context, MiddlewareHandler } from "hono";
import type { AppEnv } from "../env.ts";
import type { TrpcContext } from "./context.ts";
import { directCallOf } from "./router.ts";

interface SingleQueryOptions {
  router: AnyTRPCRouter;
  createContext(c: Context<AppEnv>): Promise<TrpcContext>;
  responseHeaders(ctx: TrpcContext | undefined): Record<string, string>;
  onError(error: ReturnType<typeof getTRPCErrorFromUnknown>, ctx: TrpcContext | undefined): void;
}

type Procedure = { _def: { type: string } };

/**
 * The common tRPC call, one query by GET (`/trpc/domains.details?input=…`, what httpLink sends), answered
 * without tRPC's generic HTTP resolver or its procedure machinery: the same call an action's procedure makes
 * (router.ts `directCallOf`: input, caller check, action, output check), the same body, status and headers as
 * @trpc/server's fetch adapter gives a single query, at a fraction of its per-request cost (bench/notes.md).
 * Anything else — batches, streams, mutations, procedures that are not actions, unknown paths, input that is
 * not JSON — goes on to the adapter untouched, before anything has run.
 */
export function singleQuery(options: SingleQueryOptions): MiddlewareHandler<AppEnv> {
  const procedures = options.router._def.procedures as Record<string, Procedure | undefined>;
  const config = options.router._def._config;
  return async (c, next) => {
    if (c.req.method !== "GET") return next();
    const url = c.req.url;
    const queryAt = url.indexOf("?");
    const pathStart = url.indexOf("/trpc/") + "/trpc/".length;
    const path = url.slice(pathStart, queryAt === -1 ? undefined : queryAt);
    const procedure = procedures[path];
    const call = procedure?._def.type === "query" ? directCallOf(procedure) : undefined;
    if (!call) return next();
    const accept = c.req.header("trpc-accept") ?? c.req.header("accept");
    if (accept?.includes("application/jsonl")) return next();
    let input: unknown;
    if (queryAt !== -1) {
      const params = new URLSearchParams(url.slice(queryAt + 1));
      for (const key of params.keys()) if (key !== "input") return next();
      const raw = params.get("input");
      if (raw !== null) {
        try {
          input = JSON.parse(raw);
        } catch {
          return next();
        }
      }
    }

    let ctx: TrpcContext | undefined;
    let body: unknown;
    let status = 200;
    try {
      ctx = await options.createContext(c);
      const data = await call(ctx, input);
      body = { result: { data } };
    } catch (cause) {
      const error = getTRPCErrorFromUnknown(cause);
      options.onError(error, ctx);
      const shape = getErrorShape({ config, ctx, error, input, path, type: "query" });
      body = { error: shape };
      status = getHTTPStatusCode(body as never, [error]);
    }
    const headers = new Headers([
      ["vary", "trpc-accept, accept"],
      ["content-type", "application/json"],
    ]);
    for (const [name, value] of Object.entries(options.responseHeaders(ctx))) headers.set(name, value);
    return new Response(JSON.stringify(transformTRPCResponse(config, body as never)), { status, headers });
  };
}
