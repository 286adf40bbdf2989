import { expect, test } from "bun:test";
import { extensionCreate } from "../actions/extension-create.ts";
import { extensionUpdate } from "../actions/extension-update.ts";

const shapeOf = (action: { input: unknown }) =>
  (action.input as { shape: Record<string, { safeParse(v: unknown): { success: boolean } }> }).shape;

const NAMES: Array<[string, boolean]> = [
  ["Alice Example", true],
  ["O'Brien", true],
  ["Zoë 2nd floor", true],
  // biome-ignore lint/suspicious/noTemplateCurlyInString: FreeSWITCH variable syntax, literally
  ["${hangup}", false],
  ["$${x}{system(id)}", false],
  ["<b>", false],
  ['say "hi"', false],
  ["a\u0000b", false],
  ["line\nbreak", false],
  ["x".repeat(81), false],
];

const NUMBERS: Array<[unknown, boolean]> = [
  ["+12065550100", true],
  ["(206) 555-0100", true],
  [1001, true],
  // biome-ignore lint/suspicious/noTemplateCurlyInString: FreeSWITCH variable syntax, literally
  ["${caller_id_number}", false],
  ["555\nsendevent", false],
  ["100<", false],
  ["a\u0000b", false],
  ["1".repeat(65), false],
];

test("a caller id name is validated the same way on create and on update", () => {
  const create = shapeOf(extensionCreate).caller_id_name!;
  for (const field of ["effective_caller_id_name", "outbound_caller_id_name", "emergency_caller_id_name"]) {
    const update = shapeOf(extensionUpdate)[field]!;
    expect(NAMES.map(([v]) => [v, create.safeParse(v).success, update.safeParse(v).success])).toEqual(
      NAMES.map(([v, ok]) => [v, ok, ok]),
    );
  }
});

test("a caller id number is validated the same way on create and on update", () => {
  const create = shapeOf(extensionCreate).caller_id_number!;
  for (const field of ["effective_caller_id_number", "outbound_caller_id_number", "emergency_caller_id_number"]) {
    const update = shapeOf(extensionUpdate)[field]!;
    expect(NUMBERS.map(([v]) => [v, create.safeParse(v).success, update.safeParse(v).success])).toEqual(
      NUMBERS.map(([v, ok]) => [v, ok, ok]),
    );
  }
});
