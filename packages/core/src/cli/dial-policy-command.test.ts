import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { migrate } from "@switchboard/db";
import { createTestDatabase, type TestDatabase } from "@switchboard/db/testing";
import { DialPolicyUsageError, dialPolicyCommand } from "./dial-policy-command.ts";

describe("dial-policy command", () => {
  let db: TestDatabase;
  let domain = "";
  beforeAll(async () => {
    db = await createTestDatabase({ dump: "fusionpbx-5.6-master" });
    await migrate(db.sql);
    domain = crypto.randomUUID();
    await db.sql`insert into v_domains (domain_uuid, domain_name, domain_enabled) values (${domain}, 'dial.example.com', true)`;
  }, 60_000);
  afterAll(async () => db?.drop(), 30_000);

  const run = async (...argv: string[]) => {
    const lines: string[] = [];
    await dialPolicyCommand(argv, { sql: db.sql, out: (l) => lines.push(l) });
    return lines.join("\n");
  };

  test("show gives the defaults; set changes only what it names; reset returns to the defaults", async () => {
    expect(await run("show", "dial.example.com")).toContain("international:  refused");
    const set = await run("set", "DIAL.example.com", "--international", "yes", "--country", "44", "--per-user", "10");
    expect(set).toContain("international:  allowed");
    expect(set).toContain("premium-rate:   refused");
    expect(set).toContain("country code:   44");
    expect(set).toContain("10 per user or key, 30 per domain");
    expect([
      ...(await db.sql`select allow_international, country_code from switchboard_dial_policies where domain_uuid = ${domain}`),
    ]).toEqual([{ allow_international: true, country_code: "44" }]);
    expect(await run("reset", domain)).toContain("(defaults)");
  });

  test("wrong values and unknown domains say what is valid", async () => {
    await expect(run("set", "dial.example.com", "--international", "maybe")).rejects.toThrow(
      "--international is yes or no",
    );
    await expect(run("set", "dial.example.com", "--country", "+44")).rejects.toThrow(
      "country calling code like 1 or 44",
    );
    await expect(run("show", "nowhere.example.com")).rejects.toThrow(DialPolicyUsageError);
  });
});
