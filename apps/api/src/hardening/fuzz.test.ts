// Generated bodies against both faces (fast-check, fixed seed, bounded runs): every answer is JSON with
// no stack or internal path, no unexpected-error 500, and a request that is refused writes nothing (row
// counts of every written table, and the fake switch's originates, unchanged).
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { DEMO_DOMAIN_UUID, DEMO_KEY_ID, DEMO_KEY_SECRET } from "@switchboard/db";
import fc from "fast-check";
import { LEGACY_PATH } from "../legacy/rest-php.ts";
import { basic, type Harness, startHarness } from "../testing/harness.ts";
import {
  ALL_HOSTILE,
  allActions,
  allParameterNames,
  changedTables,
  inputKeys,
  legacyResponseProblem,
  rowCounts,
  trpcResponseProblem,
} from "./support.ts";

const SEED = 20261129;
const RUNS = { legacy: 1000, trpc: 1000, raw: 200 };

let h: Harness;
const authorization = basic(DEMO_KEY_ID, DEMO_KEY_SECRET);

beforeAll(async () => {
  h = await startHarness();
  // The originate scripts answer at once, so fuzzed calls that happen to be valid never block the run.
  h.fake.setOriginateOutcome({ kind: "answer" });
}, 60_000);
afterAll(async () => {
  await h?.close();
}, 30_000);

const names = allActions.map((a) => a.name);
const parameterNames = allParameterNames();

/** Values a client could send for any parameter: JSON of every shape, PHP-falsy values, hostile text. */
const anyValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.jsonValue({ maxDepth: 3 }),
  fc.constantFrom<unknown>("", "0", 0, false, null, [], {}, true, "true", -1, 1e308, "1e5", " "),
  fc.constantFrom(...ALL_HOSTILE),
  fc.constantFrom(
    DEMO_DOMAIN_UUID,
    DEMO_DOMAIN_UUID.toUpperCase(),
    `{${DEMO_DOMAIN_UUID}}`,
    "00000000-0000-0000-0000-000000000000",
    "not-a-uuid",
  ),
  fc.stringMatching(/^\+?[0-9*#]{1,16}$/),
  fc.string({ unit: "binary", maxLength: 40 }),
);

const actionName: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(...names) },
  { weight: 1, arbitrary: fc.constantFrom(...names).map((n) => n.toUpperCase()) },
  { weight: 1, arbitrary: fc.string({ maxLength: 30 }) },
  { weight: 1, arbitrary: anyValue },
);

/**
 * domain-delete with `force` deletes the demo domain every other generated request works in (an admin key may
 * do that); the fuzz sends it without, so it is refused unless a domain is empty. core's domain tests cover force.
 */
function withoutForce(drop: boolean, value: unknown): unknown {
  if (!drop || value === null || typeof value !== "object" || Array.isArray(value)) return value;
  const { force: _, ...rest } = value as Record<string, unknown>;
  return rest;
}

interface Outcome {
  status: number;
  text: string;
}

/** Statuses seen per face: a fuzz run that never reaches an action (all 401s, say) proves nothing. */
const seen = { legacy: new Map<number, number>(), trpc: new Map<number, number>() };
const note = (face: keyof typeof seen, status: number) => seen[face].set(status, (seen[face].get(status) ?? 0) + 1);

/** Sends one request and checks the invariants; returns a description of what is wrong, or null. */
async function checkOne(
  send: () => Promise<Outcome>,
  judge: (o: Outcome) => string | null,
  refused: (o: Outcome) => boolean,
): Promise<string | null> {
  const before = await rowCounts(h.db.sql);
  const originatesBefore = h.fake.originates.length;
  const outcome = await send();
  const problem = judge(outcome);
  if (problem) return problem;
  if (refused(outcome)) {
    const changed = changedTables(before, await rowCounts(h.db.sql));
    if (changed.length)
      return `refused with ${outcome.status} but wrote to ${changed.join(", ")}: ${outcome.text.slice(0, 200)}`;
    if (h.fake.originates.length !== originatesBefore) return `refused with ${outcome.status} but placed a call`;
  }
  return null;
}

/**
 * Unexpected errors have their own log line ("unhandled error", "trpc internal error", "legacy action … failed").
 * The access line of every 5xx is at error level too, including the original's own 500 answers (extension-create
 * for a missing domain), which are no unexpected error.
 */
const unhandledLogLines = () => h.logs.filter((l) => l.includes('"level":"error"') && !l.includes('"msg":"request"'));

