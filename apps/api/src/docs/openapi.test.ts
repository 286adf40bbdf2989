import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { actions, legacyErrorStatuses } from "@switchboard/core";
import {
  DEMO_DESTINATION,
  DEMO_DOMAIN_NAME,
  DEMO_DOMAIN_UUID,
  DEMO_EXTENSIONS,
  DEMO_KEY_ID,
  DEMO_KEY_SECRET,
  DEMO_RING_GROUP,
} from "@switchboard/db";
import { createConfig, lintFromString } from "@redocly/openapi-core";
import { basic, type Harness, startHarness } from "../testing/harness.ts";
import { legacyPost } from "../testing/legacy-client.ts";
import { legacyConformance } from "./openapi-conformance.ts";

/** Values that the demo data accepts, per legacy parameter name; the rest of the corpus breaks them. */
function plausible(name: string, n: number): unknown {
  const values: Record<string, unknown> = {
    domain_uuid: DEMO_DOMAIN_UUID,
    domain_name: DEMO_DOMAIN_NAME,
    extension_uuid: DEMO_EXTENSIONS[0].extensionUuid,
    extension: String(7100 + n),
    number: `1206555${String(1000 + n)}`,
    name: `Corpus ${n}`,
    destinations: JSON.stringify([{ number: "100" }, { number: "101" }]),
    strategy: "simultaneous",
    caller_id_number: "12065550100",
    caller_id_name: "Front Desk",
    destination_a: "101",
    destination_b: "100",
    cid: "12065550100",
    to: "101",
    file: "ivr/ivr-welcome.wav",
    call_uuid: crypto.randomUUID(),
    uuid: crypto.randomUUID(),
    queue: "support",
    destination_uuid: DEMO_DESTINATION.destinationUuid,
    ring_group_uuid: DEMO_RING_GROUP.ringGroupUuid,
    key_uuid: crypto.randomUUID(),
    limit: "2",
    call_timeout: "45",
    order: 100,
    description: "corpus",
    enabled: "true",
    search: "1",
    scopes: "read,calls",
  };
  return values[name];
}

/** Deletes get a uuid that matches nothing, so the corpus keeps the demo rows for the other actions. */
const DESTRUCTIVE = new Set(["extension-delete", "destination-delete", "ringgroup-delete", "key-revoke"]);

/** Every action: bare, with its required parameters, with all the parameters we know, and with each value broken. */
function corpus(document: ReturnType<typeof legacyConformance>["document"]): string[] {
  const schemas = document.components.schemas;
  const bodies: string[] = [];
  let n = 0;
  for (const action of actions) {
    const request = schemas[`${action.name}.request`]!;
    const names = Object.keys(request.properties ?? {}).filter((name) => name !== "action");
    const value = (name: string) =>
      DESTRUCTIVE.has(action.name) && name.endsWith("_uuid") && name !== "domain_uuid"
        ? crypto.randomUUID()
        : plausible(name, ++n);
    const required = Object.fromEntries(
      (request.required ?? []).filter((name) => name !== "action").map((name) => [name, value(name)]),
    );
    const all = Object.fromEntries(
      names.filter((name) => plausible(name, 0) !== undefined).map((name) => [name, value(name)]),
    );
    bodies.push(JSON.stringify({ action: action.name }));
    bodies.push(JSON.stringify({ action: action.name, ...required }));
    bodies.push(JSON.stringify({ action: action.name, ...all }));
    for (const name of Object.keys(required)) {
      bodies.push(JSON.stringify({ action: action.name, ...required, [name]: 12345 }));
      bodies.push(JSON.stringify({ action: action.name, ...required, [name]: "not-valid" }));
    }
  }
  bodies.push(
    "not json",
    JSON.stringify({ action: "no-such-action" }),
    JSON.stringify({ action: "domain-details", app: "x" }),
  );
  return bodies;
}

