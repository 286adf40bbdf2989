import type { ActionDefinition, actions } from "@switchboard/core";
import type { AnyTRPCProcedure, TRPCBuiltRouter, TRPCMutationProcedure, TRPCQueryProcedure } from "@trpc/server";
import type { z } from "zod";
import type { TrpcErrorShape } from "./trpc.ts";
import type { TrpcContext } from "./context.ts";

/** One action as a tRPC procedure: its zod input going in, its normalised output coming out. */
type ProcedureOf<A> =
  A extends ActionDefinition<infer I, infer O, string, infer K>
    ? K extends "query"
      ? TRPCQueryProcedure<{ input: z.input<I>; output: z.output<O>; meta: object }>
      : TRPCMutationProcedure<{ input: z.input<I>; output: z.output<O>; meta: object }>
    : never;

/** `extensions.create` → `{ extensions: { create: Procedure } }`. */
type Nest<Path extends string, A> = Path extends `${infer Head}.${infer Rest}`
  ? { [K in Head]: Nest<Rest, A> }
  : { [K in Path]: ProcedureOf<A> };

type UnionToIntersection<U> = (U extends unknown ? (x: U) => void : never) extends (x: infer I) => void ? I : never;

/** Flattens the intersections into one plain nested object type (what editors show and complete). */
type Tidy<T> = T extends AnyTRPCProcedure ? T : { [K in keyof T]: Tidy<T[K]> };

type RecordOf<T extends readonly unknown[]> = Tidy<
  UnionToIntersection<{ [I in keyof T]: T[I] extends { path: infer P extends string } ? Nest<P, T[I]> : never }[number]>
>;

export type ActionRouterRecord = RecordOf<typeof actions>;

export type AppRouter = TRPCBuiltRouter<
  { ctx: TrpcContext; meta: object; errorShape: TrpcErrorShape; transformer: false },
  ActionRouterRecord
>;
