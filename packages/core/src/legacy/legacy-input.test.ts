import { expect, test } from "bun:test";
import { legacyBody } from "./legacy-input.ts";

test("PHP-falsy optional fields count as absent; numbers and booleans in text fields become PHP's text", () => {
  const body = { a: "", b: "0", c: "x", n: 12, t: true, kept: 0 };
  expect(legacyBody(body, { optional: ["a", "b", "c"], strings: ["n", "t"] })).toEqual({
    c: "x",
    n: "12",
    t: "1",
    kept: 0,
  });
  // The client's body is never changed.
  expect(body).toEqual({ a: "", b: "0", c: "x", n: 12, t: true, kept: 0 });
});

test("a `__proto__` key in a body stays a plain field and changes no prototype", () => {
  const body = JSON.parse('{"__proto__":{"polluted":true},"domain_name":"x"}') as Record<string, unknown>;
  const out = legacyBody(body, { optional: ["domain_name"] });
  expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
  expect((out as { polluted?: unknown }).polluted).toBeUndefined();
  expect(Object.hasOwn(out, "__proto__")).toBe(true);
  expect(out.domain_name).toBe("x");
});
