import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { actions, defineAction, type AnyAction } from "@switchboard/core";
import { createSql, DEMO_DOMAIN_UUID, DEMO_KEY_ID, DEMO_KEY_SECRET } from "@switchboard/db";
import { createMemoryLogger } from "@switchboard/runtime";
import { z } from "zod";
import { createApp } from "./app.ts";
import { LEGACY_PATH } from "./legacy/rest-php.ts";
import { parseTrustedProxies } from "./middleware/client-address.ts";
import { basic, type Harness, startHarness } from "./testing/harness.ts";
import { legacyPost } from "./testing/legacy-client.ts";

let h: Harness;
const auth = { Authorization: basic(DEMO_KEY_ID, DEMO_KEY_SECRET) };

beforeAll(async () => {
  h = await startHarness({ maxBodyBytes: 4096 });
}, 60_000);
afterAll(async () => {
  await h?.close();
}, 30_000);

describe("middleware", () => {
  test("every response has an X-Request-Id; a sane client id is kept, anything else replaced", async () => {
    for (const path of ["/", "/health", "/nowhere", LEGACY_PATH, "/trpc/keys.list"]) {
      const r = await fetch(`${h.origin}${path}`);
      expect([path, r.headers.get("x-request-id")]).toEqual([path, expect.stringMatching(/^[0-9a-f-]{36}$/)]);
    }
    const kept = await fetch(`${h.origin}/health`, { headers: { "X-Request-Id": "client-42.a" } });
    expect(kept.headers.get("x-request-id")).toBe("client-42.a");
    const replaced = await fetch(`${h.origin}/health`, { headers: { "X-Request-Id": "bad id\twith<stuff>" } });
    expect(replaced.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
  });

  test("one JSON log line per request, with its request id and status", async () => {
    const before = h.logs.length;
    const r = await fetch(`${h.origin}/health`, { headers: { "X-Request-Id": "log-check-1" } });
    expect(r.status).toBe(200);
    const lines = h.logs
      .slice(before)
      .map((l) => JSON.parse(l) as { request_id: string; status: number; path: string });
    expect(lines.filter((l) => l.request_id === "log-check-1")).toEqual([
      expect.objectContaining({ status: 200, path: "/health" }),
    ]);
  });

  test("the request log names the action run: its tRPC path (each, in a batch) or its legacy name", async () => {
    const logged = async (requestId: string, url: string, init: RequestInit = {}) => {
      const before = h.logs.length;
      const r = await fetch(`${h.origin}${url}`, {
        ...init,
        headers: { ...auth, "X-Request-Id": requestId, ...(init.headers ?? {}) },
      });
      expect(r.status).toBe(200);
      const lines = h.logs.slice(before).map((l) => JSON.parse(l) as { request_id: string; action: string | null });
      return lines.filter((l) => l.request_id === requestId).map((l) => l.action);
    };
    const input = encodeURIComponent(JSON.stringify({ domain_uuid: DEMO_DOMAIN_UUID }));
    expect(await logged("log-trpc-1", `/trpc/domains.details?input=${input}`)).toEqual(["domains.details"]);
    const batch = encodeURIComponent(JSON.stringify({ 0: { domain_uuid: DEMO_DOMAIN_UUID }, 1: {} }));
    expect(await logged("log-trpc-2", `/trpc/domains.details,keys.list?batch=1&input=${batch}`)).toEqual([
      "domains.details,keys.list",
    ]);
    expect(
      await logged("log-legacy-1", "/app/rest_api/rest.php", {
        method: "POST",
        body: JSON.stringify({ action: "domain-details", domain_uuid: DEMO_DOMAIN_UUID }),
      }),
    ).toEqual(["domain-details"]);
  });

  test("a body over the limit gets 413 with a clear message, before auth", async () => {
    const r = await legacyPost(h.origin, JSON.stringify({ action: "key-list", pad: "x".repeat(5000) }), auth);
    expect(r.status).toBe(413);
    expect(JSON.parse(r.text)).toEqual({ error: "request body too large (limit 4096 bytes)" });
    const trpc = await fetch(`${h.origin}/trpc/keys.create`, {
      method: "POST",
      headers: { ...auth, "content-type": "application/json" },
      body: "x".repeat(5000),
    });
    expect(trpc.status).toBe(413);
  });

  test("a streamed (chunked) body is counted as it arrives: over the limit 413, under it served", async () => {
    const streamed = (text: string) =>
      new ReadableStream<Uint8Array>({
        start(controller) {
          const bytes = new TextEncoder().encode(text);
          for (let at = 0; at < bytes.length; at += 1000) controller.enqueue(bytes.slice(at, at + 1000));
          controller.close();
        },
      });
    const over = await fetch(`${h.origin}${LEGACY_PATH}`, {
      method: "POST",
      headers: auth,
      body: streamed(JSON.stringify({ action: "domain-details", pad: "x".repeat(5000) })),
    });
    expect(over.status).toBe(413);
    expect(await over.json()).toEqual({ error: "request body too large (limit 4096 bytes)" });
    const under = await fetch(`${h.origin}${LEGACY_PATH}`, {
      method: "POST",
      headers: auth,
      body: streamed(
        JSON.stringify({ action: "domain-details", domain_uuid: DEMO_DOMAIN_UUID, pad: "x".repeat(2000) }),
      ),
    });
    expect(under.status).toBe(200);
    expect(((await under.json()) as { domain_uuid?: string }).domain_uuid).toBe(DEMO_DOMAIN_UUID);
  });

  test("unknown paths: a JSON 404", async () => {
    const r = await fetch(`${h.origin}/app/rest_api/githook.php`);
    expect(r.status).toBe(404);
    expect(await r.json()).toEqual({ error: "not found" });
  });
});

describe("no stack traces, ever", () => {
  /** A read-only query on no domain, for the failures below. */
  const testQuery = (name: string, path: string, output: z.ZodType, handler: () => Promise<never>) =>
    defineAction({
      name,
      path,
      summary: name,
      scope: "read",
      domain: { by: "none" },
      kind: "query",
      input: z.object({}).loose(),
      output,
      handler,
    });

  const boom = testQuery("test-boom", "tests.boom", z.object({}), async () => {
    throw new Error("secret internals at /srv/app/file.ts:12");
  });

  test("an unexpected error answers 500 without details on both faces, and is logged", async () => {
    const { logger, lines: logs } = createMemoryLogger("api");
    const app = createApp({ ...h.deps, logger }, [boom as unknown as AnyAction]);
    const legacy = await app.fetch(
      new Request(`http://127.0.0.1${LEGACY_PATH}`, { method: "POST", body: '{"action":"test-boom"}', headers: auth }),
    );
    const legacyText = await legacy.text();
    expect([legacy.status, legacyText]).toEqual([500, '{"error":"internal_server_error"}']);
    expect(logs.some((l) => l.includes("legacy action test-boom failed") && l.includes("secret internals"))).toBe(true);
    const trpc = await app.fetch(new Request("http://127.0.0.1/trpc/tests.boom?input=%7B%7D", { headers: auth }));
    const trpcText = await trpc.text();
    expect(trpc.status).toBe(500);
    expect(trpcText).not.toContain("secret internals");
    expect(trpcText).not.toContain("stack");
    expect(JSON.parse(trpcText).error.message).toBe("internal server error");
    expect(logs.some((l) => l.includes("secret internals"))).toBe(true);
  });

  const offContract = testQuery(
    "test-off-contract",
    "tests.offContract",
    z.object({ count: z.number() }),
    async () => ({ count: "many" }) as never,
  );

  test("an answer outside the action's output contract is a 500 on tRPC, logged with the field, never sent", async () => {
    const { logger, lines: logs } = createMemoryLogger("api");
    const app = createApp({ ...h.deps, logger }, [offContract as unknown as AnyAction]);
    const trpc = await app.fetch(
      new Request("http://127.0.0.1/trpc/tests.offContract?input=%7B%7D", { headers: auth }),
    );
    const text = await trpc.text();
    expect(trpc.status).toBe(500);
    expect(text).not.toContain("many");
    expect(JSON.parse(text).error.message).toBe("internal server error");
    expect(
      logs.some((l) => l.includes("test-off-contract answered outside its output contract") && l.includes("count")),
    ).toBe(true);
  });
});

describe("database down", () => {
  test("legacy answers 503 {error} and tRPC SERVICE_UNAVAILABLE, quickly", async () => {
    const dead = createSql("postgres://postgres@127.0.0.1:1/none", { max: 1, connectTimeoutSeconds: 2 });
    const app = createApp({
      ...h.deps,
      sql: dead,
      authenticator: (await import("@switchboard/core")).createAuthenticator(dead),
    });
    const legacy = await app.fetch(
      new Request(`http://127.0.0.1${LEGACY_PATH}`, { method: "POST", body: '{"action":"key-list"}', headers: auth }),
    );
    expect([legacy.status, await legacy.text()]).toEqual([503, '{"error":"database unavailable"}']);
    const trpc = await app.fetch(new Request("http://127.0.0.1/trpc/keys.list?input=%7B%7D", { headers: auth }));
    expect(trpc.status).toBe(503);
    const body = (await trpc.json()) as { error: { message: string; data: { code: string } } };
    expect(body.error.data.code).toBe("SERVICE_UNAVAILABLE");
    expect(body.error.message).toBe("database unavailable");
    const health = await app.fetch(new Request("http://127.0.0.1/health"));
    expect(health.status).toBe(503);
    expect(((await health.json()) as { database: { up: boolean } }).database.up).toBe(false);
    await dead.end({ timeout: 0 });
  }, 20_000);
});

describe("health, docs, OpenAPI", () => {
  test("GET /health with an admin key reports the database and each switch with latency", async () => {
    const r = await fetch(`${h.origin}/health`, { headers: auth });
    const body = (await r.json()) as {
      status: string;
      database: { up: boolean; latency_ms: number };
      switches: { name: string; up: boolean; latency_ms: number }[];
    };
    expect(r.status).toBe(200);
    expect(body.status).toBe("ok");
    expect(body.database.up).toBe(true);
    expect(typeof body.database.latency_ms).toBe("number");
    expect(body.switches).toEqual([expect.objectContaining({ name: h.fake.name, up: true })]);
  });

  test("GET / documents every registry action with a legacy curl and a tRPC call", async () => {
    const r = await fetch(`${h.origin}/`);
    const html = await r.text();
    expect(r.headers.get("content-type")).toContain("text/html");
    for (const action of actions as readonly AnyAction[]) {
      expect(html).toContain(`id="${action.name}"`);
      expect(html).toContain(`{&quot;action&quot;:&quot;${action.name}&quot;`);
      expect(html).toContain(`/trpc/${action.path}`);
    }
  });

  test("the docs show PUBLIC_URL when set, else the origin the client used (a trusted proxy's scheme)", async () => {
    const published = createApp({ ...h.deps, publicUrl: "https://pbx.example.com/" });
    expect(await (await published.request("/switchboard/")).text()).toContain(
      "https://pbx.example.com/app/rest_api/rest.php",
    );
    const proxied = createApp({ ...h.deps, trustedProxies: parseTrustedProxies("127.0.0.1") });
    const fromNginx = { requestIP: () => ({ address: "127.0.0.1" }) };
    const forwarded = new Request("http://pbx.example.com/switchboard/", { headers: { "x-forwarded-proto": "https" } });
    expect(await (await proxied.fetch(forwarded, fromNginx)).text()).toContain(
      "https://pbx.example.com/app/rest_api/rest.php",
    );
    const untrusted = { requestIP: () => ({ address: "203.0.113.5" }) };
    const forged = new Request("http://pbx.example.com/switchboard/", { headers: { "x-forwarded-proto": "https" } });
    expect(await (await proxied.fetch(forged, untrusted)).text()).toContain(
      "http://pbx.example.com/app/rest_api/rest.php",
    );
  });

  test("the reference is served under /switchboard/ too, and its links resolve under either base", async () => {
    for (const base of ["/", "/switchboard/"]) {
      const page = await fetch(`${h.origin}${base}`);
      expect(page.status).toBe(200);
      const html = await page.text();
      const links = [...html.matchAll(/<a href="([^"#][^"]*)"/g)].map((m) => m[1]!);
      // The console is at /console under either base (nginx routes it there beside FusionPBX).
      expect(links).toEqual(["health", "openapi.json", "/console/"]);
      for (const link of links.slice(0, 2)) {
        const target = new URL(link, `${h.origin}${base}`);
        expect(target.pathname.startsWith(base)).toBe(true);
        expect((await fetch(target)).status).toBe(200);
      }
      const consoleHome = await fetch(new URL("/console/", h.origin), { redirect: "manual" });
      expect([consoleHome.status, consoleHome.headers.get("location")]).toEqual([303, "/console/sign-in"]);
    }
  });

  test("GET /openapi.json describes every action's legacy request and response", async () => {
    const doc = (await (await fetch(`${h.origin}/openapi.json`)).json()) as {
      openapi: string;
      paths: Record<string, unknown>;
      components: { schemas: Record<string, { properties?: Record<string, unknown>; required?: string[] }> };
    };
    expect(doc.openapi).toBe("3.1.0");
    expect(Object.keys(doc.paths)).toEqual([LEGACY_PATH]);
    for (const action of actions as readonly AnyAction[]) {
      const request = doc.components.schemas[`${action.name}.request`];
      expect(request?.properties?.action).toEqual({ const: action.name, description: "Case-insensitive action name" });
      for (const name of action.legacy?.required ?? []) expect(request?.required).toContain(name);
      expect(doc.components.schemas[`${action.name}.body`]).toBeDefined();
    }
  });
});

describe("audit", () => {
  test("calls on both faces are audited with face, key, action, outcome and request id", async () => {
    await legacyPost(h.origin, '{"action":"key-list"}', { ...auth, "X-Request-Id": "audit-legacy-1" });
    await fetch(`${h.origin}/trpc/keys.list?input=%7B%7D`, { headers: { ...auth, "X-Request-Id": "audit-trpc-1" } });
    await fetch(`${h.origin}/trpc/keys.revoke`, {
      method: "POST",
      headers: { ...auth, "X-Request-Id": "audit-trpc-2", "content-type": "application/json" },
      body: JSON.stringify({ key_uuid: "00000000-0000-4000-8000-000000000000" }),
    });
    await legacyPost(h.origin, '{"action":"key-revoke"}', { ...auth, "X-Request-Id": "audit-legacy-2" });
    await h.audit.flush();
    const rows = await h.db.sql<
      {
        face: string;
        key_uuid: string;
        action: string;
        outcome: string;
        error_code: string | null;
        request_id: string;
      }[]
    >`
      select face, key_uuid::text as key_uuid, action, outcome, error_code, request_id from switchboard_audit
      where request_id in ('audit-legacy-1', 'audit-legacy-2', 'audit-trpc-1', 'audit-trpc-2') order by request_id`;
    expect([...rows]).toEqual([
      {
        face: "legacy",
        key_uuid: DEMO_KEY_ID,
        action: "key-list",
        outcome: "ok",
        error_code: null,
        request_id: "audit-legacy-1",
      },
      {
        face: "legacy",
        key_uuid: DEMO_KEY_ID,
        action: "key-revoke",
        outcome: "error",
        error_code: "BAD_REQUEST",
        request_id: "audit-legacy-2",
      },
      {
        face: "trpc",
        key_uuid: DEMO_KEY_ID,
        action: "key-list",
        outcome: "ok",
        error_code: null,
        request_id: "audit-trpc-1",
      },
      {
        face: "trpc",
        key_uuid: DEMO_KEY_ID,
        action: "key-revoke",
        outcome: "error",
        error_code: "NOT_FOUND",
        request_id: "audit-trpc-2",
      },
    ]);
  });

  test("audit-list pages with a cursor, newest first", async () => {
    for (let i = 0; i < 5; i++) await legacyPost(h.origin, '{"action":"key-list"}', auth);
    await h.audit.flush();
    const before = (
      await h.db.sql<{ audit_uuid: string }[]>`select audit_uuid::text as audit_uuid from switchboard_audit`
    ).map((r) => r.audit_uuid);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const r = await legacyPost(
        h.origin,
        JSON.stringify({ action: "audit-list", limit: 2, ...(cursor ? { cursor } : {}) }),
        auth,
      );
      expect(r.status).toBe(200);
      const page = JSON.parse(r.text) as {
        items: { audit_uuid: string; occurred_at: string }[];
        nextCursor: string | null;
      };
      expect(page.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.items.map((i) => i.audit_uuid));
      cursor = page.nextCursor;
    } while (cursor);
    // Every row that existed when paging began, each once (the audit-list calls add newer rows meanwhile).
    expect(before.length).toBeGreaterThan(4);
    expect(before.filter((id) => !seen.includes(id))).toEqual([]);
    expect(new Set(seen).size).toBe(seen.length);
    const bad = await legacyPost(h.origin, '{"action":"audit-list","cursor":"bm9wZQ"}', auth);
    expect([bad.status, bad.text]).toEqual([400, '{"error":"invalid parameter: cursor"}']);
  });
});

describe("switch down", () => {
  test("originate answers the original's own body on the legacy route and SERVICE_UNAVAILABLE on tRPC", async () => {
    const { createSwitchPool } = await import("@switchboard/esl");
    const down = createSwitchPool({
      switches: [{ host: "127.0.0.1", port: 1, password: "ClueCon" }],
      connection: { connectTimeoutMs: 1000 },
    });
    const app = createApp({ ...h.deps, switches: down });
    const body = {
      destination_a: "101",
      destination_b: "100",
      caller_id_number: "100",
      domain_uuid: "3a644e67-de8f-4798-b07e-6f22c33a656e",
      domain_name: "fusionpbx.example.net",
    };
    const legacy = await app.fetch(
      new Request(`http://127.0.0.1${LEGACY_PATH}`, {
        method: "POST",
        body: JSON.stringify({ action: "originate", ...body }),
        headers: auth,
      }),
    );
    expect([legacy.status, await legacy.text()]).toEqual([
      500,
      '{"error":"internal_server_error","message":"failed to connect to FreeSWITCH"}',
    ]);
    const trpc = await app.fetch(
      new Request("http://127.0.0.1/trpc/calls.originate", {
        method: "POST",
        body: JSON.stringify({
          domain_uuid: body.domain_uuid,
          caller_id_number: "100",
          ring_first: "100",
          connect_to: "101",
        }),
        headers: { ...auth, "content-type": "application/json" },
      }),
    );
    const reply = (await trpc.json()) as { error: { message: string; data: { code: string } } };
    expect(reply.error.data.code).toBe("SERVICE_UNAVAILABLE");
    expect(reply.error.message).toContain("FreeSWITCH");
    const health = (await (await app.fetch(new Request("http://127.0.0.1/health"))).json()) as {
      status: string;
      switches: { up: boolean }[];
    };
    expect(health.status).toBe("degraded");
    expect(health.switches[0]!.up).toBe(false);
    await down.close();
  }, 20_000);
});
