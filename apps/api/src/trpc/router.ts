import { type ActionContext, type AnyAction, actions, runAction } from "@switchboard/core";
import type { AnyTRPCProcedure, TRPCRouterRecord } from "@trpc/server";
import type { AppDeps } from "../env.ts";
import type { TrpcContext } from "./context.ts";
import type { AppRouter } from "./router-types.ts";
import { toTrpcError } from "./errors.ts";
import { authedProcedure, t } from "./trpc.ts";

/** tRPC forbids these as router keys. */
const RESERVED = new Set(["call", "apply", "then"]);

/**
 * One procedure per action. Input goes through `runAction` (so bad input is audited and answered with zod's
 * issues); the output schema normalises the PDO-typed result (booleans, numbers, ISO times).
 */
function procedureFor(action: AnyAction): AnyTRPCProcedure {
  const builder = authedProcedure.input((raw: unknown) => raw ?? {}).output(action.output);
  const resolve = async ({ ctx, input }: { ctx: { caller: NonNullable<TrpcContext["caller"]>; deps: AppDeps }; input: unknown }) => {
    const actionCtx: ActionContext = {
      sql: ctx.deps.sql,
      schema: ctx.deps.schema,
      switches: ctx.deps.switches,
      caller: ctx.caller,
      now: ctx.deps.now ?? (() => new Date()),
    };
    try {
      return await runAction(action, actionCtx, input, { audit: ctx.deps.audit });
    } catch (error) {
      throw toTrpcError(error);
    }
  };
  return action.kind === "query" ? builder.query(resolve) : builder.mutation(resolve);
}

/** Nests `extensions.create` under `extensions`; refuses reserved and clashing paths at start-up. */
export function buildRecord(list: readonly AnyAction[]): TRPCRouterRecord {
  const root: TRPCRouterRecord = {};
  for (const action of list) {
    const segments = action.path.split(".");
    const reserved = segments.find((s) => RESERVED.has(s));
    if (reserved) throw new Error(`action ${action.name}: tRPC path ${action.path} uses the reserved key '${reserved}'`);
    let node = root;
    for (const segment of segments.slice(0, -1)) {
      const next = node[segment];
      if (next === undefined) node = node[segment] = {};
      else if (typeof next === "function" || "_def" in next) throw new Error(`tRPC path ${action.path} clashes with another action`);
      else node = next as TRPCRouterRecord;
    }
    const leaf = segments[segments.length - 1]!;
    if (node[leaf] !== undefined) throw new Error(`tRPC path ${action.path} is used twice`);
    node[leaf] = procedureFor(action);
  }
  return root;
}

export function createAppRouter(list: readonly AnyAction[] = actions): AppRouter {
  return t.router(buildRecord(list)) as unknown as AppRouter;
}

export type { AppRouter };
