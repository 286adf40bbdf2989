/**
 * Switchboard behind a real nginx configured with deploy/nginx/ as shipped, on the FusionPBX 5.6 schema the
 * harness creates: the seed README's curl keeps its URL, and X-Forwarded-For is believed only from nginx.
 */
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import http from "node:http";
import { DEMO_DOMAIN_NAME, DEMO_KEY_ID, DEMO_KEY_SECRET } from "@switchboard/db";
import { createApp } from "./app.ts";
import type { AppDeps } from "./env.ts";
import { parseTrustedProxies } from "./middleware/client-address.ts";
import { basic, type Harness, startHarness } from "./testing/harness.ts";
import { type Nginx, nginxBinary, startNginx } from "./testing/nginx.ts";

// Real PostgreSQL and child processes on a shared machine: a loaded minute must not fail a test.
setDefaultTimeout(30_000);

const NGINX_PEER = "127.0.0.2";
const CLIENT = "127.0.0.9";
const OTHER_CLIENT = "127.0.0.10";
const detailsBody = JSON.stringify({ action: "domain-details", domain_name: DEMO_DOMAIN_NAME });

interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** A request from a chosen loopback address (fetch cannot choose its source address). */
function request(
  origin: string,
  path: string,
  options: { from: string; method?: string; headers?: Record<string, string>; body?: string },
): Promise<Answer> {
  const url = new URL(path, origin);
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: url.hostname,
        port: url.port,
        path: url.pathname + url.search,
        method: options.method ?? "GET",
        headers: options.headers,
        localAddress: options.from,
      },
      (res) => {
        let body = "";
        res.setEncoding("utf8");
        res.on("data", (chunk: string) => {
          body += chunk;
        });
        res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      },
    );
    req.on("error", reject);
    req.end(options.body);
  });
}

const legacy = (origin: string, from: string, headers: Record<string, string> = {}, secret = DEMO_KEY_SECRET) =>
  request(origin, "/app/rest_api/rest.php", {
    from,
    method: "POST",
    // What `curl -s --user id:secret -d '{...}'` sends.
    headers: {
      authorization: basic(DEMO_KEY_ID, secret),
      accept: "*/*",
      "content-type": "application/x-www-form-urlencoded",
      ...headers,
    },
    body: detailsBody,
  });

const binary = nginxBinary();
if (!binary && process.env.CI === "true") throw new Error("nginx is not installed; .ci/run installs nginx-light");
if (!binary) console.warn("skipping the nginx tests: nginx is not installed (apt-get install nginx-light)");

