import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { DEMO_DOMAIN_UUID, DEMO_KEY_ID, DEMO_KEY_SECRET } from "@switchboard/db";
import { createTRPCClient, httpBatchLink, httpLink, TRPCClientError } from "@trpc/client";
import { actions } from "@switchboard/core";
import type { AnyTRPCProcedure } from "@trpc/server";
import type { AppRouter } from "./index.ts";
import { createAppRouter } from "./trpc/router.ts";
import type { ActionRouterRecord } from "./trpc/router-types.ts";
import { basic, type Harness, startHarness } from "./testing/harness.ts";

let h: Harness;

function client(authorization: string | null, batch = true) {
  const link = batch ? httpBatchLink : httpLink;
  return createTRPCClient<AppRouter>({
    links: [link({ url: `${h.origin}/trpc`, headers: () => (authorization ? { authorization } : {}) })],
  });
}

beforeAll(async () => {
  h = await startHarness();
}, 60_000);
afterAll(async () => {
  await h?.close();
}, 30_000);

async function rejection(promise: Promise<unknown>): Promise<TRPCClientError<AppRouter>> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof TRPCClientError) return error as TRPCClientError<AppRouter>;
    throw error;
  }
  throw new Error("expected the call to fail");
}

describe("a typed tRPC client, as a user writes it", () => {
  test("Bearer key:secret and Basic both work; outputs are normalised", async () => {
    const bearer = client(`Bearer ${DEMO_KEY_ID}:${DEMO_KEY_SECRET}`);
    const created = await bearer.keys.create.mutate({
      name: "typed client",
      scopes: ["read"],
      domain_uuid: DEMO_DOMAIN_UUID,
    });
    // Typed: the output contract, not `unknown`.
    const keyId: string = created.key_uuid;
    const secret: string = created.secret;
    expect(keyId).toMatch(/^[0-9a-f-]{36}$/);
    expect(secret).toHaveLength(20);
    expect(created.disabled).toBe(false);
    expect(created.created).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);

    const viaBasic = client(basic(DEMO_KEY_ID, DEMO_KEY_SECRET));
    const keys = await viaBasic.keys.list.query({});
    expect(keys.map((k) => k.key_uuid)).toContain(keyId);
    expect(JSON.stringify(keys)).not.toContain(secret);
  });

  test("an original action through the typed client: normalised output", async () => {
    const c = client(`Bearer ${DEMO_KEY_ID}:${DEMO_KEY_SECRET}`);
    const domain = await c.domains.details.query({ domain_name: "fusionpbx.example.net" });
    const id: string = domain.domain_uuid;
    expect(id).toBe(DEMO_DOMAIN_UUID);
    expect(domain.domain_enabled).toBe(true);
  });

  test("batched calls share one request", async () => {
    const c = client(`Bearer ${DEMO_KEY_ID}:${DEMO_KEY_SECRET}`);
    const [a, b] = await Promise.all([c.keys.list.query({}), c.audit.list.query({ limit: 1 })]);
    expect(Array.isArray(a)).toBe(true);
    expect(b.items.length).toBeLessThanOrEqual(1);
  });

  test("unknown procedures do not typecheck", () => {
    const c = client(null);
    // @ts-expect-error — not an action
    expect(typeof c.nothing).toBe("function");
  });
});

type ProcedurePaths<R, Prefix extends string = ""> = {
  [K in keyof R & string]: R[K] extends AnyTRPCProcedure ? `${Prefix}${K}` : ProcedurePaths<R[K], `${Prefix}${K}.`>;
}[keyof R & string];

test("AppRouter has exactly one typed procedure per registry action, plus the event stream (types and runtime)", () => {
  type RouterPaths = ProcedurePaths<ActionRouterRecord>;
  type RegistryPaths = (typeof actions)[number]["path"];
  const sameTypes: [RouterPaths] extends [RegistryPaths]
    ? [RegistryPaths] extends [RouterPaths]
      ? true
      : false
    : false = true;
  expect(sameTypes).toBe(true);
  const runtime = Object.keys(createAppRouter()._def.procedures).sort();
  // events.stream is a subscription, not an action (docs/events.md).
  expect(runtime).toEqual([...actions.map((a) => a.path), "events.stream"].sort());
});

