// An injection corpus against every action on both faces: each hostile value is refused with a JSON
// error or kept inert — dialplan XML stays well-formed, no FreeSWITCH command carries a newline or the
// value's special characters, SQL is bound, `action`/`app` never name a file. Plus oversized bodies (413),
// deeply nested JSON and invalid UTF-8.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import type { AnyAction } from "@switchboard/core";
import {
  DEMO_DESTINATION,
  DEMO_DOMAIN_NAME,
  DEMO_DOMAIN_UUID,
  DEMO_EXTENSIONS,
  DEMO_KEY_ID,
  DEMO_KEY_SECRET,
} from "@switchboard/db";
import { LEGACY_PATH } from "../legacy/rest-php.ts";
import { basic, type Harness, startHarness } from "../testing/harness.ts";
import { legacyPost } from "../testing/legacy-client.ts";
import {
  allActions,
  inputKeys,
  legacyResponseProblem,
  parseJson,
  rowCounts,
  trpcResponseProblem,
  WRITTEN_TABLES,
  xmlProblem,
} from "./support.ts";

const MAX_BODY = 64 * 1024;
let h: Harness;
const authorization = basic(DEMO_KEY_ID, DEMO_KEY_SECRET);
const auth = { Authorization: authorization };

/** A second tenant whose rows must never show up through a hostile value sent for the demo domain. */
const OTHER_DOMAIN = { uuid: "9d2c7e1a-5b7f-4c1e-8f0a-2b9e4c6d8a10", name: "other-tenant.example.test" };

beforeAll(async () => {
  h = await startHarness({ maxBodyBytes: MAX_BODY });
  h.fake.setOriginateOutcome({ kind: "answer" });
  await h.db
    .sql`insert into v_domains (domain_uuid, domain_name, domain_enabled) values (${OTHER_DOMAIN.uuid}, ${OTHER_DOMAIN.name}, true)`;
  await h.db
    .sql`insert into v_extensions (extension_uuid, domain_uuid, extension, user_context) values (gen_random_uuid(), ${OTHER_DOMAIN.uuid}, '555', ${OTHER_DOMAIN.name})`;
}, 60_000);
afterAll(async () => {
  await h?.close();
}, 30_000);

/** One value of each kind of attack, compact enough to run against every parameter of every action. */
const CORPUS = [
  'a"b',
  "a<b>c",
  "a&b",
  "x]]>y",
  "100 200",
  "100'",
  "{origination_uuid=x}100",
  "100,ignore_early_media=false",
  "100\nbgapi system id",
  "100\r\n\r\napi system id",
  "100&bridge(sofia/x)",
  "100|sofia/gateway/x/1",
  // biome-ignore lint/suspicious/noTemplateCurlyInString: FreeSWITCH's variable expansion, sent literally
  "${system(id)}",
  "' OR '1'='1",
  "'; drop table v_domains; --",
  "../../githook",
] as const;

