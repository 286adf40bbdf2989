import { describe, expect, test } from "bun:test";
import { errorReply, escapeMrkdwn, fieldsReply, formatTable, show, tableReply } from "./reply.ts";

describe("Block Kit replies", () => {
  test("escapes Slack's markup characters so values cannot mention @channel or fake links", () => {
    expect(escapeMrkdwn("<!channel> & <https://x|y>")).toBe("&lt;!channel&gt; &amp; &lt;https://x|y&gt;");
    const reply = fieldsReply("Extension 100", [["Caller ID name", "<!here>"]]);
    expect(JSON.stringify(reply.blocks)).not.toContain("<!here>");
    expect(reply.text).toContain("Caller ID name: <!here>");
  });

  test("formatTable aligns columns without trailing spaces", () => {
    expect(
      formatTable(
        ["Ext", "Name"],
        [
          ["100", "Front Desk"],
          ["1001", ""],
        ],
      ),
    ).toBe("Ext   Name\n100   Front Desk\n1001");
  });

  test("tableReply puts the table in monospace sections under Slack's 3000-character limit, with a row count", () => {
    const rows = Array.from({ length: 150 }, (_, i) => [String(1000 + i), "x".repeat(40)]);
    const reply = tableReply("Extensions", ["Ext", "Name"], rows, "none");
    const sections = (reply.blocks ?? []).filter((b) => b.type === "section") as { text: { text: string } }[];
    expect(sections.length).toBeGreaterThan(2);
    for (const s of sections) expect(s.text.text.length).toBeLessThanOrEqual(3000);
    expect(JSON.stringify(reply.blocks)).toContain("150 rows");
    expect(reply.text.split("\n")).toHaveLength(153);
  });

  test("an empty table says so instead of drawing headers", () => {
    expect(tableReply("Extensions", ["Ext"], [], "No extensions yet.").text).toBe("Extensions\nNo extensions yet.");
  });

  test("a paged table shows one page with Previous/Next buttons that name the page", () => {
    const rows = Array.from({ length: 60 }, (_, i) => [String(i)]);
    const reply = tableReply("Extensions", ["n"], rows, "none", { page: 2, command: "/ext list ali" });
    expect(reply.text).toContain("60 rows, page 2 of 3 (next: /ext list ali 3)");
    expect(reply.text.split("\n").slice(2, 4)).toEqual(["25", "26"]);
    const buttons = JSON.stringify(reply.blocks?.at(-1));
    expect(buttons).toContain('"text":"Previous"');
    expect(buttons).toContain('\\"page\\":3');
    const last = tableReply("Extensions", ["n"], rows, "none", { page: 9, command: "/ext list" });
    expect(last.text).toContain("page 3 of 3");
    expect(JSON.stringify(last.blocks)).not.toContain('"Next"');
  });

  test("errorReply carries the usage in both the blocks and the fallback", () => {
    const reply = errorReply("Missing arguments.", "/ext show <number>");
    expect(reply.text).toBe("Missing arguments.\nUsage: /ext show <number>");
    expect(JSON.stringify(reply.blocks)).toContain("/ext show &lt;number&gt;");
  });

  test("show renders PDO values", () => {
    expect([show(null), show(undefined), show("a"), show(30), show(true), show({ a: 1 })]).toEqual([
      "",
      "",
      "a",
      "30",
      "true",
      '{"a":1}',
    ]);
  });
});
