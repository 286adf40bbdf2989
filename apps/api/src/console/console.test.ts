import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { createKey } from "@switchboard/core";
import { DEMO_DOMAIN_UUID, DEMO_KEY_ID, DEMO_KEY_SECRET } from "@switchboard/db";
import { createApp } from "../app.ts";
import { type Harness, startHarness } from "../testing/harness.ts";
import { CONSOLE_CSP } from "./security-headers.ts";

let h: Harness;
const OTHER_DOMAIN = crypto.randomUUID();

/** A browser-like client: one cookie jar, the console's own Origin on every POST, redirects not followed. */
class Browser {
  cookie = "";
  constructor(
    readonly origin: string,
    readonly fetcher: (url: string, init: RequestInit) => Promise<Response> = fetch,
  ) {}

  async request(path: string, init: RequestInit = {}): Promise<{ status: number; text: string; response: Response }> {
    const headers = new Headers(init.headers);
    if (this.cookie && !headers.has("cookie")) headers.set("cookie", this.cookie);
    const response = await this.fetcher(`${this.origin}${path}`, { ...init, headers, redirect: "manual" });
    const set = response.headers.get("set-cookie");
    if (set) {
      const [pair] = set.split(";");
      this.cookie =
        /=$/.test(pair ?? "") || /expires=Thu, 01 Jan 1970/i.test(set) || /Max-Age=0/i.test(set) ? "" : pair!;
    }
    return { status: response.status, text: await response.text(), response };
  }

  get(path: string) {
    return this.request(path);
  }

  post(path: string, fields: Record<string, string | string[]>, headers: Record<string, string> = {}) {
    const body = new URLSearchParams();
    for (const [name, value] of Object.entries(fields)) {
      for (const v of Array.isArray(value) ? value : [value]) body.append(name, v);
    }
    return this.request(path, {
      method: "POST",
      body,
      headers: { "content-type": "application/x-www-form-urlencoded", origin: this.origin, ...headers },
    });
  }

  async signIn(keyId: string, secret: string) {
    return this.post("/console/sign-in", { key_id: keyId, secret });
  }

  /** The session's form token, read from a page's hidden field. */
  async csrf(): Promise<string> {
    const page = await this.get("/console/keys");
    const token = /name="csrf" value="([^"]+)"/.exec(page.text)?.[1];
    if (!token) throw new Error(`no form token on the keys page (status ${page.status})`);
    return token;
  }
}

async function signedIn(keyId = DEMO_KEY_ID, secret = DEMO_KEY_SECRET): Promise<Browser> {
  const browser = new Browser(h.origin);
  const answer = await browser.signIn(keyId, secret);
  expect([answer.status, answer.response.headers.get("location")]).toEqual([303, "/console/keys"]);
  return browser;
}

async function auditRows(action: string, keyId: string | null) {
  await h.audit.flush();
  return h.db.sql<{ outcome: string; face: string; key_uuid: string | null; domain_uuid: string | null }[]>`
    select outcome, face, key_uuid::text as key_uuid, domain_uuid::text as domain_uuid from switchboard_audit
    where action = ${action} and key_uuid is not distinct from ${keyId}::uuid order by occurred_at`;
}

beforeAll(async () => {
  h = await startHarness();
  await h.db
    .sql`insert into v_domains (domain_uuid, domain_name, domain_enabled) values (${OTHER_DOMAIN}::uuid, 'other.example.com', true)`;
}, 60_000);
afterAll(async () => {
  await h?.close();
}, 30_000);

