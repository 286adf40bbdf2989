import { expect, test } from "bun:test";
import { lastMissingParameter, phpJsonEncode, phpRawUrlEncode, phpString, phpTruthy } from "./php.ts";

test("PHP truthiness counts the original's missing values", () => {
  for (const v of [undefined, null, false, 0, 0.0, "", "0", []]) expect(phpTruthy(v)).toBe(false);
  for (const v of ["0.0", " ", "false", {}, [0], 1, true, "a"]) expect(phpTruthy(v)).toBe(true);
});

test("only the last missing name is reported", () => {
  const required = ["domain_uuid", "caller_id_number", "destination_a", "destination_b"];
  expect(lastMissingParameter(required, {})).toBe("destination_b");
  expect(lastMissingParameter(required, { destination_b: "1", destination_a: "2", caller_id_number: "3" })).toBe(
    "domain_uuid",
  );
  expect(
    lastMissingParameter(required, { domain_uuid: "x", caller_id_number: "3", destination_a: "1", destination_b: "2" }),
  ).toBeNull();
});

test("json_encode escapes slashes and non-ASCII like PHP", () => {
  expect(phpJsonEncode({ a: "100 XML pbx/x", b: "é€😀", c: null, d: [] })).toBe(
    '{"a":"100 XML pbx\\/x","b":"\\u00e9\\u20ac\\ud83d\\ude00","c":null,"d":[]}',
  );
  expect(phpJsonEncode(false)).toBe("false");
  expect(phpJsonEncode("line\nbreak\u0001")).toBe('"line\\nbreak\\u0001"');
});

test("rawurlencode encodes what encodeURIComponent leaves alone", () => {
  expect(phpRawUrlEncode("John Smith (Sales)!*'~")).toBe("John%20Smith%20%28Sales%29%21%2A%27~");
  expect(phpRawUrlEncode("Zoë")).toBe("Zo%C3%AB");
});

test("scalars interpolate as PHP prints them", () => {
  expect(phpString(true)).toBe("1");
  expect(phpString(false)).toBe("");
  expect(phpString(null)).toBe("");
  expect(phpString(100)).toBe("100");
  expect(phpString(1.5)).toBe("1.5");
  expect(phpString([1])).toBe("Array");
});
