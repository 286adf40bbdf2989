import { type AnyAction, jsonSchemaOf, legacyParamsOf } from "@switchboard/core";
import {
  DEMO_DESTINATION,
  DEMO_DOMAIN_NAME,
  DEMO_DOMAIN_UUID,
  DEMO_EXTENSIONS,
  DEMO_KEY_ID,
  DEMO_RING_GROUP,
} from "@switchboard/db";
import { LEGACY_PATH } from "../legacy/rest-php.ts";

/**
 * Example values per parameter name, taken from the demo that `npm start` serves, so every example on the
 * reference page runs as printed against the demo (packages/client/src/reference-examples.test.ts
 * runs them all).
 */
const VALUES: Record<string, unknown> = {
  domain_uuid: DEMO_DOMAIN_UUID,
  domain_name: DEMO_DOMAIN_NAME,
  extension_uuid: DEMO_EXTENSIONS[3].extensionUuid,
  extension: "1050",
  number: "12065550199",
  name: "Sales",
  destinations: [{ number: "100" }, { number: "101" }],
  strategy: "simultaneous",
  caller_id_number: "12065550100",
  caller_id_name: "Front Desk",
  destination_a: "101",
  destination_b: "100",
  ring_first: "100",
  connect_to: "101",
  cid: "12065550100",
  to: "101",
  queue: "support",
  destination_uuid: DEMO_DESTINATION.destinationUuid,
  ring_group_uuid: DEMO_RING_GROUP.ringGroupUuid,
  description: "updated from the API reference",
  limit: 10,
  // The call placed by the originate example: replace it with the call_uuid that example printed.
  call_uuid: "<call_uuid>",
  uuid: "<call_uuid>",
  url: "https://hooks.example.com/switchboard",
  event_types: ["call.missed", "voicemail.left"],
  // The endpoint made by the webhook-create example: replace it with the webhook_uuid that example printed.
  webhook_uuid: "<webhook_uuid>",
};

/** Per action, values that only make sense there (a new extension's number, an existing call to look up). */
const PER_ACTION: Record<string, Record<string, unknown>> = {
  "destination-details": { number: DEMO_DESTINATION.number },
  "extension-details": { extension: DEMO_EXTENSIONS[0].extension },
  "ringgroup-create": { extension: "650" },
  // 1050 is the extension the extension-create example made; a ring group may not take its number.
  "ringgroup-update": { extension: "651" },
  "destination-create": { extension: DEMO_EXTENSIONS[0].extension },
  "key-create": { name: "billing", scopes: ["read"] },
  // The domain-create example's new domain, which the domain-delete example then deletes by name.
  "domain-create": { domain_name: "branch.example.net" },
  "domain-delete": { domain_uuid: undefined, domain_name: "branch.example.net" },
  "webhook-replay": { since: "2026-01-01T00:00:00Z" },
  // Revokes the demo key itself: run it last.
  "key-revoke": { key_uuid: DEMO_KEY_ID },
};

/** Actions whose examples run after the others, in this order: they remove what other examples use. */
export const RUN_LAST = [
  "call-hangup",
  "extension-delete",
  "destination-delete",
  "ringgroup-delete",
  "webhook-delete",
  "key-revoke",
];

/** Parameters worth showing beyond the required ones. */
const SHOWN = new Set(["domain_uuid", "domain_name", "extension", "limit", "description"]);

function values(action: AnyAction, names: readonly string[], required: ReadonlySet<string>): Record<string, unknown> {
  const own = PER_ACTION[action.name] ?? {};
  const out: Record<string, unknown> = {};
  for (const name of names) {
    const value = name in own ? own[name] : VALUES[name];
    if (value === undefined) continue;
    if (required.has(name) || SHOWN.has(name) || name in own) out[name] = value;
  }
  return out;
}

function requiredOf(schema: { required?: string[] }, extra: readonly string[] = []): Set<string> {
  return new Set([...(schema.required ?? []), ...extra]);
}

/** The example body of one action on the legacy route (without `action`), under the legacy names. */
export function legacyExample(action: AnyAction): Record<string, unknown> {
  const schema = jsonSchemaOf(legacyParamsOf(action), "input") as {
    properties?: Record<string, unknown>;
    required?: string[];
  };
  const body = values(action, Object.keys(schema.properties ?? {}), requiredOf(schema, action.legacy?.required));
  // The original's own form for ring group members: a string holding JSON.
  if (Array.isArray(body.destinations)) body.destinations = JSON.stringify(body.destinations);
  return body;
}

/** The example input of one action on the typed faces. */
export function typedExample(action: AnyAction): Record<string, unknown> {
  const schema = jsonSchemaOf(action.input, "input") as { properties?: Record<string, unknown>; required?: string[] };
  return values(action, Object.keys(schema.properties ?? {}), requiredOf(schema));
}

const quote = (text: string) => `'${text.replaceAll("'", `'\\''`)}'`;

export function legacyCurlExample(action: AnyAction, origin: string): string {
  const body = JSON.stringify({ action: action.name, ...legacyExample(action) });
  return `curl -s --user "$SB_KEY_ID:$SB_SECRET" -d ${quote(body)} ${origin}${LEGACY_PATH}`;
}

export function trpcCurlExample(action: AnyAction, origin: string): string {
  const input = JSON.stringify(typedExample(action));
  const auth = `-H "Authorization: Bearer $SB_KEY_ID:$SB_SECRET"`;
  if (action.kind === "query")
    return `curl -s ${auth} ${quote(`${origin}/trpc/${action.path}?input=${encodeURIComponent(input)}`)}`;
  return `curl -s ${auth} -H 'Content-Type: application/json' -d ${quote(input)} ${origin}/trpc/${action.path}`;
}

export function clientExample(action: AnyAction, origin: string): string {
  const call = `${action.path}.${action.kind === "query" ? "query" : "mutate"}`;
  return `import { createSwitchboardClient } from "@switchboard/client";

const sb = createSwitchboardClient({ url: "${origin}", keyId: process.env.SB_KEY_ID ?? "", secret: process.env.SB_SECRET ?? "" });
console.log(JSON.stringify(await sb.${call}(${JSON.stringify(typedExample(action))})));`;
}