describe("console: signing in", () => {
  test("pages need a session: a visitor is sent to the sign-in page, which runs no script", async () => {
    const browser = new Browser(h.origin);
    for (const path of ["/console", "/console/", "/console/keys", "/console/audit", "/console/health"]) {
      const r = await browser.get(path);
      expect([path, r.status]).toEqual([path, 303]);
    }
    expect((await browser.get("/console/keys")).response.headers.get("location")).toBe("/console/sign-in");
    const page = await browser.get("/console/sign-in");
    expect(page.status).toBe(200);
    expect(page.text).toContain('name="secret" type="password"');
    expect(page.text).not.toContain("<script");
  });

  test("every console answer carries the strict CSP, refuses framing and is never cached", async () => {
    const browser = await signedIn();
    for (const path of ["/console/sign-in", "/console/keys", "/console/console.css", "/console/nowhere"]) {
      const r = await browser.get(path);
      expect([path, r.response.headers.get("content-security-policy")]).toEqual([path, CONSOLE_CSP]);
      expect(r.response.headers.get("x-frame-options")).toBe("DENY");
      expect(r.response.headers.get("cache-control")).toBe("no-store");
    }
    expect(CONSOLE_CSP).toContain("default-src 'self'");
    expect(CONSOLE_CSP).toContain("script-src 'none'");
    expect(CONSOLE_CSP).toContain("frame-ancestors 'none'");
  });

  test("the session cookie: HttpOnly, SameSite=Strict, Path=/console; Secure when the console is reached over https", async () => {
    const browser = new Browser(h.origin);
    const r = await browser.signIn(DEMO_KEY_ID, DEMO_KEY_SECRET);
    const cookie = r.response.headers.get("set-cookie") ?? "";
    expect(cookie).toMatch(/^switchboard_console=[A-Za-z0-9_-]{43};/);
    expect(cookie).toContain("HttpOnly");
    expect(cookie).toContain("SameSite=Strict");
    expect(cookie).toContain("Path=/console");
    expect(cookie).not.toContain("Secure");
    expect(cookie).not.toContain(DEMO_KEY_SECRET);
    // The database holds only the token's hash, never the token or the secret.
    const token = cookie.split(";")[0]!.split("=")[1]!;
    const stored = JSON.stringify(await h.db.sql`select * from switchboard_console_sessions`);
    expect(stored).not.toContain(token);
    expect(stored).not.toContain(DEMO_KEY_SECRET);

    const behindTls = createApp({ ...h.deps, publicUrl: "https://pbx.example.com" });
    const secure = await behindTls.request("/console/sign-in", {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", origin: "https://pbx.example.com" },
      body: new URLSearchParams({ key_id: DEMO_KEY_ID, secret: DEMO_KEY_SECRET }),
    });
    expect(secure.status).toBe(303);
    expect(secure.headers.get("location")).toBe("/console/keys");
    expect(secure.headers.get("set-cookie")).toMatch(/; Secure/);
  });

  test("a wrong secret, a key without admin, or a post from another site: no session", async () => {
    const browser = new Browser(h.origin);
    const wrong = await browser.signIn(DEMO_KEY_ID, "not-the-secret");
    expect(wrong.status).toBe(401);
    expect(wrong.text).toContain("Wrong key id or secret");
    expect(wrong.response.headers.get("set-cookie")).toBeNull();

    const reader = await createKey(h.db.sql, { name: "reader", scopes: ["read", "write"] });
    const notAdmin = await browser.signIn(reader.keyId, reader.secret);
    expect(notAdmin.status).toBe(403);
    expect(notAdmin.text).toContain("lacks the admin scope");
    expect(notAdmin.response.headers.get("set-cookie")).toBeNull();

    const elsewhere = await browser.post(
      "/console/sign-in",
      { key_id: DEMO_KEY_ID, secret: DEMO_KEY_SECRET },
      { origin: "https://evil.example" },
    );
    expect(elsewhere.status).toBe(403);
    expect(elsewhere.response.headers.get("set-cookie")).toBeNull();
    const noOrigin = await browser.request("/console/sign-in", {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ key_id: DEMO_KEY_ID, secret: DEMO_KEY_SECRET }),
    });
    expect(noOrigin.status).toBe(403);

    expect((await auditRows("console-sign-in", reader.keyId)).map((r) => [r.outcome, r.face])).toEqual([
      ["error", "console"],
    ]);
  });

  test("sessions live in PostgreSQL: another API process over the same database knows them", async () => {
    const browser = await signedIn();
    const otherProcess = createApp(h.deps);
    const r = await otherProcess.request("/console/keys", { headers: { cookie: browser.cookie } });
    expect(r.status).toBe(200);
    expect(await r.text()).toContain(DEMO_KEY_ID);
  });

  test("a session ends when it expires, and signing in again never reuses the old token", async () => {
    const browser = await signedIn();
    const first = browser.cookie;
    await browser.signIn(DEMO_KEY_ID, DEMO_KEY_SECRET);
    expect(browser.cookie).not.toBe(first);
    const stale = new Browser(h.origin);
    stale.cookie = first;
    expect((await stale.get("/console/keys")).status).toBe(303);
    expect((await browser.get("/console/keys")).status).toBe(200);
    const token = browser.cookie.split("=")[1]!;
    const hash = new Bun.CryptoHasher("sha256").update(token).digest("hex");
    await h.db
      .sql`update switchboard_console_sessions set expires_at = now() - interval '1 second' where token_hash = ${hash}`;
    const expired = await browser.get("/console/keys");
    expect([expired.status, expired.response.headers.get("location")]).toEqual([303, "/console/sign-in"]);
  });

  test("sign-out ends the session: the old cookie no longer works", async () => {
    const browser = await signedIn();
    const cookie = browser.cookie;
    const out = await browser.post("/console/sign-out", { csrf: await browser.csrf() });
    expect([out.status, out.response.headers.get("location")]).toEqual([303, "/console/sign-in"]);
    expect(out.response.headers.get("set-cookie")).toContain("switchboard_console=;");
    const again = await browser.request("/console/keys", { headers: { cookie } });
    expect(again.status).toBe(303);
  });
});

