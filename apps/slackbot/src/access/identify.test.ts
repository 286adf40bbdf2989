import { describe, expect, test } from "bun:test";
import { createIdentifier, DomainNotFoundError } from "./identify.ts";
import type { SlackDirectory, SlackUserPolicy } from "./slack-directory.ts";

/** The two lookups identify makes, answered from memory. */
function directory(workspaces: Record<string, string>, users: Record<string, SlackUserPolicy>): SlackDirectory {
  return {
    workspaceDomain: async (team: string) => workspaces[team] ?? null,
    user: async (team: string, user: string) => users[`${team}:${user}`] ?? null,
  } as unknown as SlackDirectory;
}

const DOMAIN_A = "11111111-1111-4111-8111-111111111111";
const DOMAIN_B = "22222222-2222-4222-8222-222222222222";

describe("identify", () => {
  test("a workspace row wins over SLACK_DOMAIN; the domain name is looked up once and cached", async () => {
    let lookups = 0;
    const identify = createIdentifier({
      directory: directory({ T1: DOMAIN_B }, {}),
      policy: { adminUsers: new Set(), defaultScopes: ["read", "calls"], fixedDomainName: "a.example.com" },
      domainUuidByName: async () => {
        lookups++;
        return DOMAIN_A;
      },
    });
    expect(await identify("T1", "U1")).toMatchObject({ domainUuid: DOMAIN_B, binding: "workspace" });
    expect(await identify("T2", "U1")).toMatchObject({ domainUuid: DOMAIN_A, binding: "SLACK_DOMAIN" });
    await identify("T3", "U1");
    expect(lookups).toBe(1);
  });

  test("a SLACK_DOMAIN that names no domain is a clear error", async () => {
    const identify = createIdentifier({
      directory: directory({}, {}),
      policy: { adminUsers: new Set(), defaultScopes: [], fixedDomainName: "typo.example.com" },
      domainUuidByName: async () => null,
    });
    await expect(identify("T1", "U1")).rejects.toThrow(DomainNotFoundError);
    await expect(identify("T1", "U1")).rejects.toThrow("typo.example.com");
  });

  test("user rows replace the defaults; SLACK_ADMIN_USERS always add admin", async () => {
    const identify = createIdentifier({
      directory: directory({}, { "T1:U1": { userId: "U1", scopes: ["write"], extension: "100" }, "T1:UADMIN": { userId: "UADMIN", scopes: [], extension: null } }),
      policy: { adminUsers: new Set(["UADMIN"]), defaultScopes: ["read", "calls"], fixedDomainName: null },
      domainUuidByName: async () => null,
    });
    const user = await identify("T1", "U1");
    expect([...user.scopes]).toEqual(["write"]);
    expect(user).toMatchObject({ extension: "100", scopeSource: "user", domainUuid: null, binding: null });
    expect([...(await identify("T1", "U2")).scopes]).toEqual(["read", "calls"]);
    expect([...(await identify("T1", "UADMIN")).scopes]).toEqual(["admin"]);
  });
});
