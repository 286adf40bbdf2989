import type { AnyAction } from "../action.ts";
import { destinationDelete } from "../actions/destination-delete.ts";
import { destinationList } from "../actions/destination-list.ts";
import { destinationUpdate } from "../actions/destination-update.ts";
import { domainList } from "../actions/domain-list.ts";
import { extensionDelete } from "../actions/extension-delete.ts";
import { extensionUpdate } from "../actions/extension-update.ts";
import { ringGroupDelete } from "../actions/ringgroup-delete.ts";
import { ringGroupDetails } from "../actions/ringgroup-details.ts";
import { ringGroupList } from "../actions/ringgroup-list.ts";
import { ringGroupUpdate } from "../actions/ringgroup-update.ts";

/** Beyond the original: lists, updates and deletes done the way FusionPBX's UI does them. */
export const manageActions = [
  domainList,
  extensionUpdate,
  extensionDelete,
  destinationList,
  destinationUpdate,
  destinationDelete,
  ringGroupList,
  ringGroupDetails,
  ringGroupUpdate,
  ringGroupDelete,
] as const satisfies readonly AnyAction[];
