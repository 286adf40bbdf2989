import { expect, test } from "bun:test";
import { pdoBoolean, pdoJson, pdoNumber, pdoTimestamp } from "./pdo.ts";

test("5.1 text flags and 5.6 booleans normalise alike", () => {
  expect(pdoBoolean.parse("true")).toBe(true);
  expect(pdoBoolean.parse("false")).toBe(false);
  expect(pdoBoolean.parse(true)).toBe(true);
  expect(pdoBoolean.parse(null)).toBeNull();
});

test("numeric text becomes a number, timestamps ISO, json parsed", () => {
  expect(pdoNumber.parse("30")).toBe(30);
  expect(pdoNumber.parse("12.50")).toBe(12.5);
  expect(pdoTimestamp.parse("2023-05-01 13:52:04-07")).toBe("2023-05-01T20:52:04.000Z");
  expect(pdoTimestamp.parse("2023-05-01 20:52:04.123456+00")).toBe("2023-05-01T20:52:04.123Z");
  expect(pdoJson.parse('[{"destination_app":"transfer"}]')).toEqual([{ destination_app: "transfer" }]);
  expect(pdoJson.parse("not json")).toBeNull();
});
