import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { DEMO_DOMAIN_NAME, DEMO_KEY_ID, DEMO_KEY_SECRET } from "@switchboard/db";
import { basic, type Harness, startHarness } from "../testing/harness.ts";
import { parseTrustedProxies, resolveClientAddress, resolveOrigin, TrustedProxiesError } from "./client-address.ts";

// Real PostgreSQL and child processes on a shared machine: a loaded minute must not fail a test.
setDefaultTimeout(30_000);

describe("TRUSTED_PROXIES", () => {
  test("takes addresses and ranges separated by commas or spaces", () => {
    const trusted = parseTrustedProxies(" 127.0.0.1, 10.0.0.0/8  fd00::/8,::1");
    expect(trusted.entries).toEqual(["127.0.0.1", "10.0.0.0/8", "fd00::/8", "::1"]);
    expect(trusted.has("127.0.0.1")).toBe(true);
    expect(trusted.has("10.200.3.4")).toBe(true);
    expect(trusted.has("11.0.0.1")).toBe(false);
    expect(trusted.has("fd12::5")).toBe(true);
    expect(trusted.has("::1")).toBe(true);
    expect(trusted.has("::2")).toBe(false);
  });

  test("an IPv4-mapped IPv6 peer matches its IPv4 range", () => {
    expect(parseTrustedProxies("127.0.0.0/8").has("::ffff:127.0.0.1")).toBe(true);
    expect(parseTrustedProxies("::ffff:10.0.0.0/104").has("10.1.2.3")).toBe(true);
  });

  test("empty trusts nobody", () => {
    const trusted = parseTrustedProxies(undefined);
    expect(trusted.entries).toEqual([]);
    expect(trusted.has("127.0.0.1")).toBe(false);
  });

  test("a bad entry is refused with what a valid one looks like", () => {
    expect(() => parseTrustedProxies("127.0.0.1,nginx")).toThrow(TrustedProxiesError);
    expect(() => parseTrustedProxies("nginx")).toThrow(
      "'nginx' is not an address; write it like 127.0.0.1, ::1 or 10.0.0.0/8",
    );
    expect(() => parseTrustedProxies("10.0.0.0/33")).toThrow(
      "'10.0.0.0/33' is not an address range; write it like 10.0.0.0/8",
    );
    expect(() => parseTrustedProxies("127.1")).toThrow(TrustedProxiesError);
  });
});

describe("the client address", () => {
  const trusted = parseTrustedProxies("127.0.0.1, 10.0.0.0/8");

  test("an untrusted peer's X-Forwarded-For is ignored", () => {
    expect(resolveClientAddress("203.0.113.9", "198.51.100.1", trusted)).toBe("203.0.113.9");
  });

  test("a trusted peer's X-Forwarded-For names the client", () => {
    expect(resolveClientAddress("127.0.0.1", "198.51.100.1", trusted)).toBe("198.51.100.1");
  });

  test("the rightmost untrusted address wins, so a forged entry on the left is not believed", () => {
    // The client forged "1.2.3.4"; nginx appended the real address 198.51.100.1.
    expect(resolveClientAddress("127.0.0.1", "1.2.3.4, 198.51.100.1", trusted)).toBe("198.51.100.1");
  });

  test("trusted hops in the chain are passed through", () => {
    expect(resolveClientAddress("127.0.0.1", "198.51.100.1, 10.1.1.1, 10.2.2.2", trusted)).toBe("198.51.100.1");
  });

  test("when every hop is trusted the leftmost is the client", () => {
    expect(resolveClientAddress("127.0.0.1", "10.3.3.3, 10.1.1.1", trusted)).toBe("10.3.3.3");
  });

  test("a hop that is no address stops the walk at the last one that was", () => {
    expect(resolveClientAddress("127.0.0.1", "<script>, 10.1.1.1", trusted)).toBe("10.1.1.1");
    expect(resolveClientAddress("127.0.0.1", "unknown", trusted)).toBe("127.0.0.1");
    expect(resolveClientAddress("127.0.0.1", "", trusted)).toBe("127.0.0.1");
  });

  test("IPv6 clients and bracketed forms are written in one canonical form", () => {
    expect(resolveClientAddress("127.0.0.1", "[2001:DB8::0001]", trusted)).toBe("2001:db8::1");
    expect(resolveClientAddress("127.0.0.1", "::ffff:198.51.100.7", trusted)).toBe("198.51.100.7");
  });

  test("with nothing trusted the peer is always the client", () => {
    expect(resolveClientAddress("127.0.0.1", "198.51.100.1", parseTrustedProxies(""))).toBe("127.0.0.1");
  });
});

