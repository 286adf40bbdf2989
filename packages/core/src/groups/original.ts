import type { AnyAction } from "../action.ts";
import { cdrList } from "../actions/cdr-list.ts";
import { destinationCreate } from "../actions/destination-create.ts";
import { destinationDetails } from "../actions/destination-details.ts";
import { domainDetails } from "../actions/domain-details.ts";
import { extensionCreate } from "../actions/extension-create.ts";
import { extensionDetails } from "../actions/extension-details.ts";
import { extensionList } from "../actions/extension-list.ts";
import { ringGroupCreate } from "../actions/ringgroup-create.ts";

/** The nine actions of the original app at HEAD (docs/original-api.md §5); `originate` lives with the switch actions. */
export const originalActions = [
  domainDetails,
  extensionList,
  extensionDetails,
  extensionCreate,
  destinationCreate,
  destinationDetails,
  ringGroupCreate,
  cdrList,
] as const satisfies readonly AnyAction[];
