import type { AnyAction } from "../action.ts";
import { auditList } from "../actions/audit-list.ts";
import { domainCreate } from "../actions/domain-create.ts";
import { domainDelete } from "../actions/domain-delete.ts";
import { domainUpdate } from "../actions/domain-update.ts";
import { keyCreate } from "../actions/key-create.ts";
import { keyList } from "../actions/key-list.ts";
import { keyRevoke } from "../actions/key-revoke.ts";
import { refusalList } from "../actions/refusal-list.ts";

/** Key management, the audit log, refused requests and domains (admin scope). */
export const adminActions = [
  keyCreate,
  keyList,
  keyRevoke,
  auditList,
  refusalList,
  domainCreate,
  domainUpdate,
  domainDelete,
] as const satisfies readonly AnyAction[];
