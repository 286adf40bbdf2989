import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import {
  ADMIN,
  allText,
  OTHER_DOMAIN_NAME,
  type SlackHarness,
  startSlackHarness,
  TEAM,
  USER,
} from "../testing/slack-harness.ts";

/** The customer of workspace T2, whose admin tries to reach another customer's domain (issue 12, part 1). */
const T2 = "T0CUSTOMER2";
const T2_ADMIN = "U0T2ADMIN";
const COLLEAGUE = "U0T2COLLEAGUE";

describe("tenant binding is the operator's: a Slack admin cannot reach another customer's domain", () => {
  let h: SlackHarness;
  beforeAll(async () => {
    // The operator binds T2 to the second customer's domain only; pbx.example.com is another customer's.
    h = await startSlackHarness({
      SLACK_TEAM_DOMAINS: `${TEAM}:pbx.example.com,${T2}:${OTHER_DOMAIN_NAME}`,
      SLACK_ADMIN_USERS: "",
    });
    await h.setUser(T2_ADMIN, ["admin"], null, T2);
    await h.sql`insert into v_extensions (extension_uuid, domain_uuid, extension, effective_caller_id_name, enabled) values
      (${crypto.randomUUID()}, ${h.domainUuid}, '201', 'First Customer Desk', 'true'),
      (${crypto.randomUUID()}, ${h.otherDomainUuid}, '301', 'Second Customer Desk', 'true')`;
    await h.sql`insert into v_xml_cdr (xml_cdr_uuid, domain_uuid, domain_name, direction, caller_id_number, destination_number, start_stamp, duration, hangup_cause)
      values (${crypto.randomUUID()}, ${h.domainUuid}, 'pbx.example.com', 'outbound', '201', '2065550999', now(), 42, 'NORMAL_CLEARING')`;
  }, 60_000);
  afterAll(async () => {
    await h?.stop();
  }, 30_000);

  test("bind, grant, bind again, /ext list and /pbx cdr: nothing of the other domain is read or changed", async () => {
    const before = await h.sql`select extension, domain_uuid::text from v_extensions order by extension`;
    const bind = await h.command("/pbx", "admin bind pbx.example.com", { team: T2, user: T2_ADMIN });
    expect(String(bind.body?.text)).toContain("Only the PBX operator chooses which domain");

    const grant = await h.command("/pbx", `admin scopes <@${COLLEAGUE}|colleague> admin`, { team: T2, user: T2_ADMIN });
    expect((await h.replies(grant))[0]!.text).toBe(`${COLLEAGUE} may now: admin.`);
    const again = await h.command("/pbx", `admin bind ${h.domainUuid}`, { team: T2, user: COLLEAGUE });
    expect(String(again.body?.text)).toContain("Only the PBX operator chooses which domain");
    const unbind = await h.command("/pbx", "admin unbind", { team: T2, user: COLLEAGUE });
    expect(String(unbind.body?.text)).toContain("Only the PBX operator chooses which domain");

    const list = await h.command("/ext", "list", { team: T2, user: COLLEAGUE });
    const [listed] = await h.replies(list);
    expect(allText(listed)).toContain("Second Customer Desk");
    expect(allText(listed)).not.toContain("First Customer Desk");
    const cdr = await h.command("/pbx", "cdr", { team: T2, user: COLLEAGUE });
    const [records] = await h.replies(cdr);
    expect(allText(records)).not.toContain("2065550999");
    const show = await h.command("/ext", "show 201", { team: T2, user: COLLEAGUE });
    expect((await h.replies(show))[0]!.text).toContain("not found");

    expect(await h.sql`select extension, domain_uuid::text from v_extensions order by extension`).toEqual(before);
    expect(await h.sql`select * from switchboard_slack_workspaces`).toHaveLength(0);
    // Every action the T2 users ran was scoped to T2's own domain.
    const domains = new Set(
      (await h.auditRows()).filter((r) => r.slack_team_id === T2 && r.domain_uuid).map((r) => r.domain_uuid),
    );
    expect([...domains]).toEqual([h.otherDomainUuid]);
  });

  test("a workspace the operator did not bind is told who binds it; nothing runs", async () => {
    const ack = await h.command("/pbx", "regs", { team: "T0NOBODY" });
    const [reply] = await h.replies(ack);
    expect(reply!.text).toContain("not linked to a PBX domain");
    expect(reply!.text).toContain("SLACK_TEAM_DOMAINS");
    expect(h.fakeSwitch.apiCommands().filter((c) => c.includes("registrations"))).toHaveLength(0);
    const audit = (await h.auditRows()).filter((r) => r.request_id === `slack-${ack.triggerId}`);
    expect(audit).toEqual([
      expect.objectContaining({ action: "slack /pbx", outcome: "error", error_code: "UNBOUND_WORKSPACE" }),
    ]);
    // Admin commands need the binding too: there is no domain to manage users in.
    await h.setUser("U0LONE", ["admin"], null, "T0NOBODY");
    const admin = await h.command("/pbx", "admin show", { team: "T0NOBODY", user: "U0LONE" });
    expect((await h.replies(admin))[0]!.text).toContain("not linked to a PBX domain");
  });
});

