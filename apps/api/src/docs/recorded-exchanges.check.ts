// Run by `bun run test` after the rest of the suite (see package.json): every legacy exchange the suite made
// through testing/legacy-client.ts must conform to /openapi.json. Not named *.test.ts so that it runs last.
import { expect, test } from "bun:test";
import { existsSync, readFileSync } from "node:fs";
import { LEGACY_EXCHANGES_FILE, type LegacyExchange } from "../testing/legacy-client.ts";
import { legacyConformance } from "./openapi-conformance.ts";

test("every legacy response the test suite received conforms to /openapi.json (ajv)", () => {
  expect(existsSync(LEGACY_EXCHANGES_FILE)).toBe(true);
  const exchanges = readFileSync(LEGACY_EXCHANGES_FILE, "utf8")
    .split("\n")
    .filter(Boolean)
    .map((line) => JSON.parse(line) as LegacyExchange);
  // The suite's legacy tests, the hardening corpus and the OpenAPI corpus all record here.
  expect(exchanges.length).toBeGreaterThan(500);
  const { check } = legacyConformance();
  const violations = exchanges.flatMap((exchange) => check(exchange));
  expect(violations.slice(0, 20)).toEqual([]);
  expect(violations.length).toBe(0);
});
