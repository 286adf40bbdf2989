import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { phpJsonPretty } from "./php-json.ts";
import { saveArray } from "./save.ts";
import { SCHEMA_VARIANTS, openOriginalFixture, type OriginalFixture } from "./test-fixture.ts";

for (const variant of SCHEMA_VARIANTS.filter((v) => v !== "fusionpbx-5.6-master")) {
  describe(`saveArray on ${variant}`, () => {
    let fx: OriginalFixture;
    beforeAll(async () => {
      fx = await openOriginalFixture(variant);
    }, 60_000);
    afterAll(async () => fx?.close(), 30_000);

    const log = { appName: "test", appUuid: "2bfe71d9-e112-4b8b-bcff-75aeb0e06302", address: "127.0.0.1" };

    test("inserts with generated keys, then updates an existing row and logs the old values", async () => {
      const groupUuid = crypto.randomUUID();
      const first = await fx.db.sql.begin((tx) =>
        saveArray(
          tx,
          fx.schema,
          {
            ring_groups: [
              {
                ring_group_uuid: groupUuid,
                domain_uuid: fx.domain.uuid,
                ring_group_name: " Padded ",
                ring_group_description: "",
                no_such_column: "dropped",
                ring_group_destinations: [{ destination_number: "101", destination_delay: 0 }],
              },
            ],
          },
          log,
        ),
      );
      expect(first.transactionType).toBe("add");
      const memberUuid = first.written.v_ring_group_destinations![0]!;
      const [member] = await fx.rows("v_ring_group_destinations", "ring_group_destination_uuid", memberUuid);
      // The parent key is filled in; int 0 is NULL for a child only when its text is empty (it is "0").
      expect(member).toMatchObject({ ring_group_uuid: groupUuid, destination_number: "101", destination_delay: "0" });
      const [group] = await fx.rows("v_ring_groups", "ring_group_uuid", groupUuid);
      expect(group).toMatchObject({ ring_group_name: "Padded", ring_group_description: null });
      expect(first.message.details[0]!.sql).toBe(
        "INSERT INTO v_ring_groups (ring_group_uuid, domain_uuid, ring_group_name, ring_group_description, insert_date, insert_user ) VALUES (:ring_group_uuid, :domain_uuid, :ring_group_name, null, now(), :insert_user );",
      );

      const second = await fx.db.sql.begin((tx) =>
        saveArray(tx, fx.schema, { ring_groups: [{ ring_group_uuid: groupUuid, ring_group_name: "Renamed" }] }, log),
      );
      expect(second.transactionType).toBe("update");
      const [updated] = await fx.rows("v_ring_groups", "ring_group_uuid", groupUuid);
      expect(updated).toMatchObject({ ring_group_name: "Renamed", domain_uuid: fx.domain.uuid });
      expect(updated!.update_date).toEqual(expect.any(String));
      const [entry] = await fx.db.sql`
        select * from v_database_transactions where transaction_type = 'update' and transaction_new like ${`%${groupUuid}%`}`;
      expect(entry!.transaction_old).toBe(
        phpJsonPretty({ ring_groups: [{ ring_group_uuid: groupUuid, ring_group_name: "Padded" }] }),
      );
    });

    test("a failing statement aborts the transaction it runs in", async () => {
      const before = await fx.count("v_ring_groups");
      await expect(
        fx.db.sql.begin((tx) =>
          saveArray(
            tx,
            fx.schema,
            { ring_groups: [{ domain_uuid: fx.domain.uuid, ring_group_name: "A" }, { domain_uuid: "not-a-uuid" }] },
            log,
          ),
        ),
      ).rejects.toThrow();
      expect(await fx.count("v_ring_groups")).toBe(before);
    });
  });
}
