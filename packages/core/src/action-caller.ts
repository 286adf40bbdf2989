import type { z } from "zod";
import type { AnyAction } from "./action.ts";
import { type ActionLeaf, type ActionTree, buildActionTree } from "./action-tree.ts";
import type { AuditSink } from "./audit/audit-sink.ts";
import type { ActionContext } from "./context.ts";
import { ActionError } from "./errors.ts";
import { runAction } from "./execute.ts";
import { actions } from "./registry.ts";

/** One action as a typed function: its input going in, its normalised output (the tRPC output) coming out. */
export type ActionCall<A> = A extends ActionLeaf
  ? Record<string, never> extends z.input<A["input"]>
    ? (input?: z.input<A["input"]>) => Promise<z.output<A["output"]>>
    : (input: z.input<A["input"]>) => Promise<z.output<A["output"]>>
  : never;

/** The caller tree: the same paths as the tRPC router, each a function. */
export type CallerTree<T> = { [K in keyof T]: T[K] extends ActionLeaf ? ActionCall<T[K]> : CallerTree<T[K]> };

/** `createCaller(ctx).calls.originate({...})` over the whole registry. */
export type ActionCaller = CallerTree<ActionTree<typeof actions>>;

export interface CallerOptions {
  /** Where each call's audit row goes; none (a status poll, a bot-internal lookup) writes no row. */
  audit?: AuditSink;
}

/**
 * Calls one action in process exactly as the tRPC face does: `runAction` (scope, input contract, handler,
 * audit), then the output contract, so the result has the typed faces' shape (booleans, numbers, ISO
 * times), never the PDO-typed legacy body. Failures are the action's `ActionError`s.
 */
export async function callAction(
  action: AnyAction,
  ctx: ActionContext,
  input: unknown,
  options: CallerOptions = {},
): Promise<unknown> {
  const raw = await runAction(action, ctx, input ?? {}, { audit: options.audit });
  const output = action.output.safeParse(raw);
  if (!output.success) {
    throw new ActionError("INTERNAL_SERVER_ERROR", `action ${action.name} returned output outside its contract`, {
      cause: output.error,
    });
  }
  return output.data;
}

/** A typed in-process caller for one context: what the Slack app, the CLI and tests use instead of raw rows. */
export function createCaller(ctx: ActionContext, options: CallerOptions = {}): ActionCaller {
  return createCallerFor(actions, ctx, options) as ActionCaller;
}

/** The same over another action list (tests with their own actions); untyped. */
export function createCallerFor(
  list: readonly AnyAction[],
  ctx: ActionContext,
  options: CallerOptions = {},
): Record<string, unknown> {
  return buildActionTree(list, (action) => (input?: unknown) => callAction(action, ctx, input, options));
}
