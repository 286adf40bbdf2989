import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { allText, type SlackHarness, startSlackHarness, TEAM, USER } from "../testing/slack-harness.ts";

describe("/pbx", () => {
  let h: SlackHarness;
  beforeAll(async () => {
    h = await startSlackHarness();
    const cdr = (minute: number, caller: string, destination: string, cause: string, domain = h.domainUuid) => ({
      xml_cdr_uuid: crypto.randomUUID(),
      domain_uuid: domain,
      direction: "inbound",
      caller_id_number: caller,
      destination_number: destination,
      start_stamp: `2026-11-20 10:${minute}:00+00`,
      end_stamp: `2026-11-20 10:${minute}:30+00`,
      duration: 30,
      hangup_cause: cause,
    });
    await h.sql`insert into v_xml_cdr ${h.sql([
      cdr(10, "2065550110", "100", "NORMAL_CLEARING"),
      cdr(20, "2065550120", "101", "USER_BUSY"),
      cdr(30, "2065550130", "102", "NO_ANSWER"),
      cdr(40, "2065550999", "900", "NORMAL_CLEARING", h.otherDomainUuid),
    ])}`;
  }, 60_000);
  afterAll(async () => {
    await h?.stop();
  }, 30_000);

  test("/pbx help lists every command", async () => {
    const ack = await h.command("/pbx", "help");
    for (const usage of ["/pbx status", "/pbx regs", "/pbx cdr [n]", "/pbx queue <name>", "/pbx admin"]) {
      expect(String(ack.body?.text)).toContain(usage);
    }
  });

  test("/pbx status names the domain and each switch's health", async () => {
    const ack = await h.command("/pbx", "status");
    expect(ack.body?.text).toBe("Checking the PBX…");
    const [reply] = await h.replies(ack);
    expect(reply!.text).toContain("PBX status: all switches up");
    expect(reply!.text).toContain("Domain: pbx.example.com");
    expect(reply!.text).toContain(`${h.fakeSwitch.name}: up`);
  });

  test("/pbx regs lists this domain's registrations only", async () => {
    h.fakeSwitch.setRegistrations([
      {
        reg_user: "100",
        realm: "pbx.example.com",
        network_ip: "192.0.2.10",
        network_port: "5060",
        network_proto: "udp",
        expires: String(Math.floor(Date.now() / 1000) + 125),
      },
      {
        reg_user: "200",
        realm: "other.example.com",
        network_ip: "192.0.2.20",
        network_port: "5060",
        network_proto: "tcp",
      },
    ]);
    const ack = await h.command("/pbx", "regs");
    const [reply] = await h.replies(ack);
    expect(reply!.text).toContain("100@pbx.example.com");
    expect(reply!.text).toContain("192.0.2.10:5060");
    expect(reply!.text).toMatch(/expires in 2 min/);
    expect(reply!.text).not.toContain("other.example.com");
    expect(allText(reply!.blocks)).toContain("1 row");
  });

  test("/pbx regs says so when nothing is registered", async () => {
    h.fakeSwitch.setRegistrations([]);
    const ack = await h.command("/pbx", "regs");
    const [reply] = await h.replies(ack);
    expect(reply!.text).toContain("No phone is registered in this domain.");
  });

  test("/pbx cdr [n] shows the newest n calls of this domain", async () => {
    const two = await h.command("/pbx", "cdr 2");
    const [reply] = await h.replies(two);
    expect(reply!.text).toContain("Last 2 call records");
    const lines = reply!.text.split("\n");
    expect(lines[2]).toContain("2065550130");
    expect(lines[3]).toContain("2065550120");
    expect(reply!.text).not.toContain("2065550110");
    expect(reply!.text).not.toContain("2065550999");

    const all = await h.command("/pbx", "cdr");
    const [allReply] = await h.replies(all);
    expect(allReply!.text).toContain("Last 3 call records");
  });

  test("/pbx cdr with a bad count answers with its usage", async () => {
    for (const text of ["cdr 0", "cdr lots", "cdr 101", "cdr 1 2"]) {
      const ack = await h.command("/pbx", text);
      expect(String(ack.body?.text)).toContain("/pbx cdr [n]");
    }
  });

  test("/pbx queue <name> lists the callers waiting in the domain's queue", async () => {
    h.fakeSwitch.setQueue("sales@pbx.example.com", [{ cid_number: "2065550100", cid_name: "Alice", state: "Waiting" }]);
    const ack = await h.command("/pbx", "queue sales");
    const [reply] = await h.replies(ack);
    expect(reply!.text).toContain("Queue sales");
    expect(reply!.text).toMatch(/2065550100\s+Alice\s+Waiting/);
  });

  test("/pbx queue of another domain's queue is not found", async () => {
    h.fakeSwitch.setQueue("support@other.example.com", [
      { cid_number: "2065550200", cid_name: "Bob", state: "Waiting" },
    ]);
    const ack = await h.command("/pbx", "queue support@other.example.com");
    const [reply] = await h.replies(ack);
    expect(allText(reply)).not.toContain("Bob");
  });

  test("every command is audited with the Slack user and team", async () => {
    const ack = await h.command("/pbx", "regs", { user: USER });
    await h.replies(ack);
    const help = await h.command("/pbx", "help");
    const audit = await h.auditRows();
    expect(audit.filter((r) => r.request_id === `slack-${ack.triggerId}`)).toEqual([
      expect.objectContaining({
        action: "registrations",
        outcome: "ok",
        face: "slack",
        slack_user_id: USER,
        slack_team_id: TEAM,
      }),
    ]);
    expect(audit.filter((r) => r.request_id === `slack-${help.triggerId}`)).toEqual([
      expect.objectContaining({ action: "slack /pbx", outcome: "help", slack_user_id: USER }),
    ]);
  });

  test("a switch that is down is reported, not hung on (last: the pool reconnects in the background)", async () => {
    await h.fakeSwitch.stop();
    try {
      const ack = await h.command("/pbx", "regs");
      const [reply] = await h.replies(ack, 1, 20_000);
      expect(reply!.text).toMatch(/FreeSWITCH/);
      expect(reply!.text).not.toContain("Something went wrong");
      const status = await h.command("/pbx", "status");
      const [statusReply] = await h.replies(status, 1, 20_000);
      expect(statusReply!.text).toContain("PBX status: a switch is down");
      expect(statusReply!.text).toContain(`${h.fakeSwitch.name}: DOWN`);
    } finally {
      await h.fakeSwitch.restart();
    }
  }, 30_000);
});
