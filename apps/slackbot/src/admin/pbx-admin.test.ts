import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { ADMIN, allText, type SlackHarness, startSlackHarness, TEAM, USER } from "../testing/slack-harness.ts";

describe("/pbx admin: binding and permissions, with no SLACK_DOMAIN", () => {
  let h: SlackHarness;
  beforeAll(async () => {
    h = await startSlackHarness();
  }, 60_000);
  afterAll(async () => {
    await h?.stop();
  }, 30_000);

  const policy = async (user: string) =>
    (await h.sql`select scopes, extension from switchboard_slack_users where team_id = ${TEAM} and user_id = ${user}`)[0];

  test("an unbound workspace is told how to bind it; nothing runs", async () => {
    const ack = await h.command("/pbx", "regs");
    const [reply] = await h.replies(ack);
    expect(reply!.text).toContain("not linked to a PBX domain");
    expect(reply!.text).toContain("/pbx admin bind <domain name>");
    expect(h.fakeSwitch.apiCommands().filter((c) => c.includes("registrations"))).toHaveLength(0);
    const audit = (await h.auditRows()).filter((r) => r.request_id === `slack-${ack.triggerId}`);
    expect(audit).toEqual([expect.objectContaining({ action: "slack /pbx", outcome: "error", error_code: "UNBOUND_WORKSPACE" })]);
  });

  test("a user who is not an admin cannot bind", async () => {
    const ack = await h.command("/pbx", "admin bind pbx.example.com");
    const [reply] = await h.replies(ack);
    expect(reply!.text).toContain("You need the 'admin' permission");
    expect(await h.sql`select * from switchboard_slack_workspaces`).toHaveLength(0);
  });

  test("a SLACK_ADMIN_USERS admin binds the workspace by domain name; an unknown domain is refused", async () => {
    const unknown = await h.command("/pbx", "admin bind nowhere.example.com", { user: ADMIN });
    expect((await h.replies(unknown))[0]!.text).toContain("no domain 'nowhere.example.com'");
    const ack = await h.command("/pbx", "admin bind pbx.example.com", { user: ADMIN });
    const [reply] = await h.replies(ack);
    expect(reply!.text).toBe(`This workspace now works on domain pbx.example.com (${h.domainUuid}).`);
    expect([...(await h.sql`select team_id, domain_uuid::text as domain_uuid from switchboard_slack_workspaces`)]).toEqual([
      { team_id: TEAM, domain_uuid: h.domainUuid },
    ]);
    const audit = (await h.auditRows()).filter((r) => r.request_id === `slack-${ack.triggerId}`);
    expect(audit).toEqual([expect.objectContaining({ action: "slack-workspace-bind", outcome: "ok", slack_user_id: ADMIN })]);
    const status = await h.command("/pbx", "status");
    expect((await h.replies(status))[0]!.text).toContain("Domain: pbx.example.com");
  });

  test("scopes: granting write lets a user create; none takes everything away", async () => {
    const grant = await h.command("/pbx", "admin scopes <@U0NEW|new> read,write", { user: ADMIN });
    const [granted] = await h.replies(grant);
    expect(granted!.text).toBe("U0NEW may now: read, write.");
    expect(allText(granted!.blocks)).toContain("<@U0NEW>");
    expect(await policy("U0NEW")).toEqual({ scopes: ["read", "write"], extension: null });
    const create = await h.command("/ext", "create 130", { user: "U0NEW" });
    expect((await h.replies(create))[0]!.text).toContain("Extension 130 created");

    const revoke = await h.command("/pbx", "admin scopes <@U0NEW|new> none", { user: ADMIN });
    await h.replies(revoke);
    const regs = await h.command("/pbx", "regs", { user: "U0NEW" });
    expect((await h.replies(regs))[0]!.text).toContain("You need the 'read' permission");
  });

  test("scopes: wrong names and non-mentions are usage errors in the ack", async () => {
    const bad = await h.command("/pbx", "admin scopes <@U0NEW|new> read,root", { user: ADMIN });
    expect(String(bad.body?.text)).toContain("Unknown scope 'root'");
    const notUser = await h.command("/pbx", "admin scopes bob read", { user: ADMIN });
    expect(String(notUser.body?.text)).toContain("'bob' is not a user");
    const verb = await h.command("/pbx", "admin promote <@U0NEW>", { user: ADMIN });
    expect(String(verb.body?.text)).toContain("Unknown admin command 'promote'");
  });

  test("ext: linking a user's extension makes /call <to> ring it; the new row keeps the default scopes", async () => {
    const link = await h.command("/pbx", "admin ext <@U0CALLER|caller> 140", { user: ADMIN });
    expect((await h.replies(link))[0]!.text).toBe("U0CALLER now calls from extension 140.");
    expect(await policy("U0CALLER")).toEqual({ scopes: ["read", "calls"], extension: "140" });
    const call = await h.command("/call", "2065550140", { user: "U0CALLER" });
    expect((await h.replyContaining(call, "Answered")).message.text).toBe("Answered: 140 → 2065550140");
  });

  test("a granted admin can manage users but cannot drop their own admin scope", async () => {
    const grant = await h.command("/pbx", "admin scopes <@U0BOSS> admin", { user: ADMIN });
    await h.replies(grant);
    const self = await h.command("/pbx", "admin scopes <@U0BOSS> read", { user: "U0BOSS" });
    expect((await h.replies(self))[0]!.text).toContain("cannot take the admin scope from yourself");
    expect(await policy("U0BOSS")).toEqual({ scopes: ["admin"], extension: null });
  });

  test("show lists the binding and users; forget returns a user to the defaults", async () => {
    const show = await h.command("/pbx", "admin show", { user: ADMIN });
    const [shown] = await h.replies(show);
    expect(shown!.text).toContain(`Domain: ${h.domainUuid} (bound here)`);
    expect(shown!.text).toMatch(/U0CALLER\s+read,calls\s+140/);
    expect(shown!.text).toMatch(/U0NEW\s+none/);
    const forget = await h.command("/pbx", "admin forget <@U0NEW>", { user: ADMIN });
    expect((await h.replies(forget))[0]!.text).toBe("U0NEW has the default scopes again.");
    expect(await policy("U0NEW")).toBeUndefined();
  });

  test("a non-admin cannot read or change user settings", async () => {
    for (const text of ["admin show", "admin scopes <@U0USER> admin", "admin unbind"]) {
      const ack = await h.command("/pbx", text, { user: USER });
      expect((await h.replies(ack))[0]!.text).toContain("You need the 'admin' permission");
    }
    expect(await policy(USER)).toBeUndefined();
  });

  test("unbind removes the link", async () => {
    const ack = await h.command("/pbx", "admin unbind", { user: ADMIN });
    expect((await h.replies(ack))[0]!.text).toBe("This workspace is no longer linked to a domain.");
    const regs = await h.command("/pbx", "regs");
    expect((await h.replies(regs))[0]!.text).toContain("not linked to a PBX domain");
  });
});

