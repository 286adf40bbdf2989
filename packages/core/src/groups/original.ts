import type { AnyAction } from "../action.ts";

/** The nine actions of the original app at HEAD (original-actions.md §6). */
export const originalActions = [] as const satisfies readonly AnyAction[];
