import { type AnyAction, jsonSchemaOf } from "@switchboard/core";
import { LEGACY_PATH } from "../legacy/rest-php.ts";

type Schema = Record<string, unknown> & { properties?: Record<string, unknown>; required?: string[] };

/** The request body of one action on the legacy route: its input schema plus `action` and the required list. */
function legacyRequestSchema(action: AnyAction): Schema {
  const legacyRequired = action.legacy?.required ?? [];
  if (action.legacy?.toInput) {
    // The legacy body uses the original's parameter names, mapped onto the typed input by the action.
    return {
      type: "object",
      title: action.name,
      description: `${action.summary} (the original's parameters; the typed input is on tRPC)`,
      properties: {
        action: { const: action.name, description: "Case-insensitive action name" },
        ...Object.fromEntries(legacyRequired.map((name) => [name, {}])),
      },
      required: ["action", ...legacyRequired],
    };
  }
  const input = jsonSchemaOf(action.input, "input") as Schema;
  const { $schema: _drop, ...rest } = input;
  const required = [...new Set(["action", ...(input.required ?? []), ...legacyRequired])];
  return {
    ...rest,
    type: "object",
    title: action.name,
    description: action.summary,
    properties: { action: { const: action.name, description: "Case-insensitive action name" }, ...(input.properties ?? {}) },
    required,
  };
}

/** The legacy body: what the handler returns (PDO-typed), i.e. the accepting side of the output contract. */
function legacyResponseSchema(action: AnyAction): Schema {
  const { $schema: _drop, ...rest } = jsonSchemaOf(action.output, "input") as Schema;
  return rest;
}

const errorBody = {
  type: "object",
  properties: { error: { oneOf: [{ type: "string" }, { type: "object" }] } },
  required: ["error"],
};

/** OpenAPI 3.1 for `/app/rest_api/rest.php`: one operation, a request body per action (chosen by `action`). */
export function openApiDocument(list: readonly AnyAction[], serverUrl?: string): Record<string, unknown> {
  const schemas: Record<string, unknown> = { Error: errorBody };
  for (const action of list) {
    schemas[`${action.name}.request`] = legacyRequestSchema(action);
    schemas[`${action.name}.response`] = legacyResponseSchema(action);
  }
  const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
  return {
    openapi: "3.1.0",
    info: {
      title: "Switchboard legacy API (FusionPBX rest_api compatible)",
      version: "1.0.0",
      description:
        "Every action is a POST (any method works) of a JSON body naming the `action`. The body is decoded whatever the Content-Type. Authenticate with HTTP Basic `<key_uuid>:<secret>`.",
    },
    ...(serverUrl ? { servers: [{ url: serverUrl }] } : {}),
    components: { securitySchemes: { basic: { type: "http", scheme: "basic" } }, schemas },
    security: [{ basic: [] }],
    paths: {
      [LEGACY_PATH]: {
        post: {
          operationId: "legacyAction",
          summary: "Run one action",
          requestBody: {
            required: true,
            content: {
              "application/json": {
                schema: {
                  oneOf: list.map((a) => ref(`${a.name}.request`)),
                  discriminator: { propertyName: "action", mapping: Object.fromEntries(list.map((a) => [a.name, `#/components/schemas/${a.name}.request`])) },
                },
              },
            },
          },
          responses: {
            "200": {
              description: "The action's body, exactly as the original app returned it",
              content: { "application/json": { schema: { oneOf: list.map((a) => ref(`${a.name}.response`)) } } },
            },
            "400": { description: "Missing parameter, unknown action, invalid value", content: { "application/json": { schema: ref("Error") } } },
            "401": { description: "Missing or wrong credentials", content: { "application/json": { schema: ref("Error") } } },
            "413": { description: "Body too large", content: { "application/json": { schema: ref("Error") } } },
            "429": { description: "Too many failed authentications (see Retry-After)", content: { "application/json": { schema: ref("Error") } } },
            "503": { description: "Database unavailable", content: { "application/json": { schema: ref("Error") } } },
          },
        },
      },
    },
  };
}