describe("/pbx admin: permissions and links inside the bound domain", () => {
  let h: SlackHarness;
  beforeAll(async () => {
    h = await startSlackHarness();
    await h.sql`insert into v_extensions (extension_uuid, domain_uuid, extension, enabled) values
      (${crypto.randomUUID()}, ${h.domainUuid}, '140', 'true'), (${crypto.randomUUID()}, ${h.otherDomainUuid}, '150', 'true')`;
  }, 60_000);
  afterAll(async () => {
    await h?.stop();
  }, 30_000);

  const policy = async (user: string) =>
    (
      await h.sql`select scopes, extension from switchboard_slack_users where team_id = ${TEAM} and user_id = ${user}`
    )[0];

  test("/pbx admin and /pbx admin help list every admin command and permission in the ack", async () => {
    for (const text of ["admin", "admin help"]) {
      const ack = await h.command("/pbx", text, { user: ADMIN });
      const body = String(ack.body?.text);
      for (const verb of ["show", "scopes", "ext", "forget"]) expect(body).toContain(`/pbx admin ${verb}`);
      expect(body).toContain("calls-any: place calls from any extension of the domain");
    }
  });

  test("a user who is not an admin cannot read or change settings", async () => {
    for (const text of ["admin show", "admin scopes <@U0USER> admin"]) {
      const ack = await h.command("/pbx", text, { user: USER });
      expect((await h.replies(ack))[0]!.text).toContain("You need the 'admin' permission");
    }
    expect(await policy(USER)).toBeUndefined();
  });

  test("scopes: a list replaces, +/- add and remove from what the user has (the defaults at first)", async () => {
    const grant = await h.command("/pbx", "admin scopes <@U0NEW|new> read,write", { user: ADMIN });
    const [granted] = await h.replies(grant);
    expect(granted!.text).toBe("U0NEW may now: read, write.");
    expect(allText(granted!.blocks)).toContain("<@U0NEW>");
    const create = await h.command("/ext", "create 130", { user: "U0NEW" });
    expect((await h.replies(create))[0]!.text).toContain("Extension 130 created");

    const add = await h.command("/pbx", "admin scopes <@U0NEW> +calls -write", { user: ADMIN });
    expect((await h.replies(add))[0]!.text).toBe("U0NEW may now: read, calls.");
    expect(await policy("U0NEW")).toEqual({ scopes: ["read", "calls"], extension: null });
    // A user without a row starts from the default permissions (read, calls).
    const fresh = await h.command("/pbx", "admin scopes <@U0FRESH> +write", { user: ADMIN });
    expect((await h.replies(fresh))[0]!.text).toBe("U0FRESH may now: read, write, calls.");

    const revoke = await h.command("/pbx", "admin scopes <@U0NEW|new> none", { user: ADMIN });
    await h.replies(revoke);
    const regs = await h.command("/pbx", "regs", { user: "U0NEW" });
    expect((await h.replies(regs))[0]!.text).toContain("You need the 'read' permission");
  });

  test("scopes: wrong names, mixed forms and non-mentions are answered in the ack with what is valid", async () => {
    const bad = await h.command("/pbx", "admin scopes <@U0NEW|new> read,root", { user: ADMIN });
    expect(String(bad.body?.text)).toContain(
      "'root' is not a permission; permissions are read, write, calls, calls-any, admin",
    );
    const unrestricted = await h.command("/pbx", "admin scopes <@U0NEW> +calls-unrestricted", { user: ADMIN });
    expect(String(unrestricted.body?.text)).toContain("'calls-unrestricted' is not a permission");
    const mixed = await h.command("/pbx", "admin scopes <@U0NEW> read +calls", { user: ADMIN });
    expect(String(mixed.body?.text)).toContain("not both");
    const notUser = await h.command("/pbx", "admin scopes bob read", { user: ADMIN });
    expect(String(notUser.body?.text)).toContain("'bob' is not a user; mention them, like @alice.");
    const verb = await h.command("/pbx", "admin promote <@U0NEW>", { user: ADMIN });
    expect(String(verb.body?.text)).toContain("There is no admin command 'promote'");
  });

  test("ext: links a user to an extension of this domain only; an unknown one is refused", async () => {
    const missing = await h.command("/pbx", "admin ext <@U0CALLER|caller> 999", { user: ADMIN });
    expect((await h.replies(missing))[0]!.text).toContain("There is no extension 999 in this domain");
    const foreign = await h.command("/pbx", "admin ext <@U0CALLER|caller> 150", { user: ADMIN });
    expect((await h.replies(foreign))[0]!.text).toContain("There is no extension 150 in this domain");
    expect(await policy("U0CALLER")).toBeUndefined();
    const link = await h.command("/pbx", "admin ext <@U0CALLER|caller> 140", { user: ADMIN });
    expect((await h.replies(link))[0]!.text).toBe("U0CALLER now calls from extension 140.");
    expect(await policy("U0CALLER")).toEqual({ scopes: ["read", "calls"], extension: "140" });
    // One person per extension: linking a second user to 140 is refused until the first is unlinked.
    const second = await h.command("/pbx", "admin ext <@U0SECOND|second> 140", { user: ADMIN });
    expect((await h.replies(second))[0]!.text).toContain("Extension 140 is already linked to U0CALLER");
    expect(await policy("U0SECOND")).toBeUndefined();
    const again = await h.command("/pbx", "admin ext <@U0CALLER|caller> 140", { user: ADMIN });
    expect((await h.replies(again))[0]!.text).toBe("U0CALLER now calls from extension 140.");
  });

  test("a granted admin can manage users but cannot drop their own admin permission", async () => {
    const grant = await h.command("/pbx", "admin scopes <@U0BOSS> admin", { user: ADMIN });
    await h.replies(grant);
    const self = await h.command("/pbx", "admin scopes <@U0BOSS> read", { user: "U0BOSS" });
    expect((await h.replies(self))[0]!.text).toContain("cannot take the admin permission from yourself");
    expect(await policy("U0BOSS")).toEqual({ scopes: ["admin"], extension: null });
  });

  test("show names the domain and the users (as mentions); forget returns a user to the defaults", async () => {
    const show = await h.command("/pbx", "admin show", { user: ADMIN });
    const [shown] = await h.replies(show);
    expect(shown!.text).toContain("Domain: pbx.example.com (set by the PBX operator in SLACK_TEAM_DOMAINS)");
    expect(shown!.text).not.toContain(h.domainUuid);
    expect(allText(shown!.blocks)).toContain("<@U0CALLER>: read, calls — extension 140");
    const forget = await h.command("/pbx", "admin forget <@U0NEW>", { user: ADMIN });
    expect((await h.replies(forget))[0]!.text).toBe("U0NEW has the default permissions again.");
    expect(await policy("U0NEW")).toBeUndefined();
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

  test("SLACK_DOMAIN binds every workspace not listed in SLACK_TEAM_DOMAINS; a listed one keeps its own", async () => {
    await h.setUser("U0READ", ["read"], null, "T0ANY");
    const ack = await h.command("/pbx", "status", { team: "T0ANY", user: "U0READ" });
    expect((await h.replies(ack))[0]!.text).toContain("Domain: pbx.example.com");
    await h.setUser("U0READ", ["read"], null, "T0ELSE");
    const listed = await h.command("/pbx", "status", { team: "T0ELSE", user: "U0READ" });
    expect((await h.replies(listed))[0]!.text).toContain("Domain: other.example.com");
  });

  test("SLACK_ADMIN_USERS are admins whatever their row says", async () => {
    await h.setUser(ADMIN, [], null, "T0ANY");
    const ack = await h.command("/pbx", "admin show", { team: "T0ANY", user: ADMIN });
    expect((await h.replies(ack))[0]!.text).toContain("(set by the PBX operator in SLACK_DOMAIN)");
  });
});
