import type { z } from "zod";
import type { ActionDefinition, AnyAction } from "./action.ts";

/**
 * The registry as a tree of its tRPC paths: `extensions.create` → `{ extensions: { create: <action> } }`.
 * The in-process caller's type and the API's `AppRouter` type are both mapped from this one tree, so
 * they cannot disagree about a path, an input or an output.
 */
export type ActionTree<T extends readonly unknown[]> = Tidy<
  UnionToIntersection<{ [I in keyof T]: T[I] extends { path: infer P extends string } ? Nest<P, T[I]> : never }[number]>
>;

type Nest<Path extends string, A> = Path extends `${infer Head}.${infer Rest}`
  ? { [K in Head]: Nest<Rest, A> }
  : { [K in Path]: A };

type UnionToIntersection<U> = (U extends unknown ? (x: U) => void : never) extends (x: infer I) => void ? I : never;

/** A leaf of the tree: one action definition. */
export type ActionLeaf = ActionDefinition<z.ZodType, z.ZodType, string, "query" | "mutation">;

/** Flattens the intersections into one plain nested object type (what editors show and complete). */
type Tidy<T> = T extends ActionLeaf ? T : { [K in keyof T]: Tidy<T[K]> };

/** tRPC refuses these as router keys; a caller key named `then` would make the caller look like a promise. */
export const RESERVED_PATH_SEGMENTS: ReadonlySet<string> = new Set(["call", "apply", "then"]);

/**
 * Walks the registry's paths into a nested object, calling `leaf` for each action. Refuses reserved and
 * clashing paths, so a bad path fails at start-up on every face alike.
 */
export function buildActionTree<L>(
  list: readonly AnyAction[],
  leaf: (action: AnyAction) => L,
): Record<string, unknown> {
  const root: Record<string, unknown> = {};
  const leaves = new Set<unknown>();
  for (const action of list) {
    const segments = action.path.split(".");
    const reserved = segments.find((s) => RESERVED_PATH_SEGMENTS.has(s));
    if (reserved)
      throw new Error(`action ${action.name}: tRPC path ${action.path} uses the reserved key '${reserved}'`);
    let node = root;
    for (const segment of segments.slice(0, -1)) {
      const next = node[segment];
      if (next === undefined) node = node[segment] = {};
      else if (leaves.has(next)) throw new Error(`tRPC path ${action.path} clashes with another action`);
      else node = next as Record<string, unknown>;
    }
    const last = segments[segments.length - 1]!;
    if (node[last] !== undefined) throw new Error(`tRPC path ${action.path} is used twice`);
    const value = leaf(action);
    leaves.add(value);
    node[last] = value;
  }
  return root;
}
