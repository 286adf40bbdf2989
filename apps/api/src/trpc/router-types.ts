import type { ActionLeaf, ActionTree, actions } from "@switchboard/core";
import type { TRPCBuiltRouter, TRPCMutationProcedure, TRPCQueryProcedure } from "@trpc/server";
import type { z } from "zod";
import type { TrpcContext } from "./context.ts";
import type { eventStreamProcedure } from "./event-stream.ts";
import type { TrpcErrorShape } from "./trpc.ts";

/** One action as a tRPC procedure: its zod input going in, its normalised output coming out. */
type ProcedureOf<A extends ActionLeaf> = A["kind"] extends "query"
  ? TRPCQueryProcedure<{ input: z.input<A["input"]>; output: z.output<A["output"]>; meta: object }>
  : TRPCMutationProcedure<{ input: z.input<A["input"]>; output: z.output<A["output"]>; meta: object }>;

/** The registry's action tree (the in-process caller's tree too) with each action as a procedure. */
type ProceduresOf<T> = { [K in keyof T]: T[K] extends ActionLeaf ? ProcedureOf<T[K]> : ProceduresOf<T[K]> };

export type ActionRouterRecord = ProceduresOf<ActionTree<typeof actions>>;

/** The live event stream (a subscription, not an action), beside any `events.*` actions. */
type EventStreamRecord = { events: { stream: typeof eventStreamProcedure } };

type WithEventStream<R> = R extends { events: infer E }
  ? Omit<R, "events"> & { events: E & EventStreamRecord["events"] }
  : R & EventStreamRecord;

export type AppRouter = TRPCBuiltRouter<
  { ctx: TrpcContext; meta: object; errorShape: TrpcErrorShape; transformer: false },
  WithEventStream<ActionRouterRecord>
>;
