import { expect, test } from "bun:test";
import { decodeLegacyBody, legacyActionName } from "./decode-body.ts";

const bytes = (...parts: (string | number[])[]) =>
  Buffer.concat(parts.map((p) => (typeof p === "string" ? Buffer.from(p, "utf8") : Buffer.from(p))))
    .buffer as ArrayBuffer;

test("objects decode; anything else reads as no properties, as json_decode gave the original", () => {
  expect(decodeLegacyBody(bytes('{"action":"domain-details","n":1}'))).toEqual({ action: "domain-details", n: 1 });
  for (const body of ["", "null", "[]", "[1]", "1", '"x"', "{", "action=domain-details"])
    expect(decodeLegacyBody(bytes(body))).toBeNull();
});

test("invalid UTF-8 and a byte-order mark are invalid JSON, as for PHP", () => {
  expect(decodeLegacyBody(bytes('{"action":"', [0xff, 0xfe], '"}'))).toBeNull();
  expect(decodeLegacyBody(bytes([0xef, 0xbb, 0xbf], '{"action":"x"}'))).toBeNull();
  expect(decodeLegacyBody(bytes('{"name":"Zoë"}'))).toEqual({ name: "Zoë" });
});

test("action names lower-case ASCII only; non-strings name nothing", () => {
  expect(legacyActionName("Domain-DETAILS")).toBe("domain-details");
  expect(legacyActionName("ÉXT")).toBe("Éxt");
  expect(legacyActionName(5)).toBeNull();
  expect(legacyActionName(["domain-details"])).toBeNull();
});
