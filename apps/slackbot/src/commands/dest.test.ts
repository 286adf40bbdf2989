import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { type SlackHarness, startSlackHarness } from "../testing/slack-harness.ts";

const WRITER = "U0WRITER";

describe("/dest", () => {
  let h: SlackHarness;
  beforeAll(async () => {
    h = await startSlackHarness();
    await h.setUser(WRITER, ["read", "write"]);
  }, 60_000);
  afterAll(async () => {
    await h?.stop();
  }, 30_000);

  test("/dest create routes a number to an extension", async () => {
    const ack = await h.command("/dest", "create 2065551234 105", { user: WRITER });
    expect(ack.body?.text).toBe("Routing 2065551234 to 105…");
    const [reply] = await h.replies(ack);
    expect(reply!.text).toContain("Inbound number 2065551234 created");
    expect(reply!.text).toContain("Goes to: transfer 105 XML pbx.example.com");
    const rows =
      await h.sql`select destination_number, domain_uuid::text as domain from v_destinations where destination_number = '2065551234'`;
    expect([...rows]).toEqual([{ destination_number: "2065551234", domain: h.domainUuid }]);
  });

  test("the same number twice is refused", async () => {
    const ack = await h.command("/dest", "create 2065551234 106", { user: WRITER });
    const [reply] = await h.replies(ack);
    expect(reply!.text).toContain("Number already routed");
  });

  test("without write nothing is created", async () => {
    const ack = await h.command("/dest", "create 2065559999 105");
    const [reply] = await h.replies(ack);
    expect(reply!.text).toContain("You need the 'write' permission");
    expect(await h.sql`select 1 from v_destinations where destination_number = '2065559999'`).toHaveLength(0);
  });

  test("/dest show tells where a number goes; a missing one is not found", async () => {
    const ack = await h.command("/dest", "show 2065551234");
    const [reply] = await h.replies(ack);
    expect(reply!.text).toContain("Inbound number 2065551234");
    expect(reply!.text).toContain("Goes to: transfer 105 XML pbx.example.com");
    const missing = await h.command("/dest", "show 2065550000");
    const [missingReply] = await h.replies(missing);
    expect(missingReply!.text).toContain("No such destination");
  });

  test("another workspace's domain does not see the number", async () => {
    const ack = await h.command("/dest", "show 2065551234", { team: "T0ELSE" });
    const [reply] = await h.replies(ack);
    expect(reply!.text).toContain("No such destination");
    const list = await h.command("/dest", "list", { team: "T0ELSE" });
    const [listReply] = await h.replies(list);
    expect(listReply!.text).toContain("No inbound numbers yet");
  });

  test("/dest list is a table of numbers and targets", async () => {
    const second = await h.command("/dest", "create 2065554321 110", { user: WRITER });
    await h.replies(second);
    const ack = await h.command("/dest", "list");
    const [reply] = await h.replies(ack);
    expect(reply!.text).toMatch(/Number\s+Goes to\s+Enabled/);
    expect(reply!.text).toMatch(/2065551234\s+transfer 105 XML pbx\.example\.com/);
    expect(reply!.text).toMatch(/2065554321\s+transfer 110 XML pbx\.example\.com/);
  });

  test("help and wrong usage", async () => {
    const help = await h.command("/dest", "help");
    for (const usage of ["/dest create <number> <extension>", "/dest show <number>", "/dest list"])
      expect(String(help.body?.text)).toContain(usage);
    const wrong = await h.command("/dest", "create 2065551234");
    expect(String(wrong.body?.text)).toContain("Usage: /dest create <number> <extension>");
    const extra = await h.command("/dest", "list everything 2 3");
    expect(String(extra.body?.text)).toContain("Usage: /dest list [search] [page]");
    const badPage = await h.command("/dest", "list everything next");
    expect(String(badPage.body?.text)).toContain("The page is a whole number");
  });
});
