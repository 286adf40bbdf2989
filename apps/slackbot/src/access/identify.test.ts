import { describe, expect, test } from "bun:test";
import { createIdentifier, DomainNotFoundError } from "./identify.ts";
import type { SlackDirectory, SlackUserPolicy } from "./slack-directory.ts";

/** The user lookup identify makes, answered from memory. */
function directory(users: Record<string, SlackUserPolicy>): SlackDirectory {
  return { user: async (team: string, user: string) => users[`${team}:${user}`] ?? null } as unknown as SlackDirectory;
}

const DOMAIN_A = "11111111-1111-4111-8111-111111111111";
const DOMAIN_B = "22222222-2222-4222-8222-222222222222";
const DOMAINS: Record<string, string> = { "a.example.com": DOMAIN_A, "b.example.com": DOMAIN_B };

describe("identify", () => {
  test("SLACK_TEAM_DOMAINS binds a listed workspace, SLACK_DOMAIN the others; each name is looked up once and cached", async () => {
    const lookups: string[] = [];
    const identify = createIdentifier({
      directory: directory({}),
      policy: {
        adminUsers: new Set(),
        defaultScopes: ["read", "calls"],
        fixedDomainName: "a.example.com",
        teamDomains: new Map([["T1", "b.example.com"]]),
      },
      domainUuidByName: async (name) => {
        lookups.push(name);
        return DOMAINS[name] ?? null;
      },
    });
    expect(await identify("T1", "U1")).toMatchObject({
      domainUuid: DOMAIN_B,
      domainName: "b.example.com",
      binding: "SLACK_TEAM_DOMAINS",
    });
    expect(await identify("T2", "U1")).toMatchObject({ domainUuid: DOMAIN_A, binding: "SLACK_DOMAIN" });
    await identify("T3", "U1");
    await identify("T1", "U2");
    expect(lookups.sort()).toEqual(["a.example.com", "b.example.com"]);
  });

  test("without SLACK_DOMAIN an unlisted workspace is bound to nothing", async () => {
    const identify = createIdentifier({
      directory: directory({}),
      policy: {
        adminUsers: new Set(["UADMIN"]),
        defaultScopes: ["read"],
        fixedDomainName: null,
        teamDomains: new Map([["T1", "a.example.com"]]),
      },
      domainUuidByName: async (name) => DOMAINS[name] ?? null,
    });
    expect(await identify("T9", "UADMIN")).toMatchObject({ domainUuid: null, binding: null });
  });

  test("a configured name that is no domain is a clear error, found by verifyBindings before any request", async () => {
    const identify = createIdentifier({
      directory: directory({}),
      policy: {
        adminUsers: new Set(),
        defaultScopes: [],
        fixedDomainName: null,
        teamDomains: new Map([["T1", "typo.example.com"]]),
      },
      domainUuidByName: async () => null,
    });
    await expect(identify.verifyBindings()).rejects.toThrow(DomainNotFoundError);
    await expect(identify.verifyBindings()).rejects.toThrow(
      "SLACK_TEAM_DOMAINS names 'typo.example.com', which is not a domain of this FusionPBX",
    );
    await expect(identify("T1", "U1")).rejects.toThrow("typo.example.com");
  });

  test("user rows replace the defaults; SLACK_ADMIN_USERS always add admin; calls-unrestricted never reaches Slack", async () => {
    const identify = createIdentifier({
      directory: directory({
        "T1:U1": { userId: "U1", scopes: ["write"], extension: "100" },
        "T1:UADMIN": { userId: "UADMIN", scopes: [], extension: null },
        "T1:U3": { userId: "U3", scopes: ["calls", "calls-unrestricted" as never], extension: null },
      }),
      policy: { adminUsers: new Set(["UADMIN"]), defaultScopes: ["read", "calls"], fixedDomainName: null },
      domainUuidByName: async () => null,
    });
    const user = await identify("T1", "U1");
    expect([...user.scopes]).toEqual(["write"]);
    expect(user).toMatchObject({ extension: "100", scopeSource: "user", domainUuid: null, binding: null });
    expect([...(await identify("T1", "U2")).scopes]).toEqual(["read", "calls"]);
    expect([...(await identify("T1", "UADMIN")).scopes]).toEqual(["admin"]);
    expect([...(await identify("T1", "U3")).scopes]).toEqual(["calls"]);
  });
});
