import { APP_UUID } from "./dialplan-xml.ts";

/** What the original sets on FusionPBX's database object before each save. */
export const ORIGINAL_DATABASE_APP = { appName: "rest_api", appUuid: APP_UUID.restApi } as const;

/**
 * FusionPBX 5.6's save() takes app_name/app_uuid from the class named like the saved table when that class
 * declares them (`destinations`, `ring_groups`); other tables leave the caller's values. Observed rows
 * (original-actions.md §5.3): destination-create → destinations, ringgroup-create → ring_groups,
 * extension-create → rest_api.
 */
export const FUSIONPBX_CLASS_APPS: Readonly<Record<string, { appName: string; appUuid: string }>> = {
  destinations: { appName: "destinations", appUuid: APP_UUID.destinations },
  ring_groups: { appName: "ring_groups", appUuid: APP_UUID.ringGroups },
};