describe("console: keys", () => {
  test("create shows the secret once; the list never shows it; revoke removes the key", async () => {
    const browser = await signedIn();
    const csrf = await browser.csrf();
    const created = await browser.post("/console/keys", {
      csrf,
      name: "billing export",
      domain_uuid: DEMO_DOMAIN_UUID,
      scopes: ["read", "calls"],
      expires_at: "2099-01-31T18:00",
    });
    expect(created.status).toBe(200);
    const keyId = /class="key-id">([0-9a-f-]{36})</.exec(created.text)?.[1];
    const secret = /class="secret">([^<]+)</.exec(created.text)?.[1];
    expect(keyId).toBeString();
    expect(secret).toMatch(/^\S{20}$/);
    const [policy] = await h.db.sql<{ domain_uuid: string; scopes: string; expires_at: string }[]>`
      select domain_uuid::text as domain_uuid, array_to_string(scopes, ',') as scopes, to_char(expires_at at time zone 'UTC', 'YYYY-MM-DD HH24:MI') as expires_at
      from switchboard_key_policies where key_uuid = ${keyId!}::uuid`;
    expect(policy).toEqual({ domain_uuid: DEMO_DOMAIN_UUID, scopes: "read,calls", expires_at: "2099-01-31 18:00" });

    const list = await browser.get("/console/keys");
    expect(list.text).toContain(keyId!);
    expect(list.text).toContain("billing export");
    expect(list.text).not.toContain(secret!);

    const revoked = await browser.post("/console/keys/revoke", { csrf, key_uuid: keyId! });
    expect([revoked.status, revoked.response.headers.get("location")]).toEqual([303, `/console/keys?revoked=${keyId}`]);
    expect((await browser.get("/console/keys")).text).not.toContain(`data-key="${keyId}"`);
    const [gone] = await h.db.sql`select count(*)::int as n from rest_api_keys where key_uuid = ${keyId!}::uuid`;
    expect(gone).toEqual({ n: 0 });

    for (const action of ["key-create", "key-revoke"]) {
      const rows = await auditRows(action, DEMO_KEY_ID);
      expect(rows.at(-1)).toMatchObject({ outcome: "ok", face: "console" });
    }
  });

  test("a form's errors in the user's words, the form kept; no box ticked is no scope", async () => {
    const browser = await signedIn();
    const r = await browser.post("/console/keys", { csrf: await browser.csrf(), name: "no scopes" });
    expect(r.status).toBe(400);
    expect(r.text).toContain("Scopes: at least one scope");
    expect(r.text).toContain('value="no scopes"');
    const past = await browser.post("/console/keys", {
      csrf: await browser.csrf(),
      name: "past",
      scopes: "read",
      expires_at: "2001-01-01T00:00",
    });
    expect(past.status).toBe(400);
    expect(past.text).toContain("expires_at is in the past");
  });

  test("a hostile key name is shown as text, never as markup", async () => {
    const browser = await signedIn();
    const hostile = `<script>alert(1)</script>"><img src=x onerror=alert(2)>`;
    const created = await browser.post("/console/keys", { csrf: await browser.csrf(), name: hostile, scopes: "read" });
    expect(created.status).toBe(200);
    for (const page of [created.text, (await browser.get("/console/keys")).text]) {
      expect(page).not.toContain("<script");
      expect(page).not.toContain("<img");
      expect(page).toContain("&lt;script&gt;alert(1)&lt;/script&gt;&quot;&gt;&lt;img src=x onerror=alert(2)&gt;");
    }
  });
});

