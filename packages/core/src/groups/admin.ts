import type { AnyAction } from "../action.ts";
import { auditList } from "../actions/audit-list.ts";
import { keyCreate } from "../actions/key-create.ts";
import { keyList } from "../actions/key-list.ts";
import { keyRevoke } from "../actions/key-revoke.ts";

/** Key management and the audit log (admin scope). */
export const adminActions = [keyCreate, keyList, keyRevoke, auditList] as const satisfies readonly AnyAction[];