describe("errors", () => {
  test("no credentials: UNAUTHORIZED with the request id, no stack", async () => {
    const error = await rejection(client(null, false).keys.list.query({}));
    expect(error.data?.code).toBe("UNAUTHORIZED");
    expect(error.data?.httpStatus).toBe(401);
    expect(error.data?.requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(JSON.stringify(error.shape)).not.toContain("stack");
  });

  test("bad input: BAD_REQUEST with a readable message and zod's issues", async () => {
    const c = client(`Bearer ${DEMO_KEY_ID}:${DEMO_KEY_SECRET}`, false);
    // @ts-expect-error — name must be a string
    const error = await rejection(c.keys.create.mutate({ name: 5, scopes: ["bogus"] }));
    expect(error.data?.code).toBe("BAD_REQUEST");
    expect(error.message).toStartWith("invalid input: ");
    expect(error.message).toContain("name");
    expect(error.data?.issues?.length).toBeGreaterThan(0);
    expect(error.data?.field).toBe("name");
  });

  test("an action's NOT_FOUND keeps its code and message", async () => {
    const c = client(`Bearer ${DEMO_KEY_ID}:${DEMO_KEY_SECRET}`, false);
    const error = await rejection(c.keys.revoke.mutate({ key_uuid: "00000000-0000-4000-8000-000000000000" }));
    expect(error.data?.code).toBe("NOT_FOUND");
    expect(error.message).toBe("key not found");
  });

  test("a key without the scope: FORBIDDEN", async () => {
    const admin = client(`Bearer ${DEMO_KEY_ID}:${DEMO_KEY_SECRET}`);
    const reader = await admin.keys.create.mutate({ name: "reader", scopes: ["read"] });
    const error = await rejection(client(`Bearer ${reader.key_uuid}:${reader.secret}`, false).keys.list.query({}));
    expect(error.data?.code).toBe("FORBIDDEN");
    expect(error.message).toContain("admin");
  });

  test("raw wire: unknown procedure is 404, bad JSON never leaks a stack", async () => {
    const auth = { authorization: `Bearer ${DEMO_KEY_ID}:${DEMO_KEY_SECRET}` };
    const missing = await fetch(`${h.origin}/trpc/no.such.thing`, { headers: auth });
    expect(missing.status).toBe(404);
    const bad = await fetch(`${h.origin}/trpc/keys.create`, {
      method: "POST",
      headers: { ...auth, "content-type": "application/json" },
      body: "{not json",
    });
    const text = await bad.text();
    expect(bad.status).toBe(400);
    expect(text).not.toContain("stack");
    expect(text).not.toContain("    at ");
    expect(bad.headers.get("x-request-id")).toBeTruthy();
  });
});

describe("batches are bounded", () => {
  const auth = { Authorization: basic(DEMO_KEY_ID, DEMO_KEY_SECRET) };
  const batch = (n: number) => {
    const paths = Array.from({ length: n }, () => "keys.list").join(",");
    const input = encodeURIComponent(
      JSON.stringify(Object.fromEntries(Array.from({ length: n }, (_, i) => [String(i), {}]))),
    );
    return fetch(`${h.origin}/trpc/${paths}?batch=1&input=${input}`, { headers: auth });
  };

  test("a batch of up to 10 calls is served; a larger one is refused with 400 before any call runs", async () => {
    const served = await batch(10);
    expect(served.status).toBe(200);
    expect((await served.json()) as unknown[]).toHaveLength(10);
    const before = h.fake.apiCommands().length;
    await h.audit.flush();
    const [rows] = await h.db.sql<{ n: number }[]>`select count(*)::int as n from switchboard_audit`;
    const refused = await batch(11);
    expect(refused.status).toBe(400);
    const body = (await refused.json()) as
      | { error: { message: string; data: { code: string } } }[]
      | { error: { message: string; data: { code: string } } };
    const error = Array.isArray(body) ? body[0]!.error : body.error;
    expect(error.data.code).toBe("BAD_REQUEST");
    expect(error.message).toMatch(/batch/i);
    await h.audit.flush();
    const [after] = await h.db.sql<
      { n: number }[]
    >`select count(*)::int as n from switchboard_audit where action = 'key-list'`;
    const [all] = await h.db.sql<{ n: number }[]>`select count(*)::int as n from switchboard_audit`;
    expect(all!.n - rows!.n).toBe(0);
    expect(after!.n).toBeGreaterThanOrEqual(10);
    expect(h.fake.apiCommands().length).toBe(before);
  });
});
