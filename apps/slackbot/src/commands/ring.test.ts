import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { type SlackHarness, startSlackHarness } from "../testing/slack-harness.ts";

const WRITER = "U0WRITER";

describe("/ring", () => {
  let h: SlackHarness;
  beforeAll(async () => {
    h = await startSlackHarness();
    await h.setUser(WRITER, ["read", "write"]);
  }, 60_000);
  afterAll(async () => {
    await h?.stop();
  }, 30_000);

  test('/ring create 600 "Front Office" sequence 100 101 102 creates the group with its members in order', async () => {
    const ack = await h.command("/ring", 'create 600 "Front Office" sequence 100 101 102', { user: WRITER });
    expect(ack.body?.text).toBe("Creating ring group 600 (Front Office)…");
    const [reply] = await h.replies(ack);
    expect(reply!.text).toContain("Ring group 600 created");
    expect(reply!.text).toContain("Members: 100, 101, 102");
    const members = await h.sql`
      select d.destination_number from v_ring_group_destinations d join v_ring_groups g using (ring_group_uuid)
      where g.ring_group_extension = '600' and g.domain_uuid = ${h.domainUuid} order by d.destination_delay, d.insert_date, d.destination_number`;
    expect(members.map((m) => m.destination_number)).toEqual(["100", "101", "102"]);
    const [group] =
      await h.sql`select ring_group_name, ring_group_strategy from v_ring_groups where ring_group_extension = '600'`;
    expect(group).toEqual({ ring_group_name: "Front Office", ring_group_strategy: "sequence" });
  });

  test("the same extension twice is refused", async () => {
    const ack = await h.command("/ring", "create 600 Other simultaneous 103", { user: WRITER });
    const [reply] = await h.replies(ack);
    expect(reply!.text).toContain("Ring group already exists");
  });

  test("an unknown strategy is a usage error in the ack; nothing runs", async () => {
    const ack = await h.command("/ring", "create 601 Sales loudest 100", { user: WRITER });
    expect(String(ack.body?.text)).toContain("Unknown strategy 'loudest'");
    expect(String(ack.body?.text)).toContain("/ring create <extension> <name> <strategy> <member> [member…]");
    expect(await h.sql`select 1 from v_ring_groups where ring_group_extension = '601'`).toHaveLength(0);
  });

  test("without write nothing is created", async () => {
    const ack = await h.command("/ring", "create 602 Sales random 100");
    expect((await h.replies(ack))[0]!.text).toContain("You need the 'write' permission");
    expect(await h.sql`select 1 from v_ring_groups where ring_group_extension = '602'`).toHaveLength(0);
  });

  test("/ring show lists the group's settings and members", async () => {
    const ack = await h.command("/ring", "show 600");
    const [reply] = await h.replies(ack);
    expect(reply!.text).toContain("Ring group 600 — Front Office");
    expect(reply!.text).toContain("Strategy: sequence");
    expect(reply!.text).toMatch(/Members:\nMember\s+Delay\s+Timeout\n100\s+\d+\s+\d+\n101 .*\n102 /);
  });

  test("/ring show of a missing group, or of another domain's, is not found", async () => {
    const missing = await h.command("/ring", "show 699");
    expect((await h.replies(missing))[0]!.text).toContain("No ring group 699 in this domain.");
    const foreign = await h.command("/ring", "show 600", { team: "T0ELSE" });
    expect((await h.replies(foreign))[0]!.text).toContain("No ring group 600 in this domain.");
  });

  test("/ring list is a table of the domain's groups", async () => {
    const second = await h.command("/ring", "create 610 Support simultaneous 110 111", { user: WRITER });
    await h.replies(second);
    const ack = await h.command("/ring", "list");
    const [reply] = await h.replies(ack);
    expect(reply!.text).toMatch(/600\s+Front Office\s+sequence/);
    expect(reply!.text).toMatch(/610\s+Support\s+simultaneous/);
  });

  test("help and wrong usage", async () => {
    const help = await h.command("/ring", "help");
    expect(String(help.body?.text)).toContain("/ring create <extension> <name> <strategy> <member> [member…]");
    expect(String(help.body?.text)).toContain("/ring show <extension>");
    const short = await h.command("/ring", "create 620 Sales simultaneous");
    expect(String(short.body?.text)).toContain("Missing arguments.");
  });
});
