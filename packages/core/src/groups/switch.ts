import type { AnyAction } from "../action.ts";

/** Actions that talk to FreeSWITCH: the deleted ones users relied on, async calls and call status. */
export const switchActions = [] as const satisfies readonly AnyAction[];
