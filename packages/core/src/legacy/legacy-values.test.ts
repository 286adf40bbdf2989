import { describe, expect, test } from "bun:test";
import { z } from "zod";
import { legacyValues } from "./legacy-values.ts";

const schema = z.object({
  limit: z.number().int().default(10),
  mixed: z.union([z.literal("all"), z.number()]).optional(),
  name: z.string().optional(),
  members: z.array(z.object({ number: z.string(), delay: z.number().optional() })).optional(),
});

describe("legacyValues: what PHP callers send, as the typed contract takes it", () => {
  test("whole numbers in text become numbers where the contract takes a number, nowhere else", () => {
    expect(legacyValues(schema, { limit: "25", mixed: "7", name: "42" })).toEqual({ limit: 25, mixed: 7, name: "42" });
    expect(legacyValues(schema, { limit: "2.5", mixed: "all" })).toEqual({ limit: "2.5", mixed: "all" });
    expect(schema.safeParse(legacyValues(schema, { limit: "ten" })).success).toBe(false);
  });

  test("JSON text becomes the array the contract takes, its elements converted too; anything else is left for the schema", () => {
    expect(legacyValues(schema, { members: '[{"number":"101","delay":"5"}]' })).toEqual({
      members: [{ number: "101", delay: 5 }],
    });
    expect(legacyValues(schema, { members: "not json" })).toEqual({ members: "not json" });
    expect(legacyValues(schema, { members: '{"number":"101"}' })).toEqual({ members: '{"number":"101"}' });
  });
});