describe("/openapi.json describes the legacy route as it answers", () => {
  let h: Harness;
  const { document, check } = legacyConformance();

  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => {
    await h?.close();
  });

  test("the served document is the one checked here", async () => {
    const served = (await (await fetch(`${h.origin}/openapi.json`)).json()) as Record<string, unknown>;
    expect(served.paths).toEqual(document.paths);
    expect((served as { components: unknown }).components).toEqual(document.components);
  });

  test("every action's request and response are described, parameters with a type", () => {
    const schemas = document.components.schemas;
    for (const action of actions) {
      const request = schemas[`${action.name}.request`];
      expect(request, action.name).toBeDefined();
      expect(schemas[`${action.name}.body`], action.name).toBeDefined();
      for (const [name, property] of Object.entries(request!.properties ?? {})) {
        const typed =
          "type" in property || "const" in property || "enum" in property || "anyOf" in property || "oneOf" in property;
        expect(typed ? name : `${action.name}.${name} has no type`).toBe(name);
      }
    }
    const originate = schemas["originate.request"]!.properties!;
    expect(Object.keys(originate)).toEqual(expect.arrayContaining(["destination_a", "destination_b"]));
    expect(String(originate.destination_b!.description)).toMatch(/rings FIRST/);
  });

  test("each action documents exactly the error statuses it can answer (derived from its legacy spec)", () => {
    const documented = (
      document.paths as unknown as Record<
        string,
        { post: { "x-switchboard-actions": Record<string, { responses: object }> } }
      >
    )["/app/rest_api/rest.php"]!.post["x-switchboard-actions"];
    for (const action of actions) {
      const statuses = Object.keys(documented[action.name]!.responses).filter((s) => s !== "200");
      expect(statuses, action.name).toEqual(legacyErrorStatuses(action).map(String));
    }
    const of = (name: string) => Object.keys(documented[name]!.responses);
    expect(of("extension-list")).not.toContain("404");
    expect(of("domain-details")).not.toContain("409");
    expect(of("domain-create")).toContain("409");
  });

  test("a corpus over every action (successes and errors) conforms, response by response (ajv)", async () => {
    const authorization = basic(DEMO_KEY_ID, DEMO_KEY_SECRET);
    const violations: string[] = [];
    const statuses = new Map<string, Set<number>>();
    for (const body of corpus(document)) {
      const reply = await legacyPost(h.origin, body, { authorization });
      violations.push(...check({ method: "POST", body, status: reply.status, text: reply.text }));
      const name = (() => {
        try {
          return String((JSON.parse(body) as { action?: unknown }).action);
        } catch {
          return "";
        }
      })();
      statuses.set(name, (statuses.get(name) ?? new Set()).add(reply.status));
    }
    const unauthorized = await legacyPost(h.origin, JSON.stringify({ action: "domain-list" }), {
      authorization: basic(DEMO_KEY_ID, "wrong"),
    });
    violations.push(
      ...check({
        method: "POST",
        body: JSON.stringify({ action: "domain-list" }),
        status: unauthorized.status,
        text: unauthorized.text,
      }),
    );
    expect(violations).toEqual([]);
    // The corpus reached success and failure for the original actions.
    for (const name of ["domain-details", "extension-list", "extension-create", "ringgroup-create", "originate"]) {
      const seen = statuses.get(name)!;
      expect([...seen].some((s) => s === 200)).toBe(true);
      expect([...seen].some((s) => s !== 200)).toBe(true);
    }
  }, 120_000);

  test("the checker catches a body that breaks the document", () => {
    const body = JSON.stringify({ action: "extension-list", domain_uuid: DEMO_DOMAIN_UUID });
    expect(check({ method: "POST", body, status: 200, text: '{"items":[]}' })).not.toEqual([]);
    expect(check({ method: "POST", body, status: 200, text: "[]" })).toEqual([]);
    expect(check({ method: "POST", body, status: 418, text: "{}" })).not.toEqual([]);
  });

  test("the document lints with no error in Redocly's recommended rules", async () => {
    const config = await createConfig({ extends: ["recommended"] });
    const problems = await lintFromString({ source: JSON.stringify(document), absoluteRef: "openapi.json", config });
    const errors = problems
      .filter((p) => p.severity === "error")
      .map((p) => `${p.ruleId}: ${p.message} ${JSON.stringify(p.location[0]?.pointer)}`);
    expect(errors).toEqual([]);
  });
});
