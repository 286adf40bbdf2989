// Compile-time check (run by `tsc` in typecheck): the in-process caller and the tRPC router are typed from
// one action tree, so their inputs and outputs are the same for every path checked here.
import type { ActionCaller } from "@switchboard/core";
import type { inferRouterInputs, inferRouterOutputs } from "@trpc/server";
import type { AppRouter } from "./router-types.ts";

type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type Inputs = inferRouterInputs<AppRouter>;
type Outputs = inferRouterOutputs<AppRouter>;
type CallerOutput<F> = F extends (...args: never[]) => Promise<infer O> ? O : never;
type CallerInput<F> = F extends (input: infer I) => unknown ? I : never;

export const callerMatchesRouter: [
  Same<CallerOutput<ActionCaller["calls"]["originate"]>, Outputs["calls"]["originate"]>,
  Same<CallerInput<ActionCaller["calls"]["originate"]>, Inputs["calls"]["originate"]>,
  Same<CallerOutput<ActionCaller["extensions"]["list"]>, Outputs["extensions"]["list"]>,
  Same<CallerOutput<ActionCaller["keys"]["list"]>, Outputs["keys"]["list"]>,
] = [true, true, true, true];

/** `mode: "original"` is the legacy route's own: the typed faces offer `async` and `sync` only. */
type OriginateMode = NonNullable<Inputs["calls"]["originate"]["mode"]>;
type PlaybackMode = NonNullable<Inputs["calls"]["playback"]["mode"]>;
export const typedModesOnly: [Same<OriginateMode, "async" | "sync">, Same<PlaybackMode, "async" | "sync">] = [
  true,
  true,
];