describe.skipIf(!binary)("behind nginx with deploy/nginx/switchboard.conf", () => {
  let h: Harness;
  let nginx: Nginx;

  beforeAll(async () => {
    h = await startHarness({ trustedProxies: parseTrustedProxies(NGINX_PEER), auth: { maxFailuresPerAddress: 3 } });
    nginx = await startNginx({
      upstreamPort: h.server.port ?? 0,
      bindAddress: NGINX_PEER,
      // What FusionPBX's own server block answers for everything else.
      serverLines: ["location ~ \\.php$ { return 418; }", 'location / { return 200 "fusionpbx"; }'],
    });
  }, 60_000);
  afterAll(async () => {
    await nginx?.stop();
    await h?.close();
  }, 60_000);

  async function auditAddress(requestId: string): Promise<string | null> {
    await h.audit.flush();
    const rows = await h.db.sql<
      { address: string | null }[]
    >`select address from switchboard_audit where request_id = ${requestId}`;
    expect(rows).toHaveLength(1);
    return rows[0]!.address;
  }

  test("the seed README's curl answers through nginx exactly as directly", async () => {
    const direct = await legacy(h.origin, CLIENT);
    const proxied = await legacy(nginx.origin, CLIENT);
    expect(direct.status).toBe(200);
    expect(proxied.status).toBe(direct.status);
    expect(proxied.headers["content-type"]).toBe(direct.headers["content-type"]);
    expect(proxied.body).toBe(direct.body);
    expect(JSON.parse(proxied.body)).toMatchObject({ domain_name: DEMO_DOMAIN_NAME });
  });

  test("tRPC and the reference page are routed; FusionPBX keeps its other pages", async () => {
    const trpc = await request(
      nginx.origin,
      `/trpc/domains.details?input=${encodeURIComponent(JSON.stringify({ domain_name: DEMO_DOMAIN_NAME }))}`,
      {
        from: CLIENT,
        headers: { authorization: basic(DEMO_KEY_ID, DEMO_KEY_SECRET) },
      },
    );
    expect(trpc.status).toBe(200);
    expect(JSON.parse(trpc.body).result.data.domain_name).toBe(DEMO_DOMAIN_NAME);

    const reference = await request(nginx.origin, "/switchboard/", { from: CLIENT });
    expect(reference.status).toBe(200);
    expect(reference.body).toContain("Switchboard API");
    expect((await request(nginx.origin, "/switchboard/openapi.json", { from: CLIENT })).status).toBe(200);
    expect((await request(nginx.origin, "/switchboard/health", { from: CLIENT })).status).toBe(200);
    const bare = await request(nginx.origin, "/switchboard", { from: CLIENT });
    expect(bare.status).toBe(301);

    expect((await request(nginx.origin, "/", { from: CLIENT })).body).toBe("fusionpbx");
    expect((await request(nginx.origin, "/app/other/page.php", { from: CLIENT })).status).toBe(418);
  });

  test("through nginx the client's own address is audited, not nginx's and not a forged one", async () => {
    const requestId = `nginx-${crypto.randomUUID()}`;
    const r = await legacy(nginx.origin, CLIENT, { "x-forwarded-for": "198.51.100.7", "x-request-id": requestId });
    expect(r.status).toBe(200);
    expect(await auditAddress(requestId)).toBe(CLIENT);
  });

  test("a forged X-Forwarded-For sent straight to Switchboard from an untrusted peer is ignored", async () => {
    const requestId = `direct-${crypto.randomUUID()}`;
    const r = await legacy(h.origin, CLIENT, { "x-forwarded-for": "198.51.100.7", "x-request-id": requestId });
    expect(r.status).toBe(200);
    expect(await auditAddress(requestId)).toBe(CLIENT);
  });

  test("an attacker behind nginx is locked out alone", async () => {
    const attacker = "127.0.0.11";
    for (let i = 0; i < 4; i++) await legacy(nginx.origin, attacker, {}, `wrong-secret-${i}`);
    expect((await legacy(nginx.origin, attacker)).status).toBe(429);
    expect((await legacy(nginx.origin, OTHER_CLIENT)).status).toBe(200);
  });

  test("the console through nginx: redirects, the session cookie's path, and https told by a trusted X-Forwarded-Proto", async () => {
    const form = new URLSearchParams({ key_id: DEMO_KEY_ID, secret: DEMO_KEY_SECRET }).toString();
    const signIn = (origin: string, from: string, headers: Record<string, string> = {}) =>
      request(origin, "/console/sign-in", {
        from,
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded", ...headers },
        body: form,
      });
    // nginx passes `Host` without the port, so the origin browsers post from is PUBLIC_URL's to know.
    const deps: AppDeps = { ...h.deps };
    const server = Bun.serve({ hostname: "127.0.0.1", port: 0, fetch: createApp(deps).fetch });
    const proxy = await startNginx({ upstreamPort: server.port ?? 0, bindAddress: NGINX_PEER });
    try {
      deps.publicUrl = proxy.origin;
      const entry = await request(proxy.origin, "/console", { from: CLIENT });
      expect([entry.status, entry.headers.location]).toEqual([303, "/console/"]);
      const home = await request(proxy.origin, "/console/", { from: CLIENT });
      expect([home.status, home.headers.location]).toEqual([303, "/console/sign-in"]);
      const signedIn = await signIn(proxy.origin, CLIENT, { origin: proxy.origin });
      expect([signedIn.status, signedIn.headers.location]).toEqual([303, "/console/keys"]);
      const cookie = signedIn.headers["set-cookie"]?.[0] ?? "";
      expect(cookie).toContain("Path=/console");
      expect(cookie).not.toContain("Secure");
      const keys = await request(proxy.origin, "/console/keys", {
        from: CLIENT,
        headers: { cookie: cookie.split(";")[0]! },
      });
      expect(keys.status).toBe(200);
      expect(keys.body).toContain(DEMO_KEY_ID);
    } finally {
      await proxy.stop();
      await server.stop(true);
    }

    // nginx in front of TLS says `X-Forwarded-Proto: https`: believed from the trusted proxy only.
    const tls = `https://127.0.0.1:${h.server.port}`;
    const fromProxy = await signIn(h.origin, NGINX_PEER, { origin: tls, "x-forwarded-proto": "https" });
    expect(fromProxy.status).toBe(303);
    expect(fromProxy.headers["set-cookie"]?.[0]).toContain("; Secure");
    const forged = await signIn(h.origin, CLIENT, { origin: tls, "x-forwarded-proto": "https" });
    expect(forged.status).toBe(403);
    const plain = await signIn(h.origin, CLIENT, { origin: h.origin, "x-forwarded-proto": "https" });
    expect(plain.status).toBe(303);
    expect(plain.headers["set-cookie"]?.[0]).not.toContain("Secure");
  });
});
