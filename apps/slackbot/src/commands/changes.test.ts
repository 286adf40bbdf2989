import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { type SlackHarness, startSlackHarness } from "../testing/slack-harness.ts";

const WRITER = "U0WRITER";
const READER = "U0READER";

/** What a PBX admin reaches for from Slack: change an extension, delete numbers and ring groups. */
describe("changes from Slack", () => {
  let h: SlackHarness;
  const extensionUuid = crypto.randomUUID();
  beforeAll(async () => {
    h = await startSlackHarness();
    await h.setUser(WRITER, ["read", "write"]);
    await h.setUser(READER, ["read"]);
    await h.sql`insert into v_extensions (extension_uuid, domain_uuid, extension, effective_caller_id_name, enabled, user_context)
      values (${extensionUuid}, ${h.domainUuid}, '300', 'Desk', true, ${"pbx.example.com"})`;
  }, 60_000);
  afterAll(async () => {
    await h?.stop();
  }, 30_000);

  const extension = async () =>
    (
      await h.sql`select enabled::text, do_not_disturb::text, forward_all_enabled::text, forward_all_destination
        from v_extensions where extension_uuid = ${extensionUuid}`
    )[0]!;

  test("/ext set turns an extension off and on, do-not-disturb, and forwarding", async () => {
    for (const [text, answer] of [
      ["set 300 off", "Extension 300: disabled."],
      ["set 300 on", "Extension 300: enabled."],
      ["set 300 dnd on", "Extension 300: do not disturb on."],
      ["set 300 forward +1 (206) 555-0123", "Extension 300: forwarding every call to +12065550123."],
    ] as const) {
      const ack = await h.command("/ext", text, { user: WRITER });
      expect((await h.replies(ack))[0]!.text).toBe(answer);
    }
    expect(await extension()).toEqual({
      enabled: "true",
      do_not_disturb: "true",
      forward_all_enabled: "true",
      forward_all_destination: "+12065550123",
    });
    const off = await h.command("/ext", "set 300 forward off", { user: WRITER });
    expect((await h.replies(off))[0]!.text).toBe("Extension 300: forwarding off.");
    expect((await extension()).forward_all_enabled).toBe("false");
    const show = await h.command("/ext", "show 300", { user: WRITER });
    expect((await h.replies(show))[0]!.text).toContain("Forward all: off");
  });

  test("/ext set: wrong words are answered in the ack; without write nothing changes", async () => {
    const wrong = await h.command("/ext", "set 300 loud", { user: WRITER });
    expect(String(wrong.body?.text)).toContain("Say what to change");
    const bad = await h.command("/ext", "set 300 forward 555;reloadxml", { user: WRITER });
    expect(String(bad.body?.text)).toContain("a phone number may hold digits, +, * and #");
    const reader = await h.command("/ext", "set 300 off", { user: READER });
    expect((await h.replies(reader))[0]!.text).toContain("You need the 'write' permission");
    expect((await extension()).enabled).toBe("true");
  });

  test("/dest delete asks first, then deletes the number and its dialplan", async () => {
    const created = await h.command("/dest", "create 2065550777 300", { user: WRITER });
    await h.replies(created);
    const ack = await h.command("/dest", "delete 2065550777", { user: WRITER });
    const [prompt] = await h.replies(ack);
    expect(prompt!.text).toBe("Delete inbound number 2065550777? Press Delete to confirm.");
    const button = (prompt!.blocks![1]!.elements as { action_id: string; value: string }[])[0]!;
    expect(button.action_id).toBe("dest_delete_confirm");
    const cancel = await h.click("dest_delete_cancel", button.value, { user: WRITER });
    expect((await h.replies(cancel))[0]!.text).toBe("Kept inbound number 2065550777.");
    expect(await h.sql`select 1 from v_destinations where destination_number = '2065550777'`).toHaveLength(1);

    const refused = await h.click("dest_delete_confirm", button.value, { user: READER });
    expect((await h.replies(refused))[0]!.text).toContain("You need the 'write' permission");
    const click = await h.click("dest_delete_confirm", button.value, { user: WRITER });
    expect((await h.replies(click))[0]!.text).toBe("Inbound number 2065550777 deleted.");
    expect(await h.sql`select 1 from v_destinations where destination_number = '2065550777'`).toHaveLength(0);
    const reader = await h.command("/dest", "delete 2065550777", { user: READER });
    expect((await h.replies(reader))[0]!.text).toContain("You need the 'write' permission");
  });

  test("/ring delete asks first, then deletes the group with its members", async () => {
    await h.replies(await h.command("/ring", "create 610 Support simultaneous 300", { user: WRITER }));
    const ack = await h.command("/ring", "delete 610", { user: WRITER });
    const [prompt] = await h.replies(ack);
    expect(prompt!.text).toBe("Delete ring group 610 (Support)? Press Delete to confirm.");
    const value = (prompt!.blocks![1]!.elements as { value: string }[])[0]!.value;
    const click = await h.click("ring_delete_confirm", value, { user: WRITER });
    expect((await h.replies(click))[0]!.text).toBe("Ring group 610 (Support) deleted.");
    expect(await h.sql`select 1 from v_ring_groups where ring_group_extension = '610'`).toHaveLength(0);
    const missing = await h.command("/ring", "delete 610", { user: WRITER });
    expect((await h.replies(missing))[0]!.text).toContain("No ring group 610 in this domain.");
  });

  test("routing a number or naming a ring group that is already an extension is refused (core's clash check)", async () => {
    const dest = await h.command("/dest", "create 300 300", { user: WRITER });
    expect((await h.replies(dest))[0]!.text).toContain("300 is already an extension of this domain.");
    const ring = await h.command("/ring", "create 300 Clash simultaneous 300", { user: WRITER });
    expect((await h.replies(ring))[0]!.text).toContain("300 is already an extension of this domain.");
    expect(await h.sql`select 1 from v_destinations where destination_number = '300'`).toHaveLength(0);
    expect(await h.sql`select 1 from v_ring_groups where ring_group_extension = '300'`).toHaveLength(0);
  });

  test("a button naming another domain's number deletes nothing", async () => {
    const otherUuid = crypto.randomUUID();
    await h.sql`insert into v_destinations (destination_uuid, domain_uuid, destination_number, destination_type, destination_context, destination_enabled)
      values (${otherUuid}, ${h.otherDomainUuid}, '2065550888', 'inbound', 'public', true)`;
    const click = await h.click("dest_delete_confirm", JSON.stringify({ label: "2065550888", uuid: otherUuid }), {
      user: WRITER,
    });
    expect((await h.replies(click))[0]!.text).toContain("not found");
    expect(await h.sql`select 1 from v_destinations where destination_uuid = ${otherUuid}`).toHaveLength(1);
  });
});
