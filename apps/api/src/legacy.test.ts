import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { DEMO_DOMAIN_NAME, DEMO_DOMAIN_UUID, DEMO_KEY_ID, DEMO_KEY_SECRET } from "@switchboard/db";
import { $ } from "bun";
import { basic, type Harness, startHarness } from "./testing/harness.ts";
import { legacyPost } from "./testing/legacy-client.ts";

let h: Harness;
const auth = { Authorization: basic(DEMO_KEY_ID, DEMO_KEY_SECRET) };

beforeAll(async () => {
  h = await startHarness();
}, 60_000);
afterAll(async () => {
  await h?.close();
}, 30_000);

describe("the seed README's example", () => {
  test("its curl line, verbatim but for the host, returns the demo domain", async () => {
    const url = `${h.origin}/app/rest_api/rest.php`;
    let out: string;
    if (Bun.which("curl")) {
      out =
        await $`curl -s --user "5bc14e83-fc4e-4578-99b8-c7151eb2ec54:jM2GQuYgQTkIGE6nJ2SP" -d '{"action": "domain-details", "domain_name": "fusionpbx.example.net"}' ${url}`.text();
    } else {
      console.log("curl is not installed: sending the README's request with fetch exactly as curl -d would");
      out = (await legacyPost(h.origin, '{"action": "domain-details", "domain_name": "fusionpbx.example.net"}', auth))
        .text;
    }
    const body = JSON.parse(out);
    expect(body.domain_uuid).toBe(DEMO_DOMAIN_UUID);
    expect(body.domain_name).toBe(DEMO_DOMAIN_NAME);
    expect(Object.keys(body).slice(0, 3)).toEqual(["domain_uuid", "domain_parent_uuid", "domain_name"]);
    expect(out.endsWith("\n")).toBe(false);
  });

  test("answers JSON without a session cookie, with a request id", async () => {
    const r = await legacyPost(h.origin, '{"action":"domain-details","domain_name":"fusionpbx.example.net"}', auth);
    expect(r.status).toBe(200);
    expect(r.headers.get("content-type")).toBe("application/json");
    expect(r.headers.get("set-cookie")).toBeNull();
    expect(r.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
  });
});

describe("the original's error catalogue (docs/original-api.md §2, §3)", () => {
  test("no Basic credentials: 401", async () => {
    const r = await legacyPost(h.origin, '{"action":"domain-details"}');
    expect([r.status, r.text]).toEqual([401, '{"error":"unauthorized"}']);
  });

  test("a non-Basic scheme or Basic without ':' is no credentials: 401", async () => {
    for (const header of [
      `Bearer ${DEMO_KEY_ID}:${DEMO_KEY_SECRET}`,
      `Basic ${Buffer.from(DEMO_KEY_ID).toString("base64")}`,
    ]) {
      const r = await legacyPost(h.origin, '{"action":"domain-details"}', { Authorization: header });
      expect([r.status, r.text]).toEqual([401, '{"error":"unauthorized"}']);
    }
  });

  test("unknown, malformed or NULL-secret key id: 401", async () => {
    await h.db
      .sql`insert into rest_api_keys (key_uuid, name, key_secret, created) values ('0f0f0f0f-0000-4000-8000-000000000001', 'null secret', null, now())`;
    for (const id of ["0f0f0f0f-0000-4000-8000-0000000000ff", "not-a-uuid", "0f0f0f0f-0000-4000-8000-000000000001"]) {
      const r = await legacyPost(h.origin, '{"action":"domain-details"}', { Authorization: basic(id, "whatever") });
      expect([r.status, r.text]).toEqual([401, '{"error":"unauthorized"}']);
    }
  });

  test("a wrong secret: 401 (the original let any password through; we verify)", async () => {
    for (const secret of ["wrong", "", `${DEMO_KEY_SECRET}x`]) {
      const r = await legacyPost(h.origin, '{"action":"domain-details"}', {
        Authorization: basic(DEMO_KEY_ID, secret),
      });
      expect([r.status, r.text]).toEqual([401, '{"error":"unauthorized"}']);
    }
  });

  test("a password that is a crypt hash verifying the stored hash: 401", async () => {
    const [row] = await h.db.sql<
      { key_secret: string }[]
    >`select key_secret from rest_api_keys where key_uuid = ${DEMO_KEY_ID}::uuid`;
    const hashOfHash = await Bun.password.hash(row!.key_secret, { algorithm: "bcrypt", cost: 4 });
    const r = await legacyPost(h.origin, '{"action":"domain-details"}', {
      Authorization: basic(DEMO_KEY_ID, hashOfHash),
    });
    expect([r.status, r.text]).toEqual([401, '{"error":"unauthorized"}']);
  });

  test("action missing or falsy, or body not a JSON object: 400 missing action", async () => {
    const expected = '{"error":{"error":"missing required parameter(s)","missing_parameters":"action"}}';
    for (const body of [
      "",
      "not json",
      "[]",
      '["domain-details"]',
      "42",
      '"domain-details"',
      "{}",
      '{"action":""}',
      '{"action":"0"}',
      '{"action":0}',
      '{"action":false}',
      '{"action":null}',
      '{"action":[]}',
    ]) {
      const r = await legacyPost(h.origin, body, auth);
      expect([body, r.status, r.text]).toEqual([body, 400, expected]);
    }
  });

  test("app given: 400 unknown app, whatever the value (no path is ever built)", async () => {
    for (const app of ["webtexting", "../../../etc", "x"]) {
      const r = await legacyPost(h.origin, JSON.stringify({ action: "domain-details", app }), auth);
      expect([r.status, r.text]).toEqual([400, '{"error":{"error":"unknown app"}}']);
    }
    const falsyApp = await legacyPost(
      h.origin,
      JSON.stringify({ action: "domain-details", app: "", domain_name: DEMO_DOMAIN_NAME }),
      auth,
    );
    expect(falsyApp.status).toBe(200);
  });

  test("no such action: 400 unknown action (traversal included)", async () => {
    for (const action of [
      "no-such-action",
      "../githook",
      "../../../../etc/passwd",
      "domain-details/../x",
      "constructor",
      "__proto__",
      "toString",
      5,
      true,
      { a: 1 },
    ]) {
      const r = await legacyPost(h.origin, JSON.stringify({ action }), auth);
      expect([action, r.status, r.text]).toEqual([action, 400, '{"error":"unknown action"}']);
    }
  });

  test("action is lower-cased", async () => {
    const r = await legacyPost(
      h.origin,
      JSON.stringify({ action: "DOMAIN-Details", domain_name: DEMO_DOMAIN_NAME }),
      auth,
    );
    expect(r.status).toBe(200);
    expect(JSON.parse(r.text).domain_uuid).toBe(DEMO_DOMAIN_UUID);
  });

  test("a required parameter missing or falsy: 400 naming the LAST missing one", async () => {
    const r = await legacyPost(h.origin, '{"action":"originate"}', auth);
    expect([r.status, r.text]).toEqual([
      400,
      '{"error":{"error":"missing required parameter(s)","missing_parameters":"destination_b"}}',
    ]);
  });

  test("an action error with a code: that status and body", async () => {
    const r = await legacyPost(
      h.origin,
      JSON.stringify({ action: "domain-details", domain_name: "nowhere.example" }),
      auth,
    );
    expect([r.status, r.text]).toEqual([404, '{"error":"domain not found"}']);
    const both = await legacyPost(h.origin, '{"action":"domain-details"}', auth);
    expect([both.status, both.text]).toEqual([
      400,
      '{"error":"missing required parameter domain_uuid or domain_name"}',
    ]);
  });

  test("an action error without a code: 500 with the action's body", async () => {
    const r = await legacyPost(
      h.origin,
      JSON.stringify({ action: "extension-create", domain_uuid: DEMO_DOMAIN_UUID, extension: "100" }),
      auth,
    );
    expect([r.status, r.text]).toEqual([500, '{"error":"extension already exists"}']);
  });

  test("any method is handled the same way", async () => {
    for (const method of ["PUT", "PATCH", "DELETE"]) {
      const r = await legacyPost(
        h.origin,
        JSON.stringify({ action: "domain-details", domain_name: DEMO_DOMAIN_NAME }),
        auth,
        method,
      );
      expect([method, r.status]).toEqual([method, 200]);
    }
    const get = await legacyPost(h.origin, "", auth, "GET");
    expect(get.status).toBe(400);
    const options = await legacyPost(h.origin, "", {}, "OPTIONS");
    expect(options.status).toBe(401);
  });
});
