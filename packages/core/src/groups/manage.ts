import type { AnyAction } from "../action.ts";

/** Beyond the original: lists, updates and deletes done the way FusionPBX's UI does them. */
export const manageActions = [] as const satisfies readonly AnyAction[];