describe("console: forgery", () => {
  test("a POST without the session's form token, or with another's, changes nothing (403)", async () => {
    const browser = await signedIn();
    const other = await signedIn();
    const before = await h.db.sql`select count(*)::int as n from rest_api_keys`;
    const attempts: Record<string, string>[] = [
      {},
      { csrf: "" },
      { csrf: await other.csrf() },
      { csrf: `${(await browser.csrf()).slice(0, -1)}x` },
    ];
    for (const token of attempts) {
      const r = await browser.post("/console/keys", { ...token, name: "forged", scopes: "read" });
      expect([JSON.stringify(token), r.status]).toEqual([JSON.stringify(token), 403]);
    }
    const wrongOrigin = await browser.post(
      "/console/keys",
      { csrf: await browser.csrf(), name: "forged", scopes: "read" },
      { origin: "https://evil.example" },
    );
    expect(wrongOrigin.status).toBe(403);
    const revoke = await browser.post("/console/keys/revoke", { key_uuid: DEMO_KEY_ID });
    expect(revoke.status).toBe(403);
    const signOut = await browser.post("/console/sign-out", {});
    expect(signOut.status).toBe(403);
    expect(await h.db.sql`select count(*)::int as n from rest_api_keys`).toEqual(before);
    expect((await browser.get("/console/keys")).status).toBe(200);
  });

  test("no state changes on GET: the POST-only routes do not answer GET", async () => {
    const browser = await signedIn();
    for (const path of [
      "/console/keys/revoke?key_uuid=" + DEMO_KEY_ID,
      "/console/sign-out",
      "/console/calls/originate",
    ]) {
      const r = await browser.get(path);
      expect([path, r.status]).toEqual([path, 404]);
    }
    expect((await browser.get("/console/keys")).status).toBe(200);
  });
});

describe("console: domain-bound admins and revoked keys", () => {
  test("a domain-bound admin sees only its domain's keys, audit rows and calls, and cannot revoke others' keys", async () => {
    const mine = await createKey(h.db.sql, { name: "admin of other", domainUuid: OTHER_DOMAIN, scopes: ["admin"] });
    const colleague = await createKey(h.db.sql, { name: "colleague", domainUuid: OTHER_DOMAIN, scopes: ["read"] });
    const outsider = await createKey(h.db.sql, {
      name: "outsider key",
      domainUuid: DEMO_DOMAIN_UUID,
      scopes: ["read"],
    });
    const browser = await signedIn(mine.keyId, mine.secret);
    const keys = await browser.get("/console/keys");
    expect(keys.text).toContain(colleague.keyId);
    expect(keys.text).not.toContain(outsider.keyId);
    expect(keys.text).not.toContain(DEMO_KEY_ID);
    expect(keys.text).not.toContain("Every domain (not bound)");
    expect(keys.text).not.toContain(DEMO_DOMAIN_UUID);

    const revoke = await browser.post("/console/keys/revoke", { csrf: await browser.csrf(), key_uuid: outsider.keyId });
    expect(revoke.status).toBe(404);
    expect(await h.db.sql`select 1 from rest_api_keys where key_uuid = ${outsider.keyId}::uuid`).toHaveLength(1);

    const audit = await browser.get("/console/audit");
    expect(audit.status).toBe(200);
    expect(audit.text).not.toContain(DEMO_KEY_ID);
    const otherAudit = await browser.get(`/console/audit?domain_uuid=${DEMO_DOMAIN_UUID}`);
    expect(otherAudit.status).toBe(404);
    expect(otherAudit.text).not.toContain(DEMO_KEY_ID);

    const calls = await browser.get(`/console/calls?domain_uuid=${DEMO_DOMAIN_UUID}`);
    expect(calls.text).toContain("domain not found");
    const domains = await browser.get("/console/domains");
    expect(domains.text).toContain("other.example.com");
    expect(domains.text).not.toContain("fusionpbx.example.net");
  });

  test("revoking a key ends its sessions at once, in every process", async () => {
    const key = await createKey(h.db.sql, { name: "short-lived admin", scopes: ["admin"] });
    const victim = await signedIn(key.keyId, key.secret);
    expect((await victim.get("/console/keys")).status).toBe(200);
    const admin = await signedIn();
    const r = await admin.post("/console/keys/revoke", { csrf: await admin.csrf(), key_uuid: key.keyId });
    expect(r.status).toBe(303);
    const after = await victim.get("/console/keys");
    expect([after.status, after.response.headers.get("location")]).toEqual([303, "/console/sign-in?ended=1"]);
    expect(await h.db.sql`select 1 from switchboard_console_sessions where key_uuid = ${key.keyId}::uuid`).toHaveLength(
      0,
    );
  });

  test("a key that loses the admin scope loses the console", async () => {
    const key = await createKey(h.db.sql, { name: "demoted admin", scopes: ["admin"] });
    const browser = await signedIn(key.keyId, key.secret);
    await h.db.sql`update switchboard_key_policies set scopes = '{read}' where key_uuid = ${key.keyId}::uuid`;
    expect((await browser.get("/console/keys")).status).toBe(303);
  });
});

