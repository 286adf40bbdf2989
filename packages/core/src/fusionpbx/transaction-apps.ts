import { APP_UUID } from "./dialplan-xml.ts";
import type { SchemaGeneration } from "./values.ts";

export type OriginalSave = "destination-create" | "extension-create" | "ringgroup-create";

/**
 * The `app_name`/`app_uuid` the `v_database_transactions` row gets for the original's saves (§5.3). The
 * original sets `rest_api`/its own uuid, but 5.1's database class overwrites app_name with the last table
 * saved, and 5.6's takes both from the saved table's class when it has one.
 */
export function transactionApp(generation: SchemaGeneration, save: OriginalSave): { appName: string; appUuid: string } {
  if (generation === "5.1") {
    return { appName: save === "extension-create" ? "voicemails" : "dialplans", appUuid: APP_UUID.restApi };
  }
  switch (save) {
    case "destination-create":
      return { appName: "destinations", appUuid: APP_UUID.destinations };
    case "ringgroup-create":
      return { appName: "ring_groups", appUuid: APP_UUID.ringGroups };
    case "extension-create":
      return { appName: "rest_api", appUuid: APP_UUID.restApi };
  }
}
