import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { cliCaller } from "./cli/cli-caller.ts";
import { keysCommand } from "./cli/keys-command.ts";
import { firstRunState } from "./first-run.ts";
import { startupBanner } from "./startup.ts";
import { type Harness, startHarness } from "./testing/harness.ts";

/** A server on a fresh FusionPBX database: no Switchboard demo, no key, no domain. */
let h: Harness;
beforeAll(async () => {
  h = await startHarness({ dump: "fusionpbx-5.6-master" });
}, 60_000);
afterAll(async () => {
  await h?.close();
}, 30_000);

const port = () => Number(new URL(h.origin).port);

function banner(firstRun: Awaited<ReturnType<typeof firstRunState>>, launcher: "binary" | "npm") {
  const services = {
    settings: { host: "127.0.0.1" },
    runtime: { database: { embedded: false, description: "postgres://fusionpbx@127.0.0.1:5432/fusionpbx" } },
    firstRun,
  } as unknown as Parameters<typeof startupBanner>[0];
  return startupBanner(services, port(), launcher);
}

describe("the start-up banner on a real database", () => {
  test("with no key and no domain, it prints the exact commands that make the first of each, and they work", async () => {
    const state = await firstRunState(h.db.sql);
    expect(state).toEqual({ keys: 0, domains: 0 });
    const text = banner(state, "npm");
    const keyLine = "    npm run keys -- create --name admin --scopes admin,read,write,calls";
    const domainLine = `    curl -s -H "Authorization: Bearer <key id>:<secret>" -H 'Content-Type: application/json' -d '{"domain_name": "pbx.example.com"}' ${h.origin}/trpc/domains.create`;
    expect(text.split("\n").slice(2)).toEqual([
      "  no API key yet. Make the first (admin, for every domain; the secret is shown once):",
      keyLine,
      "  no domain yet. Create the first with the domain-create action and an admin key bound to no domain:",
      domainLine,
      "    then run FusionPBX's upgrade (App Defaults) to give it FusionPBX's default dialplans.",
    ]);
    expect(banner(state, "binary")).toContain(
      "\n    switchboard keys create --name admin --scopes admin,read,write,calls\n",
    );

    // Follow the banner as a person would: the keys command's arguments as printed, then the curl line.
    const out: string[] = [];
    const args = keyLine.trim().split(" ").slice(4);
    expect(await keysCommand(args, { calls: h.runtime.caller(cliCaller()), out: (l) => out.push(l) })).toBe(0);
    const keyId = out.find((l) => l.startsWith("key id:"))!.split(/\s+/)[2]!;
    const secret = out.find((l) => l.startsWith("secret:"))!.split(/\s+/)[1]!;
    expect(banner(await firstRunState(h.db.sql), "npm")).not.toContain("no API key yet");

    const proc = Bun.spawn(["bash", "-c", domainLine.trim().replace("<key id>:<secret>", `${keyId}:${secret}`)], {
      stdout: "pipe",
    });
    const answer = JSON.parse(await new Response(proc.stdout).text()) as {
      result: { data: { row: { domain_name: string } } };
    };
    expect(answer.result.data.row.domain_name).toBe("pbx.example.com");
    expect(await firstRunState(h.db.sql)).toEqual({ keys: 1, domains: 1 });
    expect(banner({ keys: 1, domains: 1 }, "npm").split("\n")).toHaveLength(2);
  }, 60_000);

  test("the demo and a database that cannot say print no first steps", () => {
    expect(banner(null, "npm").split("\n")).toHaveLength(2);
  });
});
