import { z } from "zod";
import type { AnyAction } from "../action.ts";

export interface FieldDoc {
  name: string;
  type: string;
  required: boolean;
  description?: string;
}

type JsonSchema = {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  enum?: unknown[];
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  format?: string;
  description?: string;
  const?: unknown;
};

/** JSON Schema of an action's input or output (transforms shown as what they accept or produce). */
export function jsonSchemaOf(schema: z.ZodType, io: "input" | "output"): JsonSchema {
  return z.toJSONSchema(schema, { io, unrepresentable: "any" }) as JsonSchema;
}

function typeName(s: JsonSchema | undefined): string {
  if (!s) return "any";
  if (s.enum) return s.enum.map((v) => JSON.stringify(v)).join(" \\| ");
  if (s.const !== undefined) return JSON.stringify(s.const);
  const alternatives = s.anyOf ?? s.oneOf;
  if (alternatives) return [...new Set(alternatives.map(typeName))].join(" \\| ");
  if (s.type === "array") return `${typeName(s.items)}[]`;
  if (Array.isArray(s.type)) return s.type.join(" \\| ");
  if (s.format) return `${s.type ?? "string"} (${s.format})`;
  return s.type ?? "any";
}

/** The top-level fields of a schema, for docs pages and the README table. */
export function describeFields(schema: z.ZodType, io: "input" | "output"): FieldDoc[] {
  const json = jsonSchemaOf(schema, io);
  const required = new Set(json.required ?? []);
  return Object.entries(json.properties ?? {}).map(([name, prop]) => ({
    name,
    type: typeName(prop),
    required: required.has(name),
    ...(prop.description ? { description: prop.description } : {}),
  }));
}

/** A one-line shape of an output: `object`, `array of object`, `boolean`… */
export function describeShape(schema: z.ZodType): string {
  const json = jsonSchemaOf(schema, "output");
  if (json.type === "array") return `array of ${typeName(json.items)}`;
  return typeName(json);
}

export function fieldList(fields: FieldDoc[]): string {
  if (fields.length === 0) return "–";
  return fields.map((f) => `\`${f.name}\`${f.required ? "" : "?"}: ${f.type}`).join("<br>");
}

/** The actions table of packages/core/README.md. */
export function actionsMarkdown(actions: readonly AnyAction[]): string {
  const rows = actions.map((a) => {
    const legacyRequired = a.legacy?.required.length ? a.legacy.required.map((r) => `\`${r}\``).join(", ") : "–";
    return `| \`${a.name}\` | \`${a.path}\` | ${a.kind} | ${a.scope} | ${a.summary} | ${fieldList(describeFields(a.input, "input"))} | ${legacyRequired} | ${fieldList(describeFields(a.output, "output")) === "–" ? describeShape(a.output) : fieldList(describeFields(a.output, "output"))} |`;
  });
  return [
    "| legacy name | tRPC path | kind | scope | what it does | input (`?` optional) | legacy required | output |",
    "| --- | --- | --- | --- | --- | --- | --- | --- |",
    ...rows,
  ].join("\n");
}
