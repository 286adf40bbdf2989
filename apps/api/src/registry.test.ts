import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { actions, type AnyAction } from "@switchboard/core";
import { DEMO_KEY_ID, DEMO_KEY_SECRET } from "@switchboard/db";
import { basic, type Harness, startHarness } from "./testing/harness.ts";
import { legacyPost } from "./testing/legacy-client.ts";

let h: Harness;
const auth = { Authorization: basic(DEMO_KEY_ID, DEMO_KEY_SECRET) };
const list = actions as readonly AnyAction[];

beforeAll(async () => {
  h = await startHarness();
}, 60_000);
afterAll(async () => {
  await h?.close();
}, 30_000);

test("the registry has actions with unique legacy names and tRPC paths", () => {
  expect(list.length).toBeGreaterThan(0);
  expect(new Set(list.map((a) => a.name)).size).toBe(list.length);
  expect(new Set(list.map((a) => a.path)).size).toBe(list.length);
});

describe("every registry action is reachable on the legacy route", () => {
  test.each(list.map((a) => [a.name, a] as const))("%s", async (name) => {
    const r = await legacyPost(h.origin, JSON.stringify({ action: name }), auth);
    expect(r.text).not.toBe('{"error":"unknown action"}');
    expect(r.text).not.toBe('{"error":"internal_server_error"}');
    expect(r.headers.get("content-type")).toBe("application/json");
  });
});

describe("every registry action is reachable on tRPC", () => {
  test.each(list.map((a) => [a.path, a] as const))("%s", async (path, action) => {
    const headers = { ...auth, "content-type": "application/json" };
    const r =
      action.kind === "query"
        ? await fetch(`${h.origin}/trpc/${path}?input=${encodeURIComponent("{}")}`, { headers })
        : await fetch(`${h.origin}/trpc/${path}`, { method: "POST", headers, body: "{}" });
    const body = (await r.json()) as { result?: unknown; error?: { message: string; data: { code: string } } };
    if (body.error) {
      expect(body.error.message).not.toStartWith("No procedure found");
      expect(body.error.data.code).not.toBe("INTERNAL_SERVER_ERROR");
    } else {
      expect(body.result).toBeDefined();
    }
  });
});
