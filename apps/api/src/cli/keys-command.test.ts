import { afterAll, beforeAll, expect, test } from "bun:test";
import { DEMO_DOMAIN_NAME, DEMO_DOMAIN_UUID } from "@switchboard/db";
import { basic, type Harness, startHarness } from "../testing/harness.ts";
import { legacyPost } from "../testing/legacy-client.ts";
import { cliCaller } from "./cli-caller.ts";
import { keysCommand } from "./keys-command.ts";

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
}, 60_000);
afterAll(async () => {
  await h?.close();
}, 30_000);

async function keys(...argv: string[]): Promise<{ code: number; out: string[] }> {
  const out: string[] = [];
  const code = await keysCommand(argv, { calls: h.runtime.caller(cliCaller()), out: (l) => out.push(l) });
  return { code, out };
}

test("keys create prints the secret once; the key works, is listed without it, and revoke stops it", async () => {
  const created = await keys(
    "create",
    "--name",
    "ops script",
    "--domain",
    DEMO_DOMAIN_NAME,
    "--scopes",
    "read,admin",
    "--expires",
    "2099-01-01T00:00:00Z",
  );
  expect(created.code).toBe(0);
  const keyId = created.out.find((l) => l.startsWith("key id:"))!.split(/\s+/)[2]!;
  const secret = created.out.find((l) => l.startsWith("secret:"))!.split(/\s+/)[1]!;
  expect(secret).toMatch(/^[0-9a-km-zA-NP-Z]{20}$/);

  const auth = { Authorization: basic(keyId, secret) };
  expect((await legacyPost(h.origin, '{"action":"key-list"}', auth)).status).toBe(200);

  const listed = await keys("list");
  const line = listed.out.find((l) => l.startsWith(keyId))!;
  expect(line).toContain('"ops script"');
  expect(line).toContain("scopes=read,admin");
  expect(line).toContain(`domain=${DEMO_DOMAIN_UUID}`);
  expect(listed.out.join("\n")).not.toContain(secret);

  expect((await keys("revoke", keyId.toUpperCase())).code).toBe(0);
  expect((await legacyPost(h.origin, '{"action":"key-list"}', auth)).status).toBe(401);
  await h.audit.flush();
  const audited = await h.db.sql`select action from switchboard_audit where face = 'cli' order by occurred_at`;
  // The domain given by name is looked up through the caller too, so it is audited like any read.
  expect(audited.map((r) => r.action)).toEqual(["domain-details", "key-create", "key-list", "key-revoke"]);
});

test("bad input is a clear error, unknown commands print usage", async () => {
  await expect(keys("create")).rejects.toThrow("--name is required");
  await expect(keys("create", "--name", "x", "--scopes", "root")).rejects.toThrow("invalid parameter: scopes");
  await expect(keys("create", "--name", "x", "--domain", "nowhere.example")).rejects.toThrow(
    "no domain named 'nowhere.example'",
  );
  await expect(keys("revoke", "00000000-0000-4000-8000-000000000000")).rejects.toThrow("key not found");
  const usage = await keys("frobnicate");
  expect(usage.code).toBe(2);
  expect(usage.out.join("\n")).toContain("keys create --name");
});
