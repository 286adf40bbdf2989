import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { createSql } from "./client.ts";
import { migrate } from "./migrate.ts";
import { FUSIONPBX_TABLES, MIGRATIONS, SWITCHBOARD_TABLES } from "./migrations/index.ts";
import {
  createTestDatabase,
  primaryKeyOf,
  type SchemaKind,
  schemaSnapshot,
  SWITCHBOARD_MIGRATION_IDS,
  type TestDatabase,
  tableShape,
} from "./testing/index.ts";

const created: TestDatabase[] = [];
async function fresh(options: Parameters<typeof createTestDatabase>[0] = {}): Promise<TestDatabase> {
  const db = await createTestDatabase({ prefix: "sb_migrate", ...options });
  created.push(db);
  return db;
}
afterAll(async () => {
  await Promise.all(created.map((db) => db.drop()));
}, 60_000);

describe("on an empty database", () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await fresh();
  }, 30_000);

  test("creates FusionPBX's tables and Switchboard's, then records them", async () => {
    const result = await migrate(db.sql, { fusionpbx: "create-if-empty" });
    expect(result.applied).toEqual([
      "0001-fusionpbx-tables",
      "0002-switchboard-tables",
      "0003-call-policy",
      "0004-auth-failures",
      "0005-call-outcomes",
      "0006-refusals",
      "0008-console-sessions",
      "0009-events",
      "0010-webhooks",
      "0011-slack-notifications",
      "0012-slack-channel-notify",
    ]);
    expect(result.fusionpbxCreated).toBe(true);
    expect(result.existingFusionpbx).toBe(false);
    const tables = (await schemaSnapshot(db.sql)).tables.map((t) => t.split(" ")[0]);
    expect(tables.sort()).toEqual([...FUSIONPBX_TABLES, ...SWITCHBOARD_TABLES, "switchboard_schema_migrations"].sort());
    const recorded = await db.sql`select id, kind from switchboard_schema_migrations order by id`;
    expect([...recorded]).toEqual([
      { id: "0001-fusionpbx-tables", kind: "fusionpbx" },
      { id: "0002-switchboard-tables", kind: "switchboard" },
      { id: "0003-call-policy", kind: "switchboard" },
      { id: "0004-auth-failures", kind: "switchboard" },
      { id: "0005-call-outcomes", kind: "switchboard" },
      { id: "0006-refusals", kind: "switchboard" },
      { id: "0008-console-sessions", kind: "switchboard" },
      { id: "0009-events", kind: "switchboard" },
      { id: "0010-webhooks", kind: "switchboard" },
      { id: "0011-slack-notifications", kind: "switchboard" },
      { id: "0012-slack-channel-notify", kind: "switchboard" },
    ]);
  });

  test("a second run does nothing and changes nothing", async () => {
    const before = await schemaSnapshot(db.sql);
    const result = await migrate(db.sql);
    expect(result.applied).toEqual([]);
    expect(result.alreadyApplied).toEqual([
      "0001-fusionpbx-tables",
      "0002-switchboard-tables",
      "0003-call-policy",
      "0004-auth-failures",
      "0005-call-outcomes",
      "0006-refusals",
      "0008-console-sessions",
      "0009-events",
      "0010-webhooks",
      "0011-slack-notifications",
      "0012-slack-channel-notify",
    ]);
    expect(result.existingFusionpbx).toBe(false);
    expect(await schemaSnapshot(db.sql)).toEqual(before);
  });

  test("Switchboard's tables have the contract's columns", async () => {
    expect(await tableShape(db.sql, "switchboard_key_policies")).toEqual([
      "key_uuid uuid",
      "domain_uuid uuid",
      "scopes text[]",
      "expires_at timestamp with time zone",
      "disabled boolean",
      "created_at timestamp with time zone",
      "updated_at timestamp with time zone",
    ]);
    expect(await primaryKeyOf(db.sql, "switchboard_idempotency")).toEqual(["scope", "idem_key"]);
    expect(await tableShape(db.sql, "switchboard_calls")).toContain("missing_since timestamp with time zone");
    expect(await primaryKeyOf(db.sql, "switchboard_slack_users")).toEqual(["team_id", "user_id"]);
    const [audit] =
      await db.sql`insert into switchboard_audit (face, action, outcome) values ('legacy', 'domain-details', 'ok') returning audit_uuid, occurred_at`;
    expect(audit?.audit_uuid).toMatch(/^[0-9a-f-]{36}$/);
    expect(audit?.occurred_at).toBeString();
  });
});

