import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { connect } from "node:net";
import { type Harness, startHarness } from "../testing/harness.ts";
import { isValidHost } from "./host-header.ts";

setDefaultTimeout(30_000);

/** One raw HTTP exchange, so the Host header is exactly what the test writes (fetch would correct it). */
function rawRequest(port: number, head: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, "127.0.0.1");
    let text = "";
    socket.setEncoding("latin1");
    socket.on("data", (chunk) => {
      text += chunk;
    });
    socket.on("error", reject);
    socket.on("close", () => {
      const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(text)?.[1] ?? 0);
      resolve({ status, body: text.slice(text.indexOf("\r\n\r\n") + 4) });
    });
    socket.setTimeout(15_000, () => socket.destroy());
    socket.write(`${head}\r\nConnection: close\r\n\r\n`);
  });
}

const MALFORMED = [
  'evil.example"><script>alert(1)</script>',
  "a b",
  "[::1",
  "pbx.example.com:99999",
  "",
  "a/b",
  "user@evil.example",
  "a?b",
  "a\\b",
  "x".repeat(300),
];

describe("isValidHost", () => {
  test("takes names, IPv4 and bracketed IPv6 addresses, with a port", () => {
    for (const good of ["pbx.example.com", "localhost", "127.0.0.1:3000", "[::1]:3000", "[2001:db8::1]", "my_pbx.lan."])
      expect(isValidHost(good)).toBe(true);
  });
  test("refuses everything else", () => {
    for (const bad of MALFORMED) expect(isValidHost(bad)).toBe(false);
    expect(isValidHost("pbx.example.com:0")).toBe(false);
  });
});

describe("the Host header, sent raw", () => {
  let h: Harness;
  let pinned: Harness;
  beforeAll(async () => {
    h = await startHarness();
    pinned = await startHarness({ publicUrl: "https://pbx.example.com/" });
  }, 120_000);
  afterAll(async () => {
    await h?.close();
    await pinned?.close();
  }, 60_000);

  test("a malformed Host gets 400 on every route, never a 500, and is never reflected", async () => {
    for (const host of MALFORMED) {
      for (const path of [
        "/",
        "/openapi.json",
        "/health",
        "/switchboard/",
        "/app/rest_api/rest.php",
        "/trpc/domains.list",
      ]) {
        const r = await rawRequest(h.server.port!, `GET ${path} HTTP/1.1\r\nHost: ${host}`);
        expect(`${JSON.stringify(host)} ${path}: ${r.status}`).toBe(`${JSON.stringify(host)} ${path}: 400`);
        expect(r.body).toContain("malformed Host header");
        if (host.length > 3) expect(r.body).not.toContain(host);
      }
    }
  });

  test("without PUBLIC_URL a well-formed Host is the origin shown; with PUBLIC_URL, the Host is never used", async () => {
    const open = await rawRequest(h.server.port!, "GET /openapi.json HTTP/1.1\r\nHost: api.example.net:8443");
    expect(open.status).toBe(200);
    expect(JSON.parse(open.body).servers[0].url).toBe("http://api.example.net:8443");
    for (const path of ["/openapi.json", "/"]) {
      const r = await rawRequest(pinned.server.port!, `GET ${path} HTTP/1.1\r\nHost: evil.example`);
      expect(r.status).toBe(200);
      expect(r.body).toContain("https://pbx.example.com");
      expect(r.body).not.toContain("evil.example");
    }
  });

  test("HTTP/1.0 without a Host is routed as usual", async () => {
    const health = await rawRequest(h.server.port!, "GET /health HTTP/1.0");
    expect(health.status).toBe(200);
    const doc = await rawRequest(h.server.port!, "GET /openapi.json HTTP/1.0");
    expect(doc.status).toBe(200);
    expect(JSON.parse(doc.body).servers[0].url).toMatch(/^http:\/\/[^/]+$/);
  });
});