const detailsBody = JSON.stringify({ action: "domain-details", domain_name: DEMO_DOMAIN_NAME });

async function auditAddress(h: Harness, requestId: string): Promise<string | null> {
  await h.audit.flush();
  const rows = await h.db.sql<
    { address: string | null }[]
  >`select address from switchboard_audit where request_id = ${requestId}`;
  expect(rows).toHaveLength(1);
  return rows[0]!.address;
}

describe.each([
  ["trusted", "127.0.0.1", "198.51.100.23"],
  ["not trusted", "10.9.9.9", "127.0.0.1"],
])("served, with the loopback peer %s", (_label, proxies, expected) => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ trustedProxies: parseTrustedProxies(proxies), auth: { maxFailuresPerAddress: 2 } });
  }, 60_000);
  afterAll(async () => {
    await h.close();
  }, 60_000);

  test("the audit row and the request log carry the client address", async () => {
    const requestId = `xff-${crypto.randomUUID()}`;
    const res = await fetch(`${h.origin}/app/rest_api/rest.php`, {
      method: "POST",
      headers: {
        authorization: basic(DEMO_KEY_ID, DEMO_KEY_SECRET),
        "x-forwarded-for": "198.51.100.23",
        "x-request-id": requestId,
      },
      body: detailsBody,
    });
    expect(res.status).toBe(200);
    expect(await auditAddress(h, requestId)).toBe(expected);
    const line = h.logs
      .map((l) => JSON.parse(l) as { request_id?: string; address?: string })
      .find((l) => l.request_id === requestId);
    expect(line?.address).toBe(expected);
  });

  test("the failure limiter counts the client address", async () => {
    const attempt = (forwardedFor: string, secret: string) =>
      fetch(`${h.origin}/app/rest_api/rest.php`, {
        method: "POST",
        headers: { authorization: basic(DEMO_KEY_ID, secret), "x-forwarded-for": forwardedFor },
        body: detailsBody,
      });
    // Two failures lock the attacker's address out (maxFailuresPerAddress: 2).
    for (let i = 0; i < 3; i++) await attempt("203.0.113.66", `wrong-${i}`);
    const attackerAgain = await attempt("203.0.113.66", DEMO_KEY_SECRET);
    expect(attackerAgain.status).toBe(429);
    // Another client behind the same proxy: locked out too only when X-Forwarded-For is not believed.
    const other = await attempt("198.51.100.24", DEMO_KEY_SECRET);
    expect(other.status).toBe(proxies === "127.0.0.1" ? 200 : 429);
  });
});

describe("the origin the client used", () => {
  const trusted = parseTrustedProxies("127.0.0.1");

  test("a trusted proxy's X-Forwarded-Proto sets the scheme", () => {
    expect(resolveOrigin("http://pbx.example.com/switchboard/", "127.0.0.1", "https", trusted)).toBe(
      "https://pbx.example.com",
    );
  });

  test("an untrusted peer's, or a value that is no scheme, is ignored", () => {
    expect(resolveOrigin("http://pbx.example.com/", "203.0.113.9", "https", trusted)).toBe("http://pbx.example.com");
    expect(resolveOrigin("http://pbx.example.com/", "127.0.0.1", "javascript", trusted)).toBe("http://pbx.example.com");
  });
});
