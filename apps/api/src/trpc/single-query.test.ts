import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { DEMO_DOMAIN_NAME, DEMO_KEY_ID, DEMO_KEY_SECRET } from "@switchboard/db";
import { Hono } from "hono";
import { createApp } from "../app.ts";
import type { AppEnv } from "../env.ts";
import { requestId } from "../middleware/request-id.ts";
import { basic, type Harness, startHarness } from "../testing/harness.ts";
import { createAppRouter } from "./router.ts";
import { singleQuery } from "./single-query.ts";

// Real PostgreSQL and child processes on a shared machine: a loaded minute must not fail a test.
setDefaultTimeout(30_000);

const q = (path: string, input?: unknown, extra = "") =>
  `/trpc/${path}${input === undefined ? (extra ? `?${extra}` : "") : `?input=${encodeURIComponent(JSON.stringify(input))}${extra ? `&${extra}` : ""}`}`;

interface Answer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

async function answer(origin: string, path: string, headers: Record<string, string>): Promise<Answer> {
  const res = await fetch(`${origin}${path}`, { headers });
  const kept = Object.fromEntries([...res.headers].filter(([name]) => name !== "date"));
  return { status: res.status, headers: kept, body: await res.text() };
}

describe("single GET queries answered without tRPC's HTTP resolver", () => {
  let h: Harness;
  let standard: ReturnType<typeof Bun.serve>;
  let standardOrigin: string;
  beforeAll(async () => {
    h = await startHarness({ auth: { maxFailuresPerAddress: 6 } });
    standard = Bun.serve({
      hostname: "127.0.0.1",
      port: 0,
      fetch: createApp({ ...h.deps, trpcSingleQueryFastPath: false }).fetch,
    });
    standardOrigin = `http://127.0.0.1:${standard.port}`;
  }, 60_000);
  afterAll(async () => {
    await standard?.stop(true);
    await h?.close();
  }, 60_000);

  const good = { authorization: basic(DEMO_KEY_ID, DEMO_KEY_SECRET) };
  const cases: [string, string, Record<string, string>][] = [
    ["a query by name", q("domains.details", { domain_name: DEMO_DOMAIN_NAME }), good],
    ["an action's NOT_FOUND", q("domains.details", { domain_name: "nowhere.example" }), good],
    ["input the action refuses", q("domains.details", { domain_uuid: "not-a-uuid" }), good],
    ["no input at all", q("domains.details"), good],
    ["no credentials", q("domains.details", { domain_name: DEMO_DOMAIN_NAME }), {}],
    ["a Bearer key", q("keys.list", {}), { authorization: `Bearer ${DEMO_KEY_ID}:${DEMO_KEY_SECRET}` }],
    ["input that is not JSON (the resolver answers)", "/trpc/domains.details?input=%7Bnot-json", good],
    ["an unknown procedure (the resolver answers)", q("domains.nothing", {}), good],
    ["a mutation by GET (the resolver answers)", q("extensions.create", { extension: "1" }), good],
    [
      "a batch (the resolver answers)",
      `/trpc/domains.details?batch=1&input=${encodeURIComponent(JSON.stringify({ 0: { domain_name: DEMO_DOMAIN_NAME } }))}`,
      good,
    ],
  ];

  for (const [name, path, headers] of cases) {
    test(`${name}: the same status, headers and body as @trpc/server's adapter`, async () => {
      const requestHeaders = { ...headers, "x-request-id": `same-${crypto.randomUUID()}` };
      const fast = await answer(h.origin, path, requestHeaders);
      const reference = await answer(standardOrigin, path, requestHeaders);
      expect(fast).toEqual(reference);
    });
  }

  test("a rate-limited client gets the same 429 and Retry-After", async () => {
    const wrong = { authorization: basic(DEMO_KEY_ID, "wrong-secret") };
    for (let i = 0; i < 7; i++) await answer(h.origin, q("domains.details", { domain_name: DEMO_DOMAIN_NAME }), wrong);
    const requestHeaders = { ...good, "x-request-id": "same-rate-limited" };
    const fast = await answer(h.origin, q("domains.details", { domain_name: DEMO_DOMAIN_NAME }), requestHeaders);
    const reference = await answer(
      standardOrigin,
      q("domains.details", { domain_name: DEMO_DOMAIN_NAME }),
      requestHeaders,
    );
    expect(fast.status).toBe(429);
    expect(fast.headers["retry-after"]).toMatch(/^\d+$/);
    expect({ ...fast, headers: { ...fast.headers, "retry-after": "n" } }).toEqual({
      ...reference,
      headers: { ...reference.headers, "retry-after": "n" },
    });
  });

  test("it answers the query itself and passes everything else on", async () => {
    // Mounted alone: what it answers comes from it; what it passes on reaches the app's 404.
    const app = new Hono<AppEnv>();
    app.use(requestId());
    app.use(
      "/trpc/*",
      singleQuery({
        router: createAppRouter(),
        createContext: async (c) => ({
          deps: h.deps,
          requestId: c.get("requestId"),
          caller: null,
          authFailure: null,
          markActionRan() {},
        }),
        responseHeaders: () => ({}),
        onError: () => {},
      }),
    );
    const answered = await app.request(q("domains.details", { domain_name: DEMO_DOMAIN_NAME }));
    expect(answered.status).toBe(401);
    expect(((await answered.json()) as { error: { data: { code: string } } }).error.data.code).toBe("UNAUTHORIZED");
    for (const path of [
      q("extensions.create", {}),
      q("domains.details", {}, "batch=1"),
      "/trpc/domains.details?input=%7B",
    ]) {
      expect((await app.request(path)).status).toBe(404);
    }
    expect(
      (await app.request(q("domains.details", {}), { headers: { "trpc-accept": "application/jsonl" } })).status,
    ).toBe(404);
  });
});
