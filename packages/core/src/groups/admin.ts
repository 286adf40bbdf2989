import type { AnyAction } from "../action.ts";

/** Key management and the audit log (admin scope). */
export const adminActions = [] as const satisfies readonly AnyAction[];
