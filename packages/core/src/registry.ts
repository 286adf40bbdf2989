import type { AnyAction } from "./action.ts";
import { adminActions } from "./groups/admin.ts";
import { manageActions } from "./groups/manage.ts";
import { originalActions } from "./groups/original.ts";
import { switchActions } from "./groups/switch.ts";
import { webhookActions } from "./groups/webhooks.ts";

/** Every action, once. The faces are generated from this list. */
export const actions = [
  ...originalActions,
  ...switchActions,
  ...manageActions,
  ...adminActions,
  ...webhookActions,
] as const;

export const actionsByName: ReadonlyMap<string, AnyAction> = new Map(
  (actions as readonly AnyAction[]).map((a) => [a.name, a]),
);
export const actionsByPath: ReadonlyMap<string, AnyAction> = new Map(
  (actions as readonly AnyAction[]).map((a) => [a.path, a]),
);
