import { ActionError } from "@switchboard/core";
import { initTRPC, TRPCError } from "@trpc/server";
import type { TRPCDefaultErrorShape } from "@trpc/server";
import type { z } from "zod";
import type { TrpcContext } from "./context.ts";
import { readableIssues, zodErrorOf } from "./errors.ts";

export interface TrpcErrorData {
  code: TRPCDefaultErrorShape["data"]["code"];
  httpStatus: number;
  path: string | null;
  /** The same id as the response's X-Request-Id and the audit row. */
  requestId: string | null;
  /** zod's issues when the input was rejected. */
  issues: z.core.$ZodIssue[] | null;
  /** The first offending field, when one is known. */
  field: string | null;
}

export interface TrpcErrorShape {
  message: string;
  code: TRPCDefaultErrorShape["code"];
  data: TrpcErrorData;
}

export const t = initTRPC.context<TrpcContext>().create({
  // Never a stack trace, whatever NODE_ENV says.
  isDev: false,
  // events.stream over SSE: a ping well inside proxies' idle timeouts (nginx: 60 s); a client that hears
  // nothing for 30 s reconnects, resuming after the last event id it got.
  sse: { ping: { enabled: true, intervalMs: 15_000 }, client: { reconnectAfterInactivityMs: 30_000 } },
  errorFormatter({ shape, error, ctx }): TrpcErrorShape {
    const zodError = zodErrorOf(error);
    const actionError = error.cause instanceof ActionError ? error.cause : null;
    const message = zodError
      ? `invalid input: ${readableIssues(zodError)}`
      : error.code === "INTERNAL_SERVER_ERROR" && !actionError
        ? "internal server error"
        : shape.message;
    const field = actionError?.field ?? zodError?.issues[0]?.path.map(String).join(".") ?? null;
    return {
      message,
      code: shape.code,
      data: {
        code: shape.data.code,
        httpStatus: shape.data.httpStatus,
        path: shape.data.path ?? null,
        requestId: ctx?.requestId ?? null,
        issues: zodError?.issues ?? null,
        field: field || null,
      },
    };
  },
});

/** The verified caller; without one, the auth failure as the tRPC error. */
export function verifiedCaller(ctx: TrpcContext): NonNullable<TrpcContext["caller"]> {
  if (ctx.caller) return ctx.caller;
  const failure = ctx.authFailure ?? { code: "UNAUTHORIZED" as const, message: "unauthorized" };
  throw new TRPCError({ code: failure.code, message: failure.message });
}

/** Procedures that need a verified key: the auth failure becomes the tRPC error. */
export const protectedProcedure = t.procedure.use(({ ctx, next }) =>
  next({ ctx: { ...ctx, caller: verifiedCaller(ctx) } }),
);
