import { expect, test } from "bun:test";
import { readableExpiry } from "./expiry.ts";

test("a registration's expiry reads as time from now", () => {
  const now = 1_700_000_000_000;
  const at = (seconds: number) => String(now / 1000 + seconds);
  expect(readableExpiry(at(30), now)).toBe("expires in 30 s");
  expect(readableExpiry(at(125), now)).toBe("expires in 2 min");
  expect(readableExpiry(at(3 * 3600), now)).toBe("expires in 3 h");
  expect(readableExpiry(at(-300), now)).toBe("expired 5 min ago");
  expect(readableExpiry("", now)).toBe("");
  expect(readableExpiry("soon", now)).toBe("soon");
  // What the typed answer carries: ISO 8601 UTC.
  expect(readableExpiry(new Date(now + 125_000).toISOString(), now)).toBe("expires in 2 min");
  expect(readableExpiry(new Date(now - 300_000).toISOString(), now)).toBe("expired 5 min ago");
});
