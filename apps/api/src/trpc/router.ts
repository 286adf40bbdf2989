import { type AnyAction, actions, buildActionTree, createActionContext, runAction } from "@switchboard/core";
import { type AnyTRPCProcedure, TRPCError, type TRPCRouterRecord } from "@trpc/server";
import type { TrpcContext } from "./context.ts";
import { readableIssues, toTrpcError } from "./errors.ts";
import { eventStreamProcedure } from "./event-stream.ts";
import type { AppRouter } from "./router-types.ts";
import { t, verifiedCaller } from "./trpc.ts";

/**
 * One procedure per action. The caller must be verified (as `protectedProcedure` demands); input goes through
 * `runAction` (so bad input is audited and answered with zod's issues); the output schema normalises the
 * PDO-typed result (booleans, numbers, ISO times). The check and the normalisation run in the resolver
 * rather than as tRPC middleware: each middleware level costs every call a copy of tRPC's options object
 * (bench/notes.md).
 */
function procedureFor(action: AnyAction): AnyTRPCProcedure {
  const run = async (ctx: TrpcContext, input: unknown) => {
    const caller = verifiedCaller(ctx);
    ctx.markActionRan(action.path);
    let output: unknown;
    try {
      output = await runAction(action, createActionContext(ctx.deps, caller), input, { audit: ctx.deps.audit });
    } catch (error) {
      throw toTrpcError(error);
    }
    const normalised = action.output.safeParse(output);
    if (!normalised.success) {
      throw new TRPCError({
        code: "INTERNAL_SERVER_ERROR",
        message: "internal server error",
        cause: new Error(`${action.name} answered outside its output contract: ${readableIssues(normalised.error)}`),
      });
    }
    return normalised.data;
  };
  const builder = t.procedure.input(inputOf);
  const resolve = ({ ctx, input }: { ctx: TrpcContext; input: unknown }) => run(ctx, input);
  const procedure = action.kind === "query" ? builder.query(resolve) : builder.mutation(resolve);
  directCalls.set(procedure, (ctx, rawInput) => run(ctx, inputOf(rawInput)));
  return procedure;
}

/** An action's input as tRPC hands it over: none at all is an empty object (the action's schema decides). */
const inputOf = (raw: unknown) => raw ?? {};

type DirectCall = (ctx: TrpcContext, rawInput: unknown) => Promise<unknown>;
const directCalls = new WeakMap<AnyTRPCProcedure, DirectCall>();

/**
 * What an action's procedure runs, without tRPC's procedure machinery (two middleware levels, each copying
 * its options object: bench/notes.md): the same input handling, caller check, action and output check.
 * Undefined for procedures that are not actions (the event stream). Errors are thrown as the procedure
 * would throw them before tRPC wraps them (`getTRPCErrorFromUnknown` gives the same error either way).
 */
export function directCallOf(procedure: unknown): DirectCall | undefined {
  return directCalls.get(procedure as AnyTRPCProcedure);
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
