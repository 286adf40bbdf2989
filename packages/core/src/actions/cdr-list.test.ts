import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { runAction } from "../execute.ts";
import { CDR_COLUMNS } from "../fusionpbx/row-schemas.ts";
import { SCHEMA_VARIANTS, openOriginalFixture, type OriginalFixture } from "../fusionpbx/test-fixture.ts";
import { cdrList } from "./cdr-list.ts";

type Page = { items: Record<string, unknown>[]; nextCursor: string | null };

for (const variant of SCHEMA_VARIANTS) {
  describe(`cdr-list on ${variant}`, () => {
    let fx: OriginalFixture;
    const base = Date.UTC(2023, 4, 1, 12, 0, 0);
    beforeAll(async () => {
      fx = await openOriginalFixture(variant);
      const rows = [];
      for (let i = 0; i < 230; i++) {
        const start = new Date(base + i * 60_000);
        rows.push({
          xml_cdr_uuid: crypto.randomUUID(),
          domain_uuid: fx.domain.uuid,
          extension_uuid: null,
          direction: i % 3 === 0 ? "outbound" : "inbound",
          start_stamp: start.toISOString(),
          // Two calls end in the same second: the uuid breaks the tie for the cursor.
          end_stamp: i < 2 ? null : new Date(base + Math.min(i, 200) * 60_000 + 30_000).toISOString(),
          hangup_cause: "NORMAL_CLEARING",
          duration: String(30 + i),
          missed_call: i % 5 === 0,
          record_name: null,
          bridge_uuid: null,
          caller_id_name: `Caller ${i}`,
          caller_id_number: "+12065550100",
          caller_destination: "100",
          source_number: "+12065550100",
          destination_number: "100",
          leg: i % 2 === 0 ? "a" : "b",
        });
      }
      rows.push({ ...rows[10]!, xml_cdr_uuid: crypto.randomUUID(), domain_uuid: fx.otherDomain.uuid });
      await fx.db.sql`insert into v_xml_cdr ${fx.db.sql(rows)}`;
    }, 60_000);
    afterAll(async () => fx?.close(), 30_000);

    /** The original's own query, run on the same data: the order PostgreSQL gave the original. */
    async function original(limit = 100): Promise<Record<string, unknown>[]> {
      return (await fx.db.sql.unsafe(
        `SELECT ${CDR_COLUMNS.join(", ")} FROM v_xml_cdr WHERE domain_uuid = $1 ORDER BY end_stamp DESC LIMIT ${limit}`,
        [fx.domain.uuid],
      )) as unknown as Record<string, unknown>[];
    }

    test("legacy default: the newest 100 by end_stamp (NULL first), the 16 columns, PDO types, bare array", async () => {
      const reply = await fx.legacy(cdrList, { action: "cdr-list", domain_uuid: fx.domain.uuid });
      expect(reply.status).toBe(200);
      const items = reply.body as Record<string, unknown>[];
      expect(items.length).toBe(100);
      expect(Object.keys(items[0]!)).toEqual([...CDR_COLUMNS]);
      expect(items[0]!.end_stamp).toBeNull();
      expect(items[1]!.end_stamp).toBeNull();
      expect(items).toEqual(await original());
      const third = items[2]!;
      expect(typeof third.duration).toBe("string");
      expect(typeof third.missed_call).toBe("boolean");
      expect(third.end_stamp).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d[+-]\d\d/);
      expect(reply.json.startsWith('[{"xml_cdr_uuid":')).toBe(true);
    });

    test("the cursor walks every record exactly once, newest first, across a page-spanning tie", async () => {
      const seen: Record<string, unknown>[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const page = (await runAction(cdrList, fx.ctx(), {
          domain_uuid: fx.domain.uuid,
          limit: 20,
          ...(cursor ? { cursor } : {}),
        })) as Page;
        seen.push(...page.items);
        cursor = page.nextCursor;
        pages++;
      } while (cursor);
      // 230 records: 12 pages, the last one short; 30 share one end_stamp, spanning pages 1 and 2.
      expect(pages).toBe(12);
      expect(new Set(seen.map((r) => r.xml_cdr_uuid)).size).toBe(230);
      const stamps = seen.map((r) =>
        r.end_stamp === null
          ? Number.POSITIVE_INFINITY
          : Date.parse(
              String(r.end_stamp)
                .replace(" ", "T")
                .replace(/([+-]\d\d)$/, "$1:00"),
            ),
      );
      for (let i = 1; i < stamps.length; i++) expect(stamps[i]!).toBeLessThanOrEqual(stamps[i - 1]!);
      // The first page is what the original's query gives with that LIMIT (ties included).
      expect(seen.slice(0, 20)).toEqual(await original(20));
    });

    test("a full last page has no next cursor", async () => {
      const page = (await runAction(cdrList, fx.ctx(), { domain_uuid: fx.domain.uuid, limit: 230 })) as Page;
      expect(page.items.length).toBe(230);
      expect(page.nextCursor).toBeNull();
    });

    test("direction and time range filters; typed output is normalised", async () => {
      const page = (await runAction(cdrList, fx.ctx(), {
        domain_uuid: fx.domain.uuid,
        direction: "outbound",
        start: new Date(base + 30 * 60_000).toISOString(),
        end: "2023-05-01T13:00:00+00:00",
      })) as Page;
      // start_stamp minutes 30..59 with i % 3 === 0: 30, 33, …, 57.
      expect(page.items.length).toBe(10);
      expect(page.items.every((r) => r.direction === "outbound")).toBe(true);
      const typed = cdrList.output.parse(page);
      expect(typed.nextCursor).toBeNull();
      expect(typeof typed.items[0]!.duration).toBe("number");
      expect(typed.items[0]!.start_stamp).toMatch(/^2023-05-01T12:\d\d:00\.000Z$/);
    });

    test("errors and scope", async () => {
      expect(await fx.legacy(cdrList, { domain_uuid: "nope" })).toEqual({ status: 200, body: false, json: "false" });
      expect(await fx.legacy(cdrList, { domain_uuid: crypto.randomUUID() })).toEqual({
        status: 200,
        body: [],
        json: "[]",
      });
      expect(
        (await fx.legacy(cdrList, { domain_uuid: fx.domain.uuid }, { domainUuid: fx.otherDomain.uuid })).body,
      ).toEqual([]);
      expect(
        (
          (await fx.legacy(cdrList, { domain_uuid: fx.otherDomain.uuid }, { domainUuid: fx.otherDomain.uuid }))
            .body as unknown[]
        ).length,
      ).toBe(1);
      expect((await fx.legacy(cdrList, {})).status).toBe(400);
      expect(await fx.legacy(cdrList, { domain_uuid: fx.domain.uuid, cursor: "garbage" })).toMatchObject({
        status: 400,
        body: { error: "invalid parameter: cursor" },
      });
      expect(await fx.legacy(cdrList, { domain_uuid: fx.domain.uuid, limit: 1001 })).toMatchObject({
        status: 400,
        body: { error: "invalid parameter: limit" },
      });
      expect(await fx.legacy(cdrList, { domain_uuid: fx.domain.uuid, direction: "sideways" })).toMatchObject({
        status: 400,
        body: { error: "invalid parameter: direction" },
      });
    });
  });
}