/** Characters that mean something in a FreeSWITCH command line or its variable blocks. */
const COMMAND_SPECIALS = /[\s'"{}(),&|;$]/;

let counter = 0;
const unique = () => ++counter;

/** Values that pass validation for each parameter, so the hostile one is the only thing wrong. */
function plausible(name: string): unknown {
  const n = unique();
  const values: Record<string, unknown> = {
    domain_uuid: DEMO_DOMAIN_UUID,
    domain_name: DEMO_DOMAIN_NAME,
    extension: String(7000 + n),
    number: `1206777${String(n).padStart(4, "0")}`,
    name: `Group ${n}`,
    destinations: '["100","101"]',
    strategy: "simultaneous",
    caller_id_number: "12065550100",
    caller_id_name: "Front Desk",
    cid: "12065550100",
    to: "101",
    file: "ivr/ivr-welcome.wav",
    destination_a: "101",
    destination_b: "100",
    ring_first: "100",
    connect_to: "101",
    call_uuid: crypto.randomUUID(),
    uuid: crypto.randomUUID(),
    queue: "support",
    extension_uuid: DEMO_EXTENSIONS[3].extensionUuid,
    destination_uuid: DEMO_DESTINATION.destinationUuid,
    key_uuid: crypto.randomUUID(),
    description: "desc",
    search: "a",
  };
  return values[name];
}

/** The delete actions get a uuid that matches nothing, so the corpus never removes the demo rows. */
function baseBody(action: AnyAction): Record<string, unknown> {
  const body: Record<string, unknown> = { action: action.name };
  for (const name of new Set([...(action.legacy?.required ?? []), ...inputKeys(action)])) {
    const value = plausible(name);
    if (value !== undefined) body[name] = value;
  }
  if (action.name.endsWith("-delete")) {
    for (const key of ["extension_uuid", "destination_uuid", "ring_group_uuid"])
      if (key in body) body[key] = crypto.randomUUID();
  }
  return body;
}

/** Parameters worth attacking: every legacy and input name (all are strings somewhere). */
const targetsOf = (action: AnyAction) => [...new Set([...(action.legacy?.required ?? []), ...inputKeys(action)])];

/** New switch commands since `from`, checked for framing and escaping of `hostile`. */
function commandProblem(from: number, hostile: string): string | null {
  const commands = h.fake.commands.slice(from);
  for (const command of commands) {
    if (/\bsystem\b/.test(command.line)) return `a command ran 'system': ${JSON.stringify(command.line)}`;
    const text = `${command.line}\n${command.headers.map(([k, v]) => `${k}: ${v}`).join("\n")}`;
    for (const [name, value] of command.headers) {
      if (/[\r\n]/.test(value)) return `header ${name} carries a line break`;
    }
    if (/[\r\n]/.test(command.line)) return `command line carries a line break: ${JSON.stringify(command.line)}`;
    if (hostile.length > 1 && COMMAND_SPECIALS.test(hostile) && text.includes(hostile)) {
      return `the value reached the switch verbatim: ${JSON.stringify(command.line)}`;
    }
  }
  return null;
}

async function dialplanXmlProblems(): Promise<string[]> {
  const rows = await h.db.sql<{ dialplan_uuid: string; dialplan_xml: string }[]>`
    select dialplan_uuid::text, dialplan_xml from v_dialplans where dialplan_xml is not null`;
  return rows.flatMap((r) => {
    const problem = xmlProblem(r.dialplan_xml);
    return problem ? [`${r.dialplan_uuid}: ${problem}\n${r.dialplan_xml}`] : [];
  });
}

function leaksOtherTenant(text: string, action: AnyAction): boolean {
  if (action.name === "domain-list") return false;
  return text.includes(OTHER_DOMAIN.uuid) || text.includes(OTHER_DOMAIN.name);
}

describe("the checks themselves", () => {
  test("the XML check catches a value that broke out of its attribute or element", () => {
    expect(xmlProblem('<extension name="100"><condition field="x" expression="^1$"/></extension>')).toBeNull();
    expect(xmlProblem('<extension name="a"b"></extension>')).not.toBeNull();
    expect(xmlProblem('<extension name="a&b"></extension>')).not.toBeNull();
    expect(xmlProblem('<extension name="a"></extension><action application="system"/>x]]>')).not.toBeNull();
    expect(xmlProblem('<extension name="a&amp;b &lt;c&gt;"></extension>')).toBeNull();
  });

  test("the command check catches a line break, a verbatim value and a system call", () => {
    const from = h.fake.commands.length;
    h.fake.commands.push({ line: "api originate {x=1}loopback/100 200/ctx", headers: [], body: "", raw: "" });
    expect(commandProblem(from, "100 200")).not.toBeNull();
    h.fake.commands.push({ line: "bgapi system id", headers: [], body: "", raw: "" });
    expect(commandProblem(from + 1, "x")).not.toBeNull();
    h.fake.commands.push({ line: "sendevent CUSTOM", headers: [["key", "a\nb"]], body: "", raw: "" });
    expect(commandProblem(from + 2, "x")).not.toBeNull();
    h.fake.commands.splice(from);
  });
});

describe("injection corpus, every action, every parameter", () => {
  const testable = allActions;

  test("legacy route: refused with a JSON error or inert", async () => {
    const problems: string[] = [];
    for (const action of testable) {
      for (const param of targetsOf(action)) {
        for (const hostile of CORPUS) {
          const body = { ...baseBody(action), [param]: hostile };
          const from = h.fake.commands.length;
          const r = await legacyPost(h.origin, JSON.stringify(body), auth);
          const problem =
            legacyResponseProblem(r.status, r.text) ??
            commandProblem(from, hostile) ??
            (param === "domain_uuid" && leaksOtherTenant(r.text, action) ? "another tenant's rows leaked" : null);
          if (problem) problems.push(`${action.name}.${param} = ${JSON.stringify(hostile)} → ${r.status}: ${problem}`);
        }
      }
    }
    problems.push(...(await dialplanXmlProblems()));
    expect(problems).toEqual([]);
  }, 240_000);

  test("tRPC: refused with a tRPC error or inert", async () => {
    const problems: string[] = [];
    for (const action of testable) {
      const body = baseBody(action);
      const base = (action.legacy?.toInput ? action.legacy.toInput(body) : body) as Record<string, unknown>;
      delete base.action;
      for (const param of inputKeys(action)) {
        for (const hostile of CORPUS) {
          const input = { ...base, [param]: hostile };
          for (const key of ["extension", "number", "name"])
            if (key in input && key !== param) input[key] = plausible(key);
          const from = h.fake.commands.length;
          const url = `${h.origin}/trpc/${action.path}`;
          const res =
            action.kind === "query"
              ? await fetch(`${url}?input=${encodeURIComponent(JSON.stringify(input))}`, { headers: auth })
              : await fetch(url, {
                  method: "POST",
                  body: JSON.stringify(input),
                  headers: { ...auth, "content-type": "application/json" },
                });
          const text = await res.text();
          const problem =
            trpcResponseProblem(res.status, text) ??
            commandProblem(from, hostile) ??
            (param === "domain_uuid" && leaksOtherTenant(text, action) ? "another tenant's rows leaked" : null);
          if (problem)
            problems.push(`${action.path}.${param} = ${JSON.stringify(hostile)} → ${res.status}: ${problem}`);
        }
      }
    }
    problems.push(...(await dialplanXmlProblems()));
    expect(problems).toEqual([]);
  }, 240_000);

  test("SQL in any value leaves every table in place", async () => {
    const counts = await rowCounts(h.db.sql);
    for (const table of WRITTEN_TABLES) expect(counts[table]).toBeNumber();
    const [domains] = await h.db.sql<{ n: number }[]>`select count(*)::int as n from v_domains`;
    expect(domains!.n).toBe(2);
  });
});

describe("path traversal in action and app", () => {
  const traversal = [
    "../../githook",
    "../githook",
    "..\\..\\githook",
    "/etc/passwd",
    "../actions/domain-details",
    "domain-details/../../../x",
    "domain-details\u0000",
    "./domain-details",
    "%2e%2e%2fgithook",
  ];

  test.each(traversal)("action %p is an unknown action, never a file", async (action) => {
    const r = await legacyPost(h.origin, JSON.stringify({ action, domain_uuid: DEMO_DOMAIN_UUID }), auth);
    expect([r.status, r.text]).toEqual([400, '{"error":"unknown action"}']);
  });

  test.each(["../../x", "webtexting", "../rest_api", "/etc", "x\u0000"])(
    "app %p is refused as unknown app",
    async (app) => {
      const r = await legacyPost(
        h.origin,
        JSON.stringify({ action: "domain-details", app, domain_uuid: DEMO_DOMAIN_UUID }),
        auth,
      );
      expect([r.status, r.text]).toEqual([400, '{"error":{"error":"unknown app"}}']);
    },
  );

  test("an upper-case registry name still works (the original lower-cased it)", async () => {
    const r = await legacyPost(
      h.origin,
      JSON.stringify({ action: "DOMAIN-DETAILS", domain_uuid: DEMO_DOMAIN_UUID }),
      auth,
    );
    expect(r.status).toBe(200);
    expect(JSON.parse(r.text).domain_uuid).toBe(DEMO_DOMAIN_UUID);
  });

  test.each(["/trpc/../app/rest_api/rest.php", "/trpc/..%2f..%2fetc%2fpasswd", "/trpc/domains.details%00"])(
    "tRPC path %p is not found, JSON",
    async (path) => {
      const res = await fetch(`${h.origin}${path}?input=%7B%7D`, { headers: auth });
      const text = await res.text();
      expect(res.status === 404 || res.status === 400).toBe(true);
      expect(parseJson(text).ok).toBe(true);
    },
  );
});

describe("body size, nesting and encoding", () => {
  const big = (bytes: number) =>
    JSON.stringify({ action: "domain-details", domain_uuid: DEMO_DOMAIN_UUID, pad: "x".repeat(bytes) });

  test("a body over the limit is 413 with a JSON error, on the legacy route and on tRPC", async () => {
    const legacy = await legacyPost(h.origin, big(MAX_BODY), auth);
    expect(legacy.status).toBe(413);
    expect(JSON.parse(legacy.text)).toEqual({ error: `request body too large (limit ${MAX_BODY} bytes)` });
    const trpc = await fetch(`${h.origin}/trpc/extensions.create`, {
      method: "POST",
      body: big(MAX_BODY),
      headers: { ...auth, "content-type": "application/json" },
    });
    expect(trpc.status).toBe(413);
    expect(parseJson(await trpc.text()).ok).toBe(true);
  });

  test("a chunked body without Content-Length is cut off at the limit too", async () => {
    const chunk = new TextEncoder().encode("x".repeat(16 * 1024));
    let sent = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent === 0) controller.enqueue(new TextEncoder().encode('{"action":"domain-details","pad":"'));
        if (sent > MAX_BODY * 4) {
          controller.enqueue(new TextEncoder().encode('"}'));
          controller.close();
          return;
        }
        sent += chunk.length;
        controller.enqueue(chunk);
      },
    });
    const res = await fetch(h.origin + LEGACY_PATH, { method: "POST", body: stream, headers: auth });
    expect(res.status).toBe(413);
    expect(parseJson(await res.text()).ok).toBe(true);
  });

  test("just under the limit is processed normally", async () => {
    const r = await legacyPost(h.origin, big(MAX_BODY - 200), auth);
    expect(r.status).toBe(200);
  });

  test.each([64, 1_000, 10_000])("JSON nested %p deep is answered with JSON, never a crash", async (depth) => {
    const nested = `${"[".repeat(depth)}${"]".repeat(depth)}`;
    const body = `{"action":"domain-details","domain_uuid":"${DEMO_DOMAIN_UUID}","deep":${nested}}`;
    const r = await legacyPost(h.origin, body, auth);
    expect(legacyResponseProblem(r.status, r.text)).toBeNull();
    expect([200, 400]).toContain(r.status);
    const objectDepth = Math.min(depth, 5_000);
    const objects = `${'{"a":'.repeat(objectDepth)}1${"}".repeat(objectDepth)}`;
    const t = await fetch(`${h.origin}/trpc/extensions.create`, {
      method: "POST",
      body: objects,
      headers: { ...auth, "content-type": "application/json" },
    });
    expect(t.status).toBe(400);
    expect(trpcResponseProblem(t.status, await t.text())).toBeNull();
  });

  test("invalid UTF-8 in a value is a JSON answer and writes nothing", async () => {
    const before = await rowCounts(h.db.sql);
    for (const bytes of [
      [0xff, 0xfe],
      [0xc3, 0x28],
      [0xed, 0xa0, 0x80],
      [0xf4, 0x90, 0x80, 0x80],
    ]) {
      const prefix = new TextEncoder().encode(
        `{"action":"extension-create","domain_uuid":"${DEMO_DOMAIN_UUID}","extension":"`,
      );
      const body = new Uint8Array([...prefix, ...bytes, ...new TextEncoder().encode('"}')]);
      const res = await fetch(h.origin + LEGACY_PATH, { method: "POST", body, headers: auth });
      const text = await res.text();
      expect(legacyResponseProblem(res.status, text)).toBeNull();
      expect(res.status).toBeGreaterThanOrEqual(400);
    }
    expect(await rowCounts(h.db.sql)).toEqual(before);
  });
});
