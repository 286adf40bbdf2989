import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { allText, type SlackHarness, type SlackMessage, startSlackHarness } from "../testing/slack-harness.ts";
import { EXT_DELETE_CANCEL, EXT_DELETE_CONFIRM } from "./ext.ts";

const WRITER = "U0WRITER";

/** The value of a button in a message's blocks. */
function buttonValue(message: SlackMessage, actionId: string): string {
  for (const block of message.blocks ?? []) {
    for (const element of (block.elements as Array<Record<string, unknown>> | undefined) ?? []) {
      if (element.action_id === actionId) return String(element.value);
    }
  }
  throw new Error(`no ${actionId} button in ${JSON.stringify(message.blocks)}`);
}

describe("/ext", () => {
  let h: SlackHarness;
  beforeAll(async () => {
    h = await startSlackHarness();
    await h.setUser(WRITER, ["read", "write"]);
  }, 60_000);
  afterAll(async () => {
    await h?.stop();
  }, 30_000);

  const extensionRow = async (number: string) =>
    (
      await h.sql`select extension, password, effective_caller_id_name, effective_caller_id_number from v_extensions
      where domain_uuid = ${h.domainUuid} and extension = ${number}`
    )[0];

  test('/ext create 105 "Front Desk" creates it and shows the SIP password to the requester only', async () => {
    const ack = await h.command("/ext", 'create 105 "Front Desk" 2065550105', { user: WRITER });
    expect(ack.body).toMatchObject({ response_type: "ephemeral", text: "Creating extension 105…" });
    const [reply] = await h.replies(ack);
    const row = await extensionRow("105");
    expect(row).toMatchObject({
      extension: "105",
      effective_caller_id_name: "Front Desk",
      effective_caller_id_number: "2065550105",
    });
    expect(reply!.text).toContain("Extension 105 created");
    expect(reply!.text).toContain(`SIP password: ${row!.password}`);
    expect(reply!.response_type).toBe("ephemeral");
    expect(allText(reply!.blocks)).toContain(String(row!.password));
    // Nothing else carried it: not the ack, not the Web API (no channel post at all).
    expect(allText(ack.body)).not.toContain(String(row!.password));
    expect(h.webApi.received.filter((r) => r.path !== "/api/auth.test")).toHaveLength(0);
  });

  test("a second create of the same number says it exists", async () => {
    const ack = await h.command("/ext", "create 105", { user: WRITER });
    const [reply] = await h.replies(ack);
    expect(reply!.text).toContain("Extension already exists");
  });

  test('a Slack retry of /ext create neither creates twice nor answers "already exists"', async () => {
    const triggerId = `create.${Date.now()}`;
    const first = await h.command("/ext", "create 115", { user: WRITER, triggerId });
    const retry = await h.command("/ext", "create 115", { user: WRITER, triggerId, retryNum: 1 });
    expect(retry.status).toBe(200);
    await h.replies(first);
    const later = await h.command("/ext", "show 115");
    await h.replies(later);
    const replies = h.responses.at(first.responsePath).map((r) => String(r.body.text));
    expect(replies).toHaveLength(1);
    expect(replies[0]).toContain("Extension 115 created");
    expect(await h.sql`select 1 from v_extensions where extension = '115'`).toHaveLength(1);
  });

  test("a user with the default scopes (read, calls) cannot create", async () => {
    const ack = await h.command("/ext", "create 106");
    const [reply] = await h.replies(ack);
    expect(reply!.text).toContain("You need the 'write' permission");
    expect(await extensionRow("106")).toBeUndefined();
  });

  test("an unsafe number is refused with the usage, nothing written", async () => {
    const ack = await h.command("/ext", 'create "107<x>"', { user: WRITER });
    const [reply] = await h.replies(ack);
    expect(reply!.text).toContain("That value is not valid: extension may contain only digits");
    expect(reply!.text).toContain("/ext create <number>");
    expect(await h.sql`select 1 from v_extensions where extension like '107%'`).toHaveLength(0);
  });

  test("/ext list shows a table of the domain's extensions", async () => {
    const ack = await h.command("/ext", "create 110", { user: WRITER });
    await h.replies(ack);
    const list = await h.command("/ext", "list");
    expect(list.body?.text).toBe("Listing extensions…");
    const [reply] = await h.replies(list);
    expect(reply!.text).toMatch(/^Extensions\nExt\s+Name\s+Caller ID\s+Enabled\n105 .*\n110 .*yes/);
    expect(allText(reply!.blocks)).toContain("```");
    expect(reply!.text).not.toContain(String((await extensionRow("105"))!.password));
  });

  test("/ext show gives the settings but never the password", async () => {
    const ack = await h.command("/ext", "show 105");
    const [reply] = await h.replies(ack);
    expect(reply!.text).toContain("Extension 105");
    expect(reply!.text).toContain("Caller ID name: Front Desk");
    expect(allText(reply)).not.toContain(String((await extensionRow("105"))!.password));
  });

  test("/ext show of a missing extension says so", async () => {
    const ack = await h.command("/ext", "show 999");
    const [reply] = await h.replies(ack);
    expect(reply!.text).toContain("Extension not found");
  });

  test("a workspace bound to another domain does not see this domain's extensions", async () => {
    const ack = await h.command("/ext", "show 105", { team: "T0ELSE" });
    const [reply] = await h.replies(ack);
    expect(reply!.text).toContain("not found");
  });

  test("/ext delete asks first; Cancel keeps it; Delete deletes it once, even when Slack retries the click", async () => {
    const ask = await h.command("/ext", "delete 110", { user: WRITER });
    const [prompt] = await h.replies(ask);
    expect(prompt!.text).toContain("Delete extension 110?");
    const value = buttonValue(prompt!, EXT_DELETE_CONFIRM);
    expect(await extensionRow("110")).toBeDefined();

    const cancel = await h.click(EXT_DELETE_CANCEL, buttonValue(prompt!, EXT_DELETE_CANCEL), { user: WRITER });
    expect(cancel.status).toBe(200);
    expect((await h.replies(cancel))[0]!.text).toBe("Kept extension 110.");
    expect(await extensionRow("110")).toBeDefined();

    const triggerId = `click.${Date.now()}`;
    const click = await h.click(EXT_DELETE_CONFIRM, value, { user: WRITER, triggerId });
    const retry = await h.click(EXT_DELETE_CONFIRM, value, { user: WRITER, triggerId, retryNum: 1 });
    expect(click.status).toBe(200);
    expect(retry.status).toBe(200);
    expect((await h.replyContaining(click, "deleted")).message.text).toBe(
      "Extension 110 deleted, with its voicemail box.",
    );
    expect(await extensionRow("110")).toBeUndefined();
    const audit = (await h.auditRows()).filter((r) => r.request_id === `slack-${triggerId}`);
    expect(audit.filter((r) => r.action === "extension-delete")).toEqual([
      expect.objectContaining({ outcome: "ok", slack_user_id: WRITER }),
    ]);
    expect(audit.filter((r) => r.outcome === "retry-ignored")).toHaveLength(1);
  });

  test("someone without write gets no Delete button", async () => {
    const ask = await h.command("/ext", "delete 105");
    const [reply] = await h.replies(ask);
    expect(reply!.text).toContain("You need the 'write' permission");
    expect(allText(reply)).not.toContain(EXT_DELETE_CONFIRM);
  });

  test("the Delete button pressed by someone without write does nothing", async () => {
    const ask = await h.command("/ext", "delete 105", { user: WRITER });
    const [prompt] = await h.replies(ask);
    const click = await h.click(EXT_DELETE_CONFIRM, buttonValue(prompt!, EXT_DELETE_CONFIRM));
    const [reply] = await h.replies(click);
    expect(reply!.text).toContain("You need the 'write' permission");
    expect(await extensionRow("105")).toBeDefined();
  });

  test("help, wrong usage and unknown subcommands answer with usage text in the ack", async () => {
    const help = await h.command("/ext", "help");
    for (const usage of ["/ext create <number>", "/ext list", "/ext show <number>", "/ext delete <number>"]) {
      expect(String(help.body?.text)).toContain(usage);
    }
    const sub = await h.command("/ext", "create help");
    expect(String(sub.body?.text)).toContain('/ext create <number> ["caller id name"] [caller id number]');
    const missing = await h.command("/ext", "show");
    expect(String(missing.body?.text)).toContain("Missing arguments.\nUsage: /ext show <number>");
    const extra = await h.command("/ext", "create 1 2 3 4");
    expect(String(extra.body?.text)).toContain("Too many arguments.");
    const unknown = await h.command("/ext", "frobnicate");
    expect(String(unknown.body?.text)).toContain("Unknown /ext command 'frobnicate'");
    const quote = await h.command("/ext", 'create 120 "Front Desk');
    expect(String(quote.body?.text)).toContain("missing its closing quote");
    expect(h.responses.at(quote.responsePath)).toHaveLength(0);
  });
});
