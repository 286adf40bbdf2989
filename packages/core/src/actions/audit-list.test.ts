import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { createTestDatabase, type TestDatabase } from "@switchboard/db/testing";
import { createSwitchPool } from "@switchboard/esl";
import { createTestContext } from "../testing/test-context.ts";
import { callAction } from "../action-caller.ts";
import { auditList } from "./audit-list.ts";

const KEY_A = "aaaaaaaa-0000-4000-8000-000000000001";
const KEY_B = "bbbbbbbb-0000-4000-8000-000000000002";
const DOMAIN = "dddddddd-0000-4000-8000-000000000003";

describe("audit-list filters", () => {
  let db: TestDatabase;
  // audit-list never asks a switch; the pool only completes the context.
  const pool = createSwitchPool({ switches: [{ host: "127.0.0.1", port: 1, password: "ClueCon" }] });
  beforeAll(async () => {
    db = await createTestDatabase({ migrate: true });
    await db.sql`insert into v_domains (domain_uuid, domain_name, domain_enabled) values (${DOMAIN}::uuid, 'audit.example.com', true)`;
    const rows: [string, string, string, string | null, string][] = [
      ["2026-01-01T10:00:00Z", KEY_A, "key-create", DOMAIN, "ok"],
      ["2026-01-01T11:00:00Z", KEY_A, "key-revoke", DOMAIN, "error"],
      ["2026-01-02T10:00:00Z", KEY_B, "key-create", null, "ok"],
      ["2026-01-03T10:00:00Z", KEY_B, "originate", DOMAIN, "refused"],
    ];
    for (const [at, key, action, domain, outcome] of rows) {
      await db.sql`insert into switchboard_audit (audit_uuid, occurred_at, face, key_uuid, action, domain_uuid, outcome)
        values (${crypto.randomUUID()}::uuid, ${at}::timestamptz, 'trpc', ${key}::uuid, ${action}, ${domain}::uuid, ${outcome})`;
    }
  }, 60_000);
  afterAll(async () => {
    await pool.close();
    await db?.drop();
  }, 30_000);

  const list = async (input: Record<string, unknown>) => {
    const ctx = await createTestContext({ sql: db.sql, switches: pool });
    const page = (await callAction(auditList, ctx, input)) as { items: { action: string; occurred_at: string }[] };
    return page.items.map((i) => i.action);
  };

  test("by outcome, by time (start inclusive, end exclusive), combined with key and domain", async () => {
    expect(await list({ outcome: "ok" })).toEqual(["key-create", "key-create"]);
    expect(await list({ outcome: "refused" })).toEqual(["originate"]);
    expect(await list({ start: "2026-01-01T11:00:00Z", end: "2026-01-03T10:00:00Z" })).toEqual([
      "key-create",
      "key-revoke",
    ]);
    expect(await list({ key_uuid: KEY_A, outcome: "error" })).toEqual(["key-revoke"]);
    expect(await list({ domain_uuid: DOMAIN, start: "2026-01-02T00:00:00+00:00" })).toEqual(["originate"]);
  });

  test("a time that is not ISO 8601 is refused, naming the field", async () => {
    await expect(list({ start: "yesterday" })).rejects.toMatchObject({ code: "BAD_REQUEST", field: "start" });
  });
});
