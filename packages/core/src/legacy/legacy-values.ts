import { z } from "zod";

/**
 * The legacy face's callers send numbers as text (`"limit": "10"`) and lists as JSON text
 * (`"destinations": "[{\"number\":\"101\"}]"`): PHP never minded. The typed faces take numbers and arrays.
 * This turns a decoded legacy body into what the action's input schema expects, looking only at the
 * schema's own kinds: text that is a whole number where it takes a number, JSON text where it takes an array.
 * Anything else is left as it is, for the schema to reject in its own words.
 */
export function legacyValues(schema: z.ZodType, body: Record<string, unknown>): Record<string, unknown> {
  const fields = fieldsOf(schema);
  if (!fields) return body;
  const out: Record<string, unknown> = { ...body };
  for (const [key, base] of fields) {
    if (key in out) out[key] = legacyValue(base, out[key]);
  }
  return out;
}

/** An object schema's fields with the schema that checks each value, worked out once per schema. */
const fieldCache = new WeakMap<z.ZodType, Array<[string, z.ZodType]> | null>();
function fieldsOf(schema: z.ZodType): Array<[string, z.ZodType]> | null {
  let fields = fieldCache.get(schema);
  if (fields === undefined) {
    const shape = objectShape(schema);
    fields = shape ? Object.entries(shape).map(([key, field]) => [key, unwrap(field)]) : null;
    fieldCache.set(schema, fields);
  }
  return fields;
}

function legacyValue(schema: z.ZodType, value: unknown): unknown {
  const base = unwrap(schema);
  if (typeof value === "string" && acceptsNumber(base) && /^\s*-?\d+\s*$/.test(value)) return Number(value);
  if (base instanceof z.ZodArray) {
    const list = typeof value === "string" ? parseJson(value) : value;
    if (!Array.isArray(list)) return value;
    const element = base.element as z.ZodType;
    return list.map((item) =>
      item && typeof item === "object" && !Array.isArray(item)
        ? legacyValues(element, item as Record<string, unknown>)
        : legacyValue(element, item),
    );
  }
  return value;
}

function acceptsNumber(schema: z.ZodType): boolean {
  if (schema instanceof z.ZodNumber) return true;
  if (schema instanceof z.ZodUnion)
    return (schema.options as z.ZodType[]).some((option) => unwrap(option) instanceof z.ZodNumber);
  return false;
}

function objectShape(schema: z.ZodType): Record<string, z.ZodType> | null {
  const base = unwrap(schema);
  return base instanceof z.ZodObject ? (base.shape as Record<string, z.ZodType>) : null;
}

/** Looks through optional, nullable, default and pipe wrappers to the schema that checks the value. */
function unwrap(schema: z.ZodType): z.ZodType {
  let current = schema;
  for (;;) {
    if (current instanceof z.ZodOptional || current instanceof z.ZodNullable || current instanceof z.ZodDefault) {
      current = current.unwrap() as z.ZodType;
    } else if (current instanceof z.ZodPipe) {
      current = current.in as z.ZodType;
    } else return current;
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}
