import { type AnyAction, actions } from "@switchboard/core";
import Ajv2020 from "ajv/dist/2020.js";
import addFormats from "ajv-formats";
import { decodeLegacyBody, legacyActionName } from "../legacy/decode-body.ts";
import type { LegacyExchange } from "../testing/legacy-client.ts";
import { openApiDocument } from "./openapi.ts";

type Ref = { $ref: string };
interface ActionEntry {
  responses: Record<string, Ref>;
}

/**
 * Checks legacy responses against the OpenAPI document with ajv (JSON Schema 2020-12, the dialect of
 * OpenAPI 3.1): the body of an exchange whose request names a known action must match that action's schema
 * for the status; any other exchange must match the operation's schema for the status.
 */
export function legacyConformance(list: readonly AnyAction[] = actions) {
  const document = openApiDocument(list) as {
    components: {
      schemas: Record<string, { properties?: Record<string, Record<string, unknown>>; required?: string[] }>;
    };
    paths: Record<
      string,
      {
        post: {
          responses: Record<string, { content: { "application/json": { schema: unknown } } }>;
          "x-switchboard-actions": Record<string, ActionEntry>;
        };
      }
    >;
  };
  const operation = Object.values(document.paths)[0]!.post;
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats(ajv);
  ajv.addSchema(document, "openapi.json");
  const compiled = new Map<string, ReturnType<typeof ajv.compile>>();
  const validator = (schema: Ref | unknown) => {
    const key = JSON.stringify(schema);
    let validate = compiled.get(key);
    if (!validate) {
      const absolute = JSON.parse(key.replaceAll('"#/components/', '"openapi.json#/components/')) as object;
      validate = ajv.compile(absolute);
      compiled.set(key, validate);
    }
    return validate;
  };

  /** The violations of one exchange (empty: it conforms). */
  function check(exchange: LegacyExchange): string[] {
    const request = decodeLegacyBody(new TextEncoder().encode(exchange.body).buffer as ArrayBuffer);
    const name = request ? legacyActionName(request.action) : null;
    const known = operation["x-switchboard-actions"];
    const entry = name && Object.hasOwn(known, name) ? known[name] : undefined;
    const status = String(exchange.status);
    const schema = entry ? entry.responses[status] : operation.responses[status]?.content["application/json"].schema;
    const where = `${exchange.method} ${name ?? "(no action)"} → ${status} ${exchange.text.slice(0, 200)}`;
    if (!schema) return [`${where}: status ${status} is not documented${entry ? ` for ${name}` : ""}`];
    let body: unknown;
    try {
      body = JSON.parse(exchange.text);
    } catch {
      return [`${where}: the body is not JSON`];
    }
    const validate = validator(schema);
    if (validate(body)) return [];
    return (validate.errors ?? []).map((e) => `${where}: ${e.instancePath || "/"} ${e.message}`);
  }
  return { document, check };
}
