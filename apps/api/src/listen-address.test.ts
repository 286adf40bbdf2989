import { describe, expect, test } from "bun:test";
import { assertDemoOnLoopback, isLoopback, listeningLine } from "./listen-address.ts";

describe("isLoopback", () => {
  test("loopback addresses and names", () => {
    for (const host of ["127.0.0.1", "127.1.2.3", "::1", "[::1]", "localhost", "LOCALHOST", "::ffff:127.0.0.1"])
      expect(isLoopback(host)).toBe(true);
  });
  test("everything else", () => {
    for (const host of [
      "0.0.0.0",
      "::",
      "[::]",
      "10.0.0.5",
      "192.168.1.10",
      "fe80::1",
      "pbx.example.net",
      "127.0.0.1.example.net",
      "",
    ]) {
      expect(isLoopback(host)).toBe(false);
    }
  });
});

describe("the demo on a non-loopback address", () => {
  test("is refused with one line saying what to do", () => {
    expect(() => assertDemoOnLoopback("0.0.0.0", true)).toThrow(
      "refusing to serve the embedded demo on 0.0.0.0: its API key is published, so the demo listens on this machine only (unset HOST or set HOST=127.0.0.1), or set DATABASE_URL to your own database",
    );
    expect(() => assertDemoOnLoopback("10.0.0.5", true)).toThrow("refusing to serve the embedded demo on 10.0.0.5:");
  });
  test("loopback demo and any address with a real database are allowed", () => {
    expect(() => assertDemoOnLoopback("127.0.0.1", true)).not.toThrow();
    expect(() => assertDemoOnLoopback("0.0.0.0", false)).not.toThrow();
  });
});

describe("the listening line names the address actually bound", () => {
  test("a specific address is the URL", () => {
    expect(listeningLine("127.0.0.1", 3000)).toEqual({
      line: "listening on http://127.0.0.1:3000",
      url: "http://127.0.0.1:3000",
    });
    expect(listeningLine("::1", 3000)).toEqual({ line: "listening on http://[::1]:3000", url: "http://[::1]:3000" });
  });
  test("a wildcard says so, with a URL that reaches it from this machine", () => {
    expect(listeningLine("0.0.0.0", 3000)).toEqual({
      line: "listening on 0.0.0.0:3000 (every address of this machine; from here http://127.0.0.1:3000)",
      url: "http://127.0.0.1:3000",
    });
    expect(listeningLine("::", 8080).line).toBe(
      "listening on [::]:8080 (every address of this machine; from here http://[::1]:8080)",
    );
  });
});