describe("legacy route fuzz", () => {
  test(`${RUNS.legacy} generated bodies: JSON answers, no stack, no write when refused`, async () => {
    const body = fc.record(
      {
        action: actionName,
        params: fc.dictionary(fc.constantFrom(...parameterNames), anyValue, { maxKeys: 6 }),
        app: anyValue,
      },
      { requiredKeys: ["action", "params"] },
    );
    await fc.assert(
      fc.asyncProperty(body, fc.constantFrom("POST", "PUT", "PATCH"), async (generated, method) => {
        const payload = JSON.stringify({
          ...(withoutForce(String(generated.action).toLowerCase() === "domain-delete", generated.params) as object),
          action: generated.action,
          ...("app" in generated ? { app: generated.app } : {}),
        });
        const problem = await checkOne(
          async () => {
            const res = await fetch(h.origin + LEGACY_PATH, {
              method,
              body: payload,
              headers: { authorization, "content-type": "application/x-www-form-urlencoded" },
            });
            note("legacy", res.status);
            return { status: res.status, text: await res.text() };
          },
          (o) => legacyResponseProblem(o.status, o.text),
          (o) => o.status !== 200 || o.text === "false",
        );
        if (problem) throw new Error(`${problem}\n  body: ${payload.slice(0, 400)}`);
      }),
      { seed: SEED, numRuns: RUNS.legacy, endOnFailure: true },
    );
    expect(unhandledLogLines()).toEqual([]);
    expect(seen.legacy.get(200) ?? 0).toBeGreaterThan(10);
    expect(seen.legacy.get(400) ?? 0).toBeGreaterThan(100);
    expect(seen.legacy.get(401) ?? 0).toBe(0);
  }, 180_000);

  test(`${RUNS.raw} raw byte bodies (invalid UTF-8, truncated JSON): 400 missing action, nothing written`, async () => {
    const raw = fc.oneof(
      fc.uint8Array({ maxLength: 200 }),
      fc.jsonValue().map((v) => {
        const text = JSON.stringify({ action: "domain-details", domain_uuid: DEMO_DOMAIN_UUID, x: v });
        return new TextEncoder().encode(text.slice(0, Math.max(1, text.length - 3)));
      }),
      fc.uint8Array({ minLength: 1, maxLength: 20 }).map((bytes) => {
        const prefix = new TextEncoder().encode('{"action":"domain-details","domain_name":"');
        return new Uint8Array([...prefix, ...bytes.map((b) => b | 0x80), ...new TextEncoder().encode('"}')]);
      }),
    );
    await fc.assert(
      fc.asyncProperty(raw, async (bytes) => {
        const problem = await checkOne(
          async () => {
            const res = await fetch(h.origin + LEGACY_PATH, {
              method: "POST",
              body: bytes,
              headers: { authorization },
            });
            return { status: res.status, text: await res.text() };
          },
          (o) => legacyResponseProblem(o.status, o.text),
          (o) => o.status !== 200 || o.text === "false",
        );
        if (problem) throw new Error(`${problem}\n  bytes: ${Buffer.from(bytes).toString("hex").slice(0, 200)}`);
      }),
      { seed: SEED, numRuns: RUNS.raw, endOnFailure: true },
    );
  }, 120_000);
});

describe("tRPC fuzz", () => {
  const procedures = allActions.map((a) => ({ path: a.path, kind: a.kind, keys: inputKeys(a) }));

  test(`${RUNS.trpc} generated inputs to every procedure: tRPC errors with known codes, no stack, no write when refused`, async () => {
    const call = fc
      .oneof(
        { weight: 8, arbitrary: fc.constantFrom(...procedures) },
        {
          weight: 1,
          arbitrary: fc
            .string({ maxLength: 20 })
            .map((path) => ({ path, kind: "query" as const, keys: [] as string[] })),
        },
      )
      .chain((proc) =>
        fc.record({
          proc: fc.constant(proc),
          input: fc.oneof(
            {
              weight: 4,
              arbitrary: fc.dictionary(fc.constantFrom(...(proc.keys.length ? proc.keys : parameterNames)), anyValue, {
                maxKeys: 8,
              }),
            },
            { weight: 1, arbitrary: anyValue },
          ),
          asGet: fc.nat(9).map((n) => n === 0),
        }),
      );
    await fc.assert(
      fc.asyncProperty(call, async ({ proc, input: generated, asGet }) => {
        const input = withoutForce(proc.path === "domains.delete", generated);
        const get = proc.kind === "query" || asGet;
        const url = `${h.origin}/trpc/${encodeURIComponent(proc.path).replaceAll("%2E", ".")}`;
        const problem = await checkOne(
          async () => {
            const res = get
              ? await fetch(`${url}?input=${encodeURIComponent(JSON.stringify(input) ?? "null")}`, {
                  headers: { authorization },
                })
              : await fetch(url, {
                  method: "POST",
                  body: JSON.stringify(input) ?? "null",
                  headers: { authorization, "content-type": "application/json" },
                });
            note("trpc", res.status);
            return { status: res.status, text: await res.text() };
          },
          (o) => trpcResponseProblem(o.status, o.text),
          (o) => o.status !== 200,
        );
        if (problem) throw new Error(`${problem}\n  ${proc.path} ${JSON.stringify(input)?.slice(0, 400)}`);
      }),
      { seed: SEED, numRuns: RUNS.trpc, endOnFailure: true },
    );
    expect(unhandledLogLines()).toEqual([]);
    expect(seen.trpc.get(200) ?? 0).toBeGreaterThan(10);
    expect(seen.trpc.get(400) ?? 0).toBeGreaterThan(100);
    expect(seen.trpc.get(401) ?? 0).toBe(0);
  }, 180_000);

  test(`${RUNS.raw} raw byte bodies to mutations: a tRPC error, nothing written`, async () => {
    const mutations = procedures.filter((p) => p.kind === "mutation");
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...mutations), fc.uint8Array({ maxLength: 200 }), async (proc, bytes) => {
        const problem = await checkOne(
          async () => {
            const res = await fetch(`${h.origin}/trpc/${proc.path}`, {
              method: "POST",
              body: bytes,
              headers: { authorization, "content-type": "application/json" },
            });
            return { status: res.status, text: await res.text() };
          },
          (o) => trpcResponseProblem(o.status, o.text) ?? (o.status === 200 ? "a random body was accepted" : null),
          () => true,
        );
        if (problem)
          throw new Error(`${problem}\n  ${proc.path} bytes ${Buffer.from(bytes).toString("hex").slice(0, 200)}`);
      }),
      { seed: SEED, numRuns: RUNS.raw, endOnFailure: true },
    );
  }, 120_000);
});
