import {
  type AnyAction,
  legacyBodyOf,
  legacyErrorBody,
  legacyErrorStatuses,
  legacyMissingParameterBody,
  legacyParamsOf,
} from "@switchboard/core";
import { z } from "zod";
import { LEGACY_PATH } from "../legacy/rest-php.ts";

type JsonSchema = Record<string, unknown> & { properties?: Record<string, JsonSchema>; required?: string[] };

/** zod 4's own JSON Schema (draft 2020-12, the dialect of OpenAPI 3.1), as the legacy caller sees the value. */
function jsonSchema(schema: z.ZodType): JsonSchema {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, { io: "input", unrepresentable: "any" }) as JsonSchema;
  return rest;
}

/** What each error status means; which of them one action answers comes from `legacyErrorStatuses`. */
const ERROR_STATUSES: Record<string, string> = {
  "400": "A required parameter is missing, a value is invalid, or the action is unknown",
  "401": "Missing or wrong credentials",
  "403": "The key lacks the scope this action needs",
  "404": "What was asked for does not exist (or is another domain's: the same answer)",
  "409": "It already exists, or is still in use",
  "413": "The body is larger than the limit",
  "429": "Too many failed authentications from this address, or the caller's call limit is spent (see Retry-After)",
  "500":
    "The original's answer for several failures (duplicate rows, a domain not found on create); or an unexpected error",
  "503": "The database or every switch is unreachable",
  "504":
    "The switch did not confirm the call, which may still ring: follow `call_uuid` with call-status before trying again",
};

/** The request body of one action: its legacy parameters plus `action`, required as the original checked them. */
function requestSchema(action: AnyAction): JsonSchema {
  const params = jsonSchema(legacyParamsOf(action));
  const required = [...new Set(["action", ...(action.legacy?.required ?? []), ...(params.required ?? [])])];
  return {
    ...params,
    type: "object",
    title: action.name,
    description: `${action.summary}${action.legacy?.params ? " The legacy parameter names differ from the typed faces'." : ""}`,
    properties: {
      action: { const: action.name, description: "Case-insensitive action name" },
      ...(params.properties ?? {}),
    },
    required,
  };
}

/** HTTP 200 bodies of one action, exactly as the original sent them (PDO typing: numbers and flags may be text). */
function bodySchema(action: AnyAction): JsonSchema {
  return { title: `${action.name} (200)`, ...jsonSchema(legacyBodyOf(action)) };
}

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
export const requestSchemaName = (action: AnyAction) => `${action.name}.request`;
export const bodySchemaName = (action: AnyAction) => `${action.name}.body`;

/** The statuses this action answers besides 200 (and only those), with the schema of each body. */
export function actionErrors(action: AnyAction): Record<string, { $ref: string }> {
  const errors: Record<string, { $ref: string }> = {};
  for (const status of legacyErrorStatuses(action)) {
    if (!(String(status) in ERROR_STATUSES))
      throw new Error(`action ${action.name}: status ${status} has no description`);
    errors[status] = ref(status === 400 && (action.legacy?.required ?? []).length > 0 ? "BadRequest" : "Error");
  }
  return errors;
}

const DESCRIPTION = `The FusionPBX REST API's \`rest.php\` contract, as Switchboard answers it.

Every action is one request to \`${LEGACY_PATH}\` (any method; POST shown) whose JSON body names the \`action\`.
The body is decoded whatever the Content-Type (\`curl -d\` sends a form type; it still works). Authenticate
with HTTP Basic \`<key_uuid>:<secret>\`.

Bodies are the original's: rows as PostgreSQL returned them to PHP (PDO), so numbers and FusionPBX 5.1 flags
come back as text (\`"30"\`, \`"true"\`); lists are bare JSON arrays; some failures are HTTP 200 with
\`false\`, \`[]\` or \`{"error": …}\` as the original answered.

Names that surprise:
- \`originate\`: **\`destination_b\` rings first**; once it answers it is connected to \`destination_a\`.
- \`originate-playback-file\`: \`cid\` is the caller id number, \`to\` the number rung; \`file\` is a path under
  FreeSWITCH's sounds directory (plain segments, no \`..\`) or an http(s) URL without quotes, spaces,
  parentheses, braces, commas or \`$\`.

The same actions are served as typed tRPC procedures at \`/trpc/<path>\` (package \`@switchboard/client\`).`;

/** OpenAPI 3.1 for `/app/rest_api/rest.php`: one operation; a request body and 200 body per action. */
export function openApiDocument(list: readonly AnyAction[], serverUrl?: string): Record<string, unknown> {
  const schemas: Record<string, unknown> = {
    Error: jsonSchema(
      z
        .object({
          error: z.union([z.string(), z.object({ error: z.string(), missing_parameters: z.string().optional() })]),
        })
        .describe("An error, as the original answered it"),
    ),
    BadRequest: { anyOf: [jsonSchema(legacyMissingParameterBody), jsonSchema(legacyErrorBody)] },
  };
  const actionsExtension: Record<string, unknown> = {};
  for (const action of list) {
    schemas[requestSchemaName(action)] = requestSchema(action);
    schemas[bodySchemaName(action)] = bodySchema(action);
    actionsExtension[action.name] = {
      summary: action.summary,
      scope: action.scope,
      trpc: { path: action.path, kind: action.kind },
      request: ref(requestSchemaName(action)),
      responses: { "200": ref(bodySchemaName(action)), ...actionErrors(action) },
    };
  }
  const errorResponse = (status: string) => ({
    description: ERROR_STATUSES[status]!,
    content: { "application/json": { schema: status === "400" ? ref("BadRequest") : ref("Error") } },
  });
  return {
    openapi: "3.1.0",
    info: {
      title: "Switchboard legacy API (FusionPBX rest_api compatible)",
      version: "1.0.0",
      description: DESCRIPTION,
    },
    servers: [{ url: serverUrl ?? "http://127.0.0.1:3000", description: "this Switchboard" }],
    tags: [{ name: "legacy", description: "The original rest.php route" }],
    components: {
      securitySchemes: { basic: { type: "http", scheme: "basic", description: "`<key_uuid>:<secret>`" } },
      schemas,
    },
    security: [{ basic: [] }],
    paths: {
      [LEGACY_PATH]: {
        post: {
          operationId: "legacyAction",
          tags: ["legacy"],
          summary: "Run one action",
          description:
            "The body's `action` chooses the action; `x-switchboard-actions` gives each action's request and response schemas.",
          requestBody: {
            required: true,
            content: {
              "application/json": {
                schema: {
                  oneOf: list.map((a) => ref(requestSchemaName(a))),
                  discriminator: {
                    propertyName: "action",
                    mapping: Object.fromEntries(
                      list.map((a) => [a.name, `#/components/schemas/${requestSchemaName(a)}`]),
                    ),
                  },
                },
              },
            },
          },
          responses: {
            "200": {
              description: "The action's body, as the original sent it (see each action's `.body` schema)",
              content: { "application/json": { schema: { anyOf: list.map((a) => ref(bodySchemaName(a))) } } },
            },
            ...Object.fromEntries(Object.keys(ERROR_STATUSES).map((status) => [status, errorResponse(status)])),
          },
          "x-switchboard-actions": actionsExtension,
        },
      },
    },
  };
}