describe("console: domains", () => {
  test("create, change and delete a domain through the domain actions; a refused delete says why", async () => {
    const browser = await signedIn();
    const created = await browser.post("/console/domains", {
      csrf: await browser.csrf(),
      domain_name: "Branch.Example.org",
      description: "branch <office>",
      enabled: "true",
    });
    expect([created.status, created.response.headers.get("location")]).toEqual([303, "/console/domains?done=created"]);
    const [row] = await h.db.sql<{ domain_uuid: string; domain_description: string }[]>`
      select domain_uuid::text as domain_uuid, domain_description from v_domains where domain_name = 'branch.example.org'`;
    expect(row?.domain_description).toBe("branch <office>");
    const list = await browser.get("/console/domains?done=created");
    expect(list.text).toContain("Domain created.");
    expect(list.text).toContain('value="branch &lt;office&gt;"');

    const again = await browser.post("/console/domains", {
      csrf: await browser.csrf(),
      domain_name: "branch.example.org",
    });
    expect(again.status).toBe(409);
    expect(again.text).toContain("already exists");

    const updated = await browser.post("/console/domains/update", {
      csrf: await browser.csrf(),
      domain_uuid: row!.domain_uuid,
      description: "renamed office",
    });
    expect(updated.status).toBe(303);
    const [after] = await h.db.sql<{ domain_description: string; enabled: string }[]>`
      select domain_description, domain_enabled::text as enabled from v_domains where domain_uuid = ${row!.domain_uuid}::uuid`;
    expect(after).toEqual({ domain_description: "renamed office", enabled: "false" });

    await createKey(h.db.sql, { name: "branch key", domainUuid: row!.domain_uuid, scopes: ["read"] });
    const refused = await browser.post("/console/domains/delete", {
      csrf: await browser.csrf(),
      domain_uuid: row!.domain_uuid,
    });
    expect(refused.status).toBe(409);
    expect(await h.db.sql`select 1 from v_domains where domain_uuid = ${row!.domain_uuid}::uuid`).toHaveLength(1);
    const deleted = await browser.post("/console/domains/delete", {
      csrf: await browser.csrf(),
      domain_uuid: row!.domain_uuid,
      force: "true",
    });
    expect([deleted.status, deleted.response.headers.get("location")]).toEqual([303, "/console/domains?done=deleted"]);
    expect(await h.db.sql`select 1 from v_domains where domain_uuid = ${row!.domain_uuid}::uuid`).toHaveLength(0);
    for (const action of ["domain-create", "domain-update", "domain-delete"]) {
      expect((await auditRows(action, DEMO_KEY_ID)).map((r) => r.face)).toContain("console");
    }
  });

  test("a domain-bound admin may change its own domain only, and neither create nor delete domains", async () => {
    const mine = await createKey(h.db.sql, { name: "bound domain admin", domainUuid: OTHER_DOMAIN, scopes: ["admin"] });
    const browser = await signedIn(mine.keyId, mine.secret);
    const page = await browser.get("/console/domains");
    expect(page.text).not.toContain('aria-label="Create a domain"');
    expect(page.text).not.toContain("/console/domains/delete");
    const create = await browser.post("/console/domains", {
      csrf: await browser.csrf(),
      domain_name: "sneaky.example.com",
    });
    expect(create.status).toBe(403);
    const other = await browser.post("/console/domains/update", {
      csrf: await browser.csrf(),
      domain_uuid: DEMO_DOMAIN_UUID,
      enabled: "true",
      description: "taken over",
    });
    expect(other.status).toBe(404);
    const own = await browser.post("/console/domains/update", {
      csrf: await browser.csrf(),
      domain_uuid: OTHER_DOMAIN,
      enabled: "true",
      description: "ours",
    });
    expect(own.status).toBe(303);
    const gone = await browser.post("/console/domains/delete", {
      csrf: await browser.csrf(),
      domain_uuid: OTHER_DOMAIN,
    });
    expect(gone.status).toBe(403);
    expect(await h.db.sql`select 1 from v_domains where domain_uuid = ${OTHER_DOMAIN}::uuid`).toHaveLength(1);
  });
});

