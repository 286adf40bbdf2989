import { type AnyAction, actions, buildActionTree, createActionContext, runAction } from "@switchboard/core";
import type { AnyTRPCProcedure, TRPCRouterRecord } from "@trpc/server";
import type { TrpcContext } from "./context.ts";
import { toTrpcError } from "./errors.ts";
import { eventStreamProcedure } from "./event-stream.ts";
import type { AppRouter } from "./router-types.ts";
import { protectedProcedure, t } from "./trpc.ts";

/**
 * One procedure per action. Input goes through `runAction` (so bad input is audited and answered with zod's
 * issues); the output schema normalises the PDO-typed result (booleans, numbers, ISO times).
 */
function procedureFor(action: AnyAction): AnyTRPCProcedure {
  const builder = protectedProcedure.input((raw: unknown) => raw ?? {}).output(action.output);
  const resolve = async ({
    ctx,
    input,
  }: {
    ctx: TrpcContext & { caller: NonNullable<TrpcContext["caller"]> };
    input: unknown;
  }) => {
    ctx.markActionRan(action.path);
    try {
      return await runAction(action, createActionContext(ctx.deps, ctx.caller), input, { audit: ctx.deps.audit });
    } catch (error) {
      throw toTrpcError(error);
    }
  };
  return action.kind === "query" ? builder.query(resolve) : builder.mutation(resolve);
}

/** The registry's action tree (the in-process caller's tree) with a procedure at each leaf. */
export function buildRecord(list: readonly AnyAction[]): TRPCRouterRecord {
  return buildActionTree(list, procedureFor) as TRPCRouterRecord;
}

export function createAppRouter(list: readonly AnyAction[] = actions): AppRouter {
  const record = buildRecord(list);
  // The one procedure that is not an action: the live event stream (docs/events.md).
  const events = (record.events ?? {}) as TRPCRouterRecord;
  if ("stream" in events) throw new Error("tRPC path events.stream is used twice");
  return t.router({ ...record, events: { ...events, stream: eventStreamProcedure } }) as unknown as AppRouter;
}

export type { AppRouter };