describe("mode never", () => {
  test("adds only switchboard_ tables to an empty database; create-if-empty later adds FusionPBX's", async () => {
    const db = await fresh();
    const first = await migrate(db.sql, { fusionpbx: "never" });
    expect(first.applied).toEqual(SWITCHBOARD_MIGRATION_IDS);
    expect(first.skipped).toEqual([
      { id: "0001-fusionpbx-tables", reason: "the database has no FusionPBX tables; the migrate command creates them" },
    ]);
    expect((await schemaSnapshot(db.sql)).tables.some((t) => t.startsWith("v_"))).toBe(false);
    const second = await migrate(db.sql, { fusionpbx: "create-if-empty" });
    expect(second.applied).toEqual(["0001-fusionpbx-tables"]);
    expect(second.fusionpbxCreated).toBe(true);
  }, 30_000);
});

describe("concurrent starts", () => {
  test("five clients migrating one empty database at once apply each migration exactly once", async () => {
    const db = await fresh();
    const clients = Array.from({ length: 5 }, () => createSql(db.url, { max: 2 }));
    try {
      const results = await Promise.all(clients.map((c) => migrate(c, { fusionpbx: "create-if-empty" })));
      const applied = results.flatMap((r) => r.applied).sort();
      expect(applied).toEqual([
        "0001-fusionpbx-tables",
        "0002-switchboard-tables",
        "0003-call-policy",
        "0004-auth-failures",
        "0005-call-outcomes",
        "0006-refusals",
        "0008-console-sessions",
        "0009-events",
        "0010-webhooks",
        "0011-slack-notifications",
        "0012-slack-channel-notify",
      ]);
      expect(results.filter((r) => r.fusionpbxCreated)).toHaveLength(1);
      const [row] = await db.sql`select count(*)::int as n from switchboard_schema_migrations`;
      expect(row?.n).toBe(MIGRATIONS.length);
    } finally {
      await Promise.all(clients.map((c) => c.end({ timeout: 1 })));
    }
  }, 30_000);
});

describe("against FusionPBX 5.1 and 5.6 installs", () => {
  let ours: TestDatabase;
  const reference: Partial<Record<SchemaKind, TestDatabase>> = {};
  beforeAll(async () => {
    [ours, reference["fusionpbx-5.6-master"], reference["fusionpbx-5.1.0"]] = await Promise.all([
      fresh({ migrate: true }),
      fresh({ dump: "fusionpbx-5.6-master" }),
      fresh({ dump: "fusionpbx-5.1.0" }),
    ]);
  }, 60_000);

  for (const table of FUSIONPBX_TABLES) {
    // v_settings exists up to 5.1 only; every other table is compared with a fresh 5.6 install.
    const kind: SchemaKind = table === "v_settings" ? "fusionpbx-5.1.0" : "fusionpbx-5.6-master";
    test(`${table}: same column order, types and primary key as ${kind}`, async () => {
      const real = reference[kind]!;
      const expected = await tableShape(real.sql, table);
      expect(expected.length).toBeGreaterThan(0);
      expect(await tableShape(ours.sql, table)).toEqual(expected);
      expect(await primaryKeyOf(ours.sql, table)).toEqual(await primaryKeyOf(real.sql, table));
    });
  }

  // Runs after the comparisons above (tests in a file run in order), reusing the installs' databases.
  for (const kind of ["fusionpbx-5.1.0", "fusionpbx-5.6-master"] as const) {
    test(`${kind}: migrate adds only switchboard_ tables, alters nothing, and is idempotent`, async () => {
      const db = reference[kind]!;
      const before = await schemaSnapshot(db.sql);
      const result = await migrate(db.sql, { fusionpbx: "create-if-empty" });
      expect(result.existingFusionpbx).toBe(true);
      expect(result.fusionpbxCreated).toBe(false);
      expect(result.applied).toEqual([
        "0002-switchboard-tables",
        "0003-call-policy",
        "0004-auth-failures",
        "0005-call-outcomes",
        "0006-refusals",
        "0008-console-sessions",
        "0009-events",
        "0010-webhooks",
        "0011-slack-notifications",
        "0012-slack-channel-notify",
      ]);
      expect(result.skipped.map((s) => s.id)).toEqual(["0001-fusionpbx-tables"]);

      const after = await schemaSnapshot(db.sql);
      const ourTable = (line: string) => line.startsWith("switchboard_");
      for (const key of ["tables", "columns", "constraints"] as const) {
        expect(after[key].filter((l) => !ourTable(l))).toEqual(before[key]);
        expect(after[key].filter(ourTable).length).toBeGreaterThan(0);
      }
      expect(after.indexes.filter((l) => !l.includes(" ON public.switchboard_"))).toEqual(before.indexes);
      expect(
        after.tables
          .filter(ourTable)
          .map((t) => t.split(" ")[0])
          .sort(),
      ).toEqual([...SWITCHBOARD_TABLES, "switchboard_schema_migrations"].sort());

      const again = await migrate(db.sql, { fusionpbx: "create-if-empty" });
      expect(again.applied).toEqual([]);
      expect(again.skipped.map((s) => s.id)).toEqual(["0001-fusionpbx-tables"]);
      expect(await schemaSnapshot(db.sql)).toEqual(after);
    }, 60_000);
  }
});
