import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { type AuditSink, createKey } from "@switchboard/core";
import { DEMO_KEY_ID, DEMO_KEY_SECRET } from "@switchboard/db";
import { createApp } from "./app.ts";
import { cachedProbe } from "./health.ts";
import { basic, type Harness, startHarness } from "./testing/harness.ts";

setDefaultTimeout(30_000);

describe("cachedProbe", () => {
  test("concurrent callers share one run; a finished run is reused for the ttl, then run again", async () => {
    let runs = 0;
    const probe = cachedProbe(async () => {
      runs++;
      await Bun.sleep(30);
      return runs;
    }, 200);
    expect(await Promise.all([probe(), probe(), probe()])).toEqual([1, 1, 1]);
    expect(await probe()).toBe(1);
    await Bun.sleep(250);
    expect(await probe()).toBe(2);
    expect(runs).toBe(2);
  });

  test("a failed run is not kept", async () => {
    let runs = 0;
    const probe = cachedProbe(async () => {
      runs++;
      if (runs === 1) throw new Error("boom");
      return runs;
    }, 10_000);
    await expect(probe()).rejects.toThrow("boom");
    expect(await probe()).toBe(2);
  });
});

describe("GET /health", () => {
  let h: Harness;
  let reader: { keyId: string; secret: string };
  beforeAll(async () => {
    h = await startHarness();
    reader = await createKey(h.db.sql, { name: "health reader", scopes: ["read"] });
  }, 60_000);
  afterAll(async () => {
    await h?.close();
  }, 60_000);

  const statusCommands = () => h.fake.apiCommands().filter((c) => c.startsWith("status")).length;

  test("anonymous callers see up or down per component, no names, addresses, latencies or causes", async () => {
    const r = await fetch(`${h.origin}/health`);
    expect(r.status).toBe(200);
    const body = (await r.json()) as Record<string, unknown>;
    expect(body).toEqual({
      status: "ok",
      checked_at: expect.any(String),
      database: { up: true },
      switches: [{ up: true }],
      audit: { up: true },
    });
    expect(JSON.stringify(body)).not.toContain(String(h.fake.port));
  });

  test("a key without admin scope sees the same; an admin key sees latencies, switch names and the audit counters", async () => {
    const plain = await fetch(`${h.origin}/switchboard/health`, {
      headers: { authorization: basic(reader.keyId, reader.secret) },
    });
    expect(Object.keys((await plain.json()) as object).sort()).toEqual([
      "audit",
      "checked_at",
      "database",
      "status",
      "switches",
    ]);
    const r = await fetch(`${h.origin}/health`, {
      headers: { authorization: `Bearer ${DEMO_KEY_ID}:${DEMO_KEY_SECRET}` },
    });
    expect(r.status).toBe(200);
    const body = (await r.json()) as {
      database: { up: boolean; latency_ms: number };
      switches: { name: string; up: boolean; latency_ms: number }[];
      audit: { up: boolean; written: number; failed: number; dropped: number; buffered: number; last_error: null };
    };
    expect(typeof body.database.latency_ms).toBe("number");
    expect(body.switches).toEqual([expect.objectContaining({ name: h.fake.name, up: true })]);
    expect(body.audit).toEqual({
      up: true,
      written: expect.any(Number),
      failed: 0,
      dropped: 0,
      buffered: expect.any(Number),
      last_error: null,
    });
  });

  test("wrong credentials are refused, not answered with either view", async () => {
    const r = await fetch(`${h.origin}/health`, { headers: { authorization: basic(DEMO_KEY_ID, "wrong-secret") } });
    expect(r.status).toBe(401);
  });

  test("a flood of requests sends one switch command per probe period, shared by concurrent requests", async () => {
    const app = createApp({ ...h.deps, healthCacheMs: 60_000 });
    const before = statusCommands();
    const answers = await Promise.all(
      Array.from({ length: 50 }, () => app.fetch(new Request("http://127.0.0.1/health"))),
    );
    for (let i = 0; i < 50; i++) answers.push(await app.fetch(new Request("http://127.0.0.1/health")));
    expect(answers.map((a) => a.status).every((s) => s === 200)).toBe(true);
    expect(statusCommands() - before).toBe(1);
  });

  test("failed audit writes are counted and make the audit component (and the status) degraded", async () => {
    const failing: AuditSink = {
      record() {},
      flush: async () => {},
      stats: () => ({
        written: 10,
        failed: 3,
        dropped: 1,
        buffered: 4,
        lastError: { message: "audit write unanswered after 10000 ms", at: new Date().toISOString() },
      }),
    };
    const app = createApp({ ...h.deps, audit: failing });
    const anonymous = (await (await app.fetch(new Request("http://127.0.0.1/health"))).json()) as {
      status: string;
      audit: unknown;
    };
    expect([anonymous.status, anonymous.audit]).toEqual(["degraded", { up: false }]);
    const admin = await app.fetch(
      new Request("http://127.0.0.1/health", { headers: { authorization: basic(DEMO_KEY_ID, DEMO_KEY_SECRET) } }),
    );
    expect(((await admin.json()) as { audit: unknown }).audit).toEqual({
      up: false,
      written: 10,
      failed: 3,
      dropped: 1,
      buffered: 4,
      last_error: { message: "audit write unanswered after 10000 ms", at: expect.any(String) },
    });
  });
});
