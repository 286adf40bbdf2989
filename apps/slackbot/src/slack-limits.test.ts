import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { PAGE_ACTION } from "./blocks/reply.ts";
import { startSilentServer } from "./testing/silent-server.ts";
import { allText, type SlackHarness, startSlackHarness } from "./testing/slack-harness.ts";

const WRITER = "U0WRITER";

describe("Slack's limits and failures", () => {
  let h: SlackHarness;
  beforeAll(async () => {
    h = await startSlackHarness();
    await h.setUser(WRITER, ["read", "write"]);
    // The reproduction: 60 extensions named "R&D <EU> & Sales", plus a few with other names to search for.
    for (let i = 0; i < 60; i++)
      await h.sql`insert into v_extensions (extension_uuid, domain_uuid, extension, effective_caller_id_name, enabled)
        values (${crypto.randomUUID()}, ${h.domainUuid}, ${String(1000 + i)}, 'R&D <EU> & Sales', true)`;
    for (const [extension, name] of [
      ["2001", "Alice Jones"],
      ["2002", "Alina <!channel>"],
      ["2003", "Bob"],
    ] as const)
      await h.sql`insert into v_extensions (extension_uuid, domain_uuid, extension, effective_caller_id_name, enabled)
        values (${crypto.randomUUID()}, ${h.domainUuid}, ${extension}, ${name}, true)`;
  }, 60_000);
  afterAll(async () => {
    await h?.stop();
  }, 30_000);

  test("the reproduction: /ext list of 60 'R&D <EU> & Sales' is accepted by Slack, one page of 25 at a time", async () => {
    const ack = await h.command("/ext", "list", { user: WRITER });
    const [reply] = await h.replies(ack);
    expect(h.responses.at(ack.responsePath)[0]!.refused).toBeUndefined();
    expect(reply!.text).toContain("R&D <EU> & Sales");
    expect(reply!.text).toContain("63 rows, page 1 of 3 (next: /ext list 2)");
    expect(allText(reply!.blocks)).toContain('"text":"Next"');
  });

  test("/ext list 2 and the Next button show the next page; the button replaces the list in place", async () => {
    const typed = await h.command("/ext", "list 3", { user: WRITER });
    const [third] = await h.replies(typed);
    expect(third!.text).toContain("page 3 of 3");
    expect(third!.text).toContain("2003");
    expect(third!.text).not.toContain("1000 ");

    const click = await h.click(PAGE_ACTION.next, JSON.stringify({ command: "/ext list", page: 2 }), { user: WRITER });
    expect(click.status).toBe(200);
    const [second] = await h.replies(click);
    expect(second!.replace_original).toBe(true);
    expect(second!.text).toContain("page 2 of 3");
    expect(second!.text).toContain("1025");
  });

  test("/ext list ali searches names and numbers", async () => {
    const ack = await h.command("/ext", "list ali", { user: WRITER });
    const [reply] = await h.replies(ack);
    expect(reply!.text).toContain("Extensions matching “ali”");
    expect(reply!.text).toContain("Alice Jones");
    expect(reply!.text).toContain("Alina");
    expect(reply!.text).not.toContain("Bob");
    expect(reply!.text).toContain("2 rows");
    const none = await h.command("/ext", "list zebra", { user: WRITER });
    expect((await h.replies(none))[0]!.text).toContain("Nothing matches.");
  });

  test("<!channel> in a name never pings: the wire text and blocks carry it escaped", async () => {
    const ack = await h.command("/ext", "list alina", { user: WRITER });
    await h.replies(ack);
    const wire = JSON.stringify(h.responses.at(ack.responsePath)[0]!.body);
    expect(wire).not.toContain("<!channel>");
    expect(wire).toContain("&lt;!channel&gt;");
  });

  test("when Slack refuses a reply anyway, the user gets it as plain text saying what happened", async () => {
    h.responses.refuseNext(1, "invalid_blocks");
    const ack = await h.command("/ext", "list bob", { user: WRITER });
    const [refused, fallback] = await h.replies(ack, 2);
    expect(refused!.blocks).toBeDefined();
    expect(fallback!.blocks).toBeUndefined();
    expect(fallback!.text).toContain("Slack refused to show this reply as formatted (invalid_blocks)");
    expect(fallback!.text).toContain("2003");
    expect(h.responses.at(ack.responsePath)[1]!.refused).toBeUndefined();
  });

  test("an unknown or renamed command is acknowledged at once with the list of commands", async () => {
    const ack = await h.command("/phone", "list");
    expect(ack.status).toBe(200);
    expect(String(ack.body?.text)).toContain("Switchboard has no command /phone");
    for (const command of ["/call", "/ext", "/dest", "/ring", "/pbx"])
      expect(String(ack.body?.text)).toContain(command);
  });

  test("no reply of these tests was refused by the fake Slack", () => {
    expect(h.responses.refused().map((r) => r.refused)).toEqual([["invalid_blocks"]]);
  });
});

describe("Slack's Web API unreachable", () => {
  const silent = startSilentServer();
  let h: SlackHarness;
  beforeAll(async () => {
    // Start-up waits 5 s for auth.test, then goes on with a warning.
    h = await startSlackHarness({ SLACK_API_URL: silent.url });
  }, 60_000);
  afterAll(async () => {
    await h?.stop();
    silent.stop();
  }, 30_000);

  test("/ext help is acknowledged although the Web API never answers", async () => {
    const ack = await h.command("/ext", "help");
    expect(ack.status).toBe(200);
    expect(String(ack.body?.text)).toContain("/ext create <number>");
  });

  test("/ext list is acknowledged and answered through the response_url", async () => {
    const ack = await h.command("/ext", "list");
    expect(String(ack.body?.text)).toBe("Listing extensions…");
    expect((await h.replies(ack))[0]!.text).toContain("No extensions yet");
  });
});
