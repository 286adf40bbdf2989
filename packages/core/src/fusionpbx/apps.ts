/** App uuids FusionPBX keys dialplans and transaction log rows by. */
export const APP_UUID = {
  inboundRoutes: "c03b422e-13a8-bd1b-e42b-b6b9b4d27ce4",
  /** The dialplan app, which FusionPBX stamps on a `local` destination's dialplan. */
  dialplans: "b5242951-686f-448f-8b4e-5031ba0601a4",
  ringGroups: "1d61fb65-1eec-bc73-a6ee-a6203b4fe6f2",
  destinations: "5ec89622-b19c-3559-64f0-afde802ab139",
  extensions: "e68d9689-2769-e013-28fa-6214bf47fca3",
  voicemails: "b523c2d2-64cd-46f1-9520-ca4b4098e044",
  /** The original REST API app (`app_config.php` of fusionpbx-rest-api). */
  restApi: "2bfe71d9-e112-4b8b-bcff-75aeb0e06302",
  /** FusionPBX's Domains app (core/domains), whose class writes and deletes `v_domains`. */
  domains: "8b91605b-f6d2-42e6-a56d-5d1ded01bb44",
} as const;

export interface DatabaseApp {
  appName: string;
  appUuid: string;
}

/** FusionPBX apps whose writes we log, as their classes name themselves (`const app_name` / `app_uuid`). */
export const FUSIONPBX_APPS = {
  extensions: { appName: "extensions", appUuid: APP_UUID.extensions },
  voicemails: { appName: "voicemail", appUuid: APP_UUID.voicemails },
  destinations: { appName: "destinations", appUuid: APP_UUID.destinations },
  ringGroups: { appName: "ring_groups", appUuid: APP_UUID.ringGroups },
  domains: { appName: "domains", appUuid: APP_UUID.domains },
} as const satisfies Record<string, DatabaseApp>;

/** What the original sets on FusionPBX's database object before each save. */
export const ORIGINAL_DATABASE_APP = { appName: "rest_api", appUuid: APP_UUID.restApi } as const;

/**
 * FusionPBX 5.6's save() takes app_name/app_uuid from the class named like the saved table when that class
 * declares them (`destinations`, `ring_groups`); other tables leave the caller's values. Observed rows
 * (docs/original-api.md §4.3): destination-create → destinations, ringgroup-create → ring_groups,
 * extension-create → rest_api.
 */
export const FUSIONPBX_CLASS_APPS: Readonly<Record<string, DatabaseApp>> = {
  destinations: FUSIONPBX_APPS.destinations,
  ring_groups: FUSIONPBX_APPS.ringGroups,
};