describe("console: audit, calls, health", () => {
  test("the audit page filters by key, action, outcome and time, and pages with the action's cursor", async () => {
    const browser = await signedIn();
    for (let i = 0; i < 3; i++) {
      await browser.post("/console/keys", { csrf: await browser.csrf(), name: `paging ${i}`, scopes: "read" });
    }
    await h.audit.flush();
    const filtered = await browser.get(`/console/audit?action_name=key-create&outcome=ok&key_uuid=${DEMO_KEY_ID}`);
    expect(filtered.status).toBe(200);
    const rows = filtered.text.match(/<tr>\n<td>[^<]+<\/td><td>([^<]+)<\/td>/g) ?? [];
    expect(rows.length).toBeGreaterThanOrEqual(3);
    expect(rows.every((r) => r.includes("<td>key-create</td>"))).toBe(true);
    const future = await browser.get("/console/audit?start=2099-01-01T00:00");
    expect(future.text).toContain("No audit rows");
    const bad = await browser.get("/console/audit?start=yesterday");
    expect(bad.status).toBe(400);
    expect(bad.text).toContain("From: start must be an ISO 8601 date-time");

    // Paging: 60 rows of one made-up action are more than a page (50); the next-page link carries the cursor.
    await h.db.sql`insert into switchboard_audit (audit_uuid, occurred_at, face, key_uuid, action, outcome)
      select gen_random_uuid(), now() - (n || ' seconds')::interval, 'trpc', ${DEMO_KEY_ID}::uuid, 'paging-probe', 'ok'
      from generate_series(1, 60) n`;
    const first = await browser.get("/console/audit?action_name=paging-probe");
    const next = /href="([^"]+)" rel="next"/.exec(first.text)?.[1]?.replaceAll("&amp;", "&");
    expect(next).toStartWith("/console/audit?action_name=paging-probe&cursor=");
    const second = await browser.get(next!);
    expect(second.status).toBe(200);
    expect(second.text).toContain("First page");
    expect(second.text).not.toContain('rel="next"');
    const count = (text: string) => (text.match(/<td>paging-probe<\/td>/g) ?? []).length;
    expect([count(first.text), count(second.text)]).toEqual([50, 10]);
  });

  test("the calls page: live calls and recent calls of a domain; a test call through originate", async () => {
    const browser = await signedIn();
    const channel = h.fake.addChannel({ context: "fusionpbx.example.net", cid_num: "1001", dest: "5551234" });
    try {
      const page = await browser.get(`/console/calls?domain_uuid=${DEMO_DOMAIN_UUID}`);
      expect(page.status).toBe(200);
      expect(page.text).toContain(channel.uuid);
      expect(page.text).toContain("Recent calls");
    } finally {
      h.fake.hangup(channel.uuid);
    }
    const placed = await browser.post("/console/calls/originate", {
      csrf: await browser.csrf(),
      domain_uuid: DEMO_DOMAIN_UUID,
      ring_first: "1001",
      connect_to: "*9664",
      caller_id_number: "1001",
    });
    expect(placed.status).toBe(200);
    expect(placed.text).toMatch(/Test call placed: [0-9a-f-]{36}/);
    const bad = await browser.post("/console/calls/originate", {
      csrf: await browser.csrf(),
      domain_uuid: DEMO_DOMAIN_UUID,
      ring_first: "10 01; hangup",
      connect_to: "*9664",
      caller_id_number: "1001",
    });
    expect(bad.status).toBe(400);
    expect(bad.text).toContain("Ring first: a number may hold only digits");
  });

  test("the health page: the database and every switch, up with latency", async () => {
    const browser = await signedIn();
    const page = await browser.get("/console/health");
    expect(page.status).toBe(200);
    expect(page.text).toMatch(/<td>PostgreSQL<\/td><td class="up">up<\/td>/);
    expect(page.text).toMatch(new RegExp(`<td>FreeSWITCH ${h.fake.name}</td><td class="up">up</td>`));
  });
});
