import { describe, expect, test } from "bun:test";
import { z } from "zod";
import { defineAction } from "./action.ts";
import { createCallerFor } from "./action-caller.ts";
import { buildActionTree } from "./action-tree.ts";
import type { AuditEntry } from "./audit/audit-sink.ts";
import type { ActionContext } from "./context.ts";
import { ActionError } from "./errors.ts";
import { testCaller } from "./testing/test-context.ts";

// Handlers that touch neither the database nor a switch: the caller's own behaviour is under test.
const echo = defineAction({
  name: "test-echo",
  path: "tests.echo",
  summary: "echoes",
  scope: "read",
  kind: "query",
  domain: { by: "none" },
  input: z.object({ n: z.coerce.number().int() }),
  // PDO gives "t" and numeric strings; the output contract turns them into a boolean and a number.
  output: z.object({
    flag: z.union([z.boolean(), z.literal("t"), z.literal("f")]).transform((v) => v === true || v === "t"),
    n: z.coerce.number(),
  }),
  async handler(_ctx, input) {
    return { flag: "t" as const, n: String(input.n * 2) };
  },
});
const admin = defineAction({
  name: "test-admin",
  path: "tests.nested.admin",
  summary: "needs admin",
  scope: "admin",
  kind: "mutation",
  domain: { by: "none" },
  input: z.object({}).loose(),
  output: z.object({ ok: z.literal(true) }),
  async handler() {
    return { ok: true as const };
  },
});
const broken = defineAction({
  name: "test-broken",
  path: "tests.broken",
  summary: "breaks its contract",
  scope: "read",
  kind: "query",
  domain: { by: "none" },
  input: z.object({}).loose(),
  output: z.object({ id: z.string() }),
  async handler() {
    return { id: 42 as unknown as string };
  },
});

const list = [echo, admin, broken];
const ctxFor = (scopes: string[]): ActionContext =>
  ({
    sql: null,
    schema: null,
    switches: null,
    caller: testCaller({ scopes: new Set(scopes) as never }),
    now: () => new Date(),
  }) as unknown as ActionContext;
type TestCaller = {
  tests: {
    echo(input: unknown): Promise<unknown>;
    broken(): Promise<unknown>;
    nested: { admin(input?: unknown): Promise<unknown> };
  };
};

describe("in-process caller", () => {
  test("nests the tRPC paths and returns the normalised output", async () => {
    const calls = createCallerFor(list, ctxFor(["read"])) as TestCaller;
    expect(await calls.tests.echo({ n: "21" })).toEqual({ flag: true, n: 42 });
  });

  test("refusals are the action's errors: bad input names the field, a missing scope is FORBIDDEN", async () => {
    const calls = createCallerFor(list, ctxFor(["read"])) as TestCaller;
    await expect(calls.tests.echo({ n: "x" })).rejects.toMatchObject({ code: "BAD_REQUEST", field: "n" });
    await expect(calls.tests.nested.admin()).rejects.toMatchObject({ code: "FORBIDDEN" });
  });

  test("output outside the contract is an internal error, not a wrong value", async () => {
    const calls = createCallerFor(list, ctxFor(["read"])) as TestCaller;
    const failure = await calls.tests.broken().catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(ActionError);
    expect((failure as ActionError).code).toBe("INTERNAL_SERVER_ERROR");
  });

  test("each call is audited under the caller when a sink is given", async () => {
    const entries: AuditEntry[] = [];
    const audit = {
      record: (e: AuditEntry) => void entries.push(e),
      flush: async () => {},
      stats: () => ({ written: entries.length, failed: 0, dropped: 0, buffered: 0, lastError: null }),
    };
    const ctx = ctxFor(["admin"]);
    const calls = createCallerFor(list, ctx, { audit }) as TestCaller;
    await calls.tests.nested.admin({});
    await calls.tests.echo({ n: "bad" }).catch(() => {});
    expect(entries.map((e) => [e.action, e.outcome, e.errorCode, e.requestId])).toEqual([
      ["test-admin", "ok", null, ctx.caller.requestId],
      ["test-echo", "error", "BAD_REQUEST", ctx.caller.requestId],
    ]);
  });
});

describe("action tree", () => {
  test("reserved, clashing and repeated paths are refused", () => {
    const at = (path: string) => ({ ...echo, name: path, path });
    expect(() => buildActionTree([at("calls.then")], () => 1)).toThrow("reserved key 'then'");
    expect(() => buildActionTree([at("a.b"), at("a.b.c")], () => 1)).toThrow("clashes");
    expect(() => buildActionTree([at("a.b"), at("a.b")], () => 1)).toThrow("used twice");
  });
});
