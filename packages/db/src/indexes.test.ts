import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { checkRecommendedIndexes, createRecommendedIndexes, RECOMMENDED_INDEXES } from "./indexes.ts";
import { createTestDatabase, type TestDatabase } from "./testing/index.ts";

// Real PostgreSQL and child processes on a shared machine: a loaded minute must not fail a test.
setDefaultTimeout(30_000);

const cdrIndex = RECOMMENDED_INDEXES.find((i) => i.table === "v_xml_cdr")!;

describe("recommended indexes", () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase({ prefix: "sb_indexes", migrate: true });
  }, 60_000);
  afterAll(async () => {
    await db.drop();
  }, 60_000);

  const indexNames = async () =>
    (
      await db.sql<
        { indexname: string }[]
      >`select indexname from pg_indexes where tablename = 'v_xml_cdr' order by indexname`
    ).map((r) => r.indexname);

  test("migrations never create them: a fresh FusionPBX schema lacks the CDR index", async () => {
    expect(cdrIndex.create).toBe(
      "CREATE INDEX CONCURRENTLY IF NOT EXISTS switchboard_xml_cdr_domain_end_stamp ON v_xml_cdr (domain_uuid, end_stamp DESC)",
    );
    const states = await checkRecommendedIndexes(db.sql);
    expect(states.find((s) => s.index === cdrIndex)?.state).toBe("missing");
    expect(await indexNames()).not.toContain(cdrIndex.name);
  });

  test("created concurrently on request, then reported present; a second run creates nothing", async () => {
    const lines: string[] = [];
    const first = await createRecommendedIndexes(db.sql, (l) => lines.push(l));
    expect(first.created).toEqual([cdrIndex.name]);
    expect(lines).toContain(`index ${cdrIndex.name}: ${cdrIndex.create}`);
    const [definition] = await db.sql<
      { indexdef: string }[]
    >`select indexdef from pg_indexes where indexname = ${cdrIndex.name}`;
    expect(definition?.indexdef).toBe(
      `CREATE INDEX ${cdrIndex.name} ON public.v_xml_cdr USING btree (domain_uuid, end_stamp DESC)`,
    );
    expect((await checkRecommendedIndexes(db.sql)).find((s) => s.index === cdrIndex)).toMatchObject({
      state: "present",
      existing: cdrIndex.name,
    });
    const second = await createRecommendedIndexes(db.sql);
    expect(second).toEqual({ created: [], present: [cdrIndex.name] });
  });

  test("an equivalent index under another name serves", async () => {
    await db.sql.unsafe(`DROP INDEX ${cdrIndex.name}`);
    await db.sql.unsafe("CREATE INDEX operators_own_cdr_index ON v_xml_cdr (domain_uuid, end_stamp, start_stamp)");
    expect((await checkRecommendedIndexes(db.sql)).find((s) => s.index === cdrIndex)).toMatchObject({
      state: "present",
      existing: "operators_own_cdr_index",
    });
    await db.sql.unsafe("DROP INDEX operators_own_cdr_index");
    await db.sql.unsafe("CREATE INDEX cdr_end_stamp_only ON v_xml_cdr (end_stamp)");
    expect((await checkRecommendedIndexes(db.sql)).find((s) => s.index === cdrIndex)?.state).toBe("missing");
  });

  test("an invalid index left by an interrupted build is rebuilt", async () => {
    await db.sql.unsafe(cdrIndex.create);
    await db.sql`update pg_index set indisvalid = false where indexrelid = ${cdrIndex.name}::regclass`;
    expect((await checkRecommendedIndexes(db.sql)).find((s) => s.index === cdrIndex)?.state).toBe("invalid");
    const result = await createRecommendedIndexes(db.sql);
    expect(result.created).toEqual([cdrIndex.name]);
    const [row] = await db.sql<
      { valid: boolean }[]
    >`select indisvalid as valid from pg_index where indexrelid = ${cdrIndex.name}::regclass`;
    expect(row?.valid).toBe(true);
  });
});