describe("SLACK_DOMAIN and SLACK_DEFAULT_SCOPES", () => {
  let h: SlackHarness;
  beforeAll(async () => {
    h = await startSlackHarness({ SLACK_DOMAIN: "pbx.example.com", SLACK_DEFAULT_SCOPES: "" });
  }, 60_000);
  afterAll(async () => {
    await h?.stop();
  }, 30_000);

  test("with SLACK_DEFAULT_SCOPES empty, an unknown user may do nothing", async () => {
    const ack = await h.command("/pbx", "status", { team: "T0ANY" });
    expect((await h.replies(ack))[0]!.text).toContain("You need the 'read' permission");
  });

  test("SLACK_DOMAIN binds every workspace without a binding of its own", async () => {
    await h.setUser("U0READ", ["read"], null, "T0ANY");
    const ack = await h.command("/pbx", "status", { team: "T0ANY", user: "U0READ" });
    expect((await h.replies(ack))[0]!.text).toContain("Domain: pbx.example.com");
  });

  test("a workspace's own binding wins over SLACK_DOMAIN", async () => {
    await h.bind("T0OWN", h.otherDomainUuid);
    await h.setUser("U0READ", ["read"], null, "T0OWN");
    const ack = await h.command("/pbx", "status", { team: "T0OWN", user: "U0READ" });
    expect((await h.replies(ack))[0]!.text).toContain("Domain: other.example.com");
  });

  test("SLACK_ADMIN_USERS are admins whatever their row says", async () => {
    await h.setUser(ADMIN, [], null, "T0ANY");
    const ack = await h.command("/pbx", "admin show", { team: "T0ANY", user: ADMIN });
    expect((await h.replies(ack))[0]!.text).toContain("(from SLACK_DOMAIN)");
  });
});
