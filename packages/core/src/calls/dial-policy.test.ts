import { afterAll, beforeAll, beforeEach, describe, expect, test } from "bun:test";
import { originate } from "../actions/originate.ts";
import { originatePlaybackFile } from "../actions/originate-playback-file.ts";
import type { Caller } from "../caller.ts";
import { ActionError } from "../errors.ts";
import { runAction } from "../execute.ts";
import { runLegacyAction } from "../legacy/run-legacy.ts";
import type { Scope } from "../scope.ts";
import { classifyDestination } from "./dial-policy.ts";
import { type CallsFixture, openCallsFixture } from "./test-support.ts";

describe("classifyDestination", () => {
  const none = { countryCode: null };
  const us = { countryCode: "1" };
  test("feature codes and the domain's own phones are internal; short numbers and national ones are national", () => {
    expect(classifyDestination("*9664", none, false)).toBe("internal");
    expect(classifyDestination("12345678", none, true)).toBe("internal");
    expect(classifyDestination("911", none, false)).toBe("national");
    expect(classifyDestination("2065550123", none, false)).toBe("national");
  });
  test("+, 00 and 011 numbers are international unless they carry the domain's country code", () => {
    for (const n of ["+442079460000", "0044207946000", "00882161234567", "011442079460000"])
      expect(classifyDestination(n, none, false)).toBe("international");
    expect(classifyDestination("+12065550123", none, false)).toBe("international");
    expect(classifyDestination("+12065550123", us, false)).toBe("national");
    expect(classifyDestination("+442079460000", us, false)).toBe("international");
  });
  test("premium prefixes are premium, written nationally or with the country code", () => {
    expect(classifyDestination("19005551234", none, false)).toBe("premium");
    expect(classifyDestination("9005551234", none, false)).toBe("premium");
    expect(classifyDestination("+19005551234", us, false)).toBe("premium");
    expect(classifyDestination("09011234567", none, false)).toBe("premium");
    expect(classifyDestination("+449011234567", { countryCode: "44" }, false)).toBe("premium");
  });
});

describe("the call policy in originate, on every face", () => {
  let fx: CallsFixture;
  let domain = "";
  const placed = () => fx.fake.apiCommands().filter((c) => c.startsWith("originate"));
  const caller = (scopes: Scope[], extra: Partial<Caller> = {}) =>
    fx.ctx({
      face: "slack",
      keyId: null,
      domainUuid: domain,
      scopes: new Set(scopes),
      slackTeamId: "T1",
      slackUserId: `U${crypto.randomUUID().slice(0, 8).toUpperCase()}`,
      ...extra,
    });
  const call = (ringFirst: string, connectTo: string, callerId = "2065550100") => ({
    domain_uuid: domain,
    caller_id_number: callerId,
    ring_first: ringFirst,
    connect_to: connectTo,
  });
  const refusal = async (promise: Promise<unknown>) => {
    const error = await promise.then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ActionError);
    return error as ActionError;
  };

  beforeAll(async () => {
    fx = await openCallsFixture("fusionpbx-5.6-master");
    domain = await fx.addDomain("policy.example.com");
    await fx.db
      .sql`insert into v_extensions (extension_uuid, domain_uuid, extension, effective_caller_id_name, effective_caller_id_number, enabled) values
      (${crypto.randomUUID()}, ${domain}, '101', 'Alice Desk', '2065550101', true),
      (${crypto.randomUUID()}, ${domain}, '103', 'Bob Desk', null, true),
      (${crypto.randomUUID()}, ${domain}, '104', 'Gone', null, false)`;
  }, 60_000);
  afterAll(async () => fx?.close(), 30_000);
  beforeEach(() => {
    fx.fake.clearReceived();
    fx.fake.setOriginateOutcome({ kind: "answer" });
  });

  test("an outside number or a stranger's extension cannot ring first; nothing is dialled", async () => {
    const ctx = await caller(["calls"], { extensions: ["101"] });
    expect((await refusal(runAction(originate, ctx, call("0044207946000", "101")))).message).toContain(
      "must be an extension of this domain",
    );
    expect((await refusal(runAction(originate, ctx, call("103", "101")))).message).toContain("'calls-any' permission");
    const stranger = await caller(["calls"]);
    expect((await refusal(runAction(originate, stranger, call("101", "102")))).message).toContain(
      "none is linked to you",
    );
    expect(
      (await refusal(runAction(originate, await caller(["calls", "calls-any"]), call("104", "101")))).message,
    ).toContain("disabled");
    expect(placed()).toHaveLength(0);
  });

  test("international and premium destinations are refused by default; national ones ring with the extension's caller id", async () => {
    const ctx = await caller(["calls"], { extensions: ["101"] });
    const international = await refusal(runAction(originate, ctx, call("101", "00882161234567")));
    expect(international.code).toBe("FORBIDDEN");
    expect(international.message).toContain("international numbers are not allowed");
    expect((await refusal(runAction(originate, ctx, call("101", "19005550000")))).message).toContain("premium-rate");
    expect(placed()).toHaveLength(0);

    await runAction(originate, ctx, call("101", "2065550123", "5555555555"));
    expect(placed()).toHaveLength(1);
    expect(placed()[0]).toContain("effective_caller_id_number=2065550101");
    expect(placed()[0]).not.toContain("5555555555");
    // calls-any: a colleague's desk rings first, showing that desk's own number (its extension when it has none).
    await runAction(originate, await caller(["calls", "calls-any"]), call("103", "101"));
    expect(placed()[1]).toContain("effective_caller_id_number=103");
  });

  test("the operator's policy allows international calls and sets the country code", async () => {
    await fx.db
      .sql`insert into switchboard_dial_policies (domain_uuid, allow_international, country_code) values (${domain}, true, '1')`;
    try {
      const ctx = await caller(["calls"], { extensions: ["101"] });
      await runAction(originate, ctx, call("101", "+442079460000"));
      expect(placed()).toHaveLength(1);
      expect((await refusal(runAction(originate, ctx, call("101", "+19005550000")))).message).toContain("premium-rate");
    } finally {
      await fx.db.sql`delete from switchboard_dial_policies where domain_uuid = ${domain}`;
    }
  });

  test("30 calls at once by one user: 5 are placed, the rest are told to wait; the limit is shared through PostgreSQL", async () => {
    await fx.db.sql`delete from switchboard_call_counts`;
    const user = { extensions: ["101"], slackUserId: "U0BURST" };
    const attempts = await Promise.all(
      Array.from({ length: 30 }, async () =>
        runAction(originate, await caller(["calls"], user), call("101", "2065550123")).then(
          () => null,
          (e: unknown) => e,
        ),
      ),
    );
    const refused = attempts.filter((e) => e instanceof ActionError && e.code === "TOO_MANY_REQUESTS") as ActionError[];
    expect(placed()).toHaveLength(5);
    expect(refused).toHaveLength(25);
    expect(refused[0]!.message).toMatch(/^too many calls: at most 5 a minute for you; try again in \d+ seconds$/);
    const [count] = await fx.db.sql`select calls from switchboard_call_counts where counter like ${"user:%U0BURST"}`;
    expect(count!.calls).toBe(30);
  });

  test("a retry with the same idempotency key is answered with its call even once the limit is spent, and not counted again", async () => {
    await fx.db.sql`delete from switchboard_call_counts`;
    // The limit counts per clock minute: start early in one, so all six calls fall into it.
    const [clock] = await fx.db.sql<{ s: number }[]>`select extract(second from now())::int as s`;
    if (clock!.s > 40) await Bun.sleep((61 - clock!.s) * 1000);
    const ctx = await caller(["calls"], { extensions: ["101"], slackUserId: "U0RETRY" });
    const keyed = (key: string) => ({ ...call("101", "2065550123"), idempotency_key: key });
    const first = (await runAction(originate, ctx, keyed("retry-0"))) as { call_uuid: string };
    for (let i = 1; i < 5; i++) await runAction(originate, ctx, keyed(`retry-${i}`));
    expect((await refusal(runAction(originate, ctx, keyed("retry-5")))).code).toBe("TOO_MANY_REQUESTS");
    const again = (await runAction(originate, ctx, keyed("retry-0"))) as { call_uuid: string; replayed: boolean };
    expect([again.call_uuid, again.replayed]).toEqual([first.call_uuid, true]);
    expect(placed()).toHaveLength(5);
    const [count] = await fx.db.sql`select calls from switchboard_call_counts where counter like ${"user:%U0RETRY"}`;
    expect(count!.calls).toBe(6);
    // The refused call left no key behind: once the minute has passed, the same key places it.
    expect(await fx.db.sql`select 1 from switchboard_idempotency where idem_key = 'retry-5'`).toHaveLength(0);
  }, 40_000);

  test("playback calls obey the same policy: the caller id must be the caller's extension, the number is policed", async () => {
    await fx.db.sql`delete from switchboard_call_counts`;
    const ctx = await caller(["calls"], { extensions: ["101"] });
    const input = { domain_uuid: domain, caller_id_number: "2065559999", number: "2065550123" };
    expect((await refusal(runAction(originatePlaybackFile, ctx, input))).message).toContain("must be an extension");
    expect(
      (
        await refusal(
          runAction(originatePlaybackFile, ctx, { ...input, caller_id_number: "101", number: "+442079460000" }),
        )
      ).message,
    ).toContain("international");
    await runAction(originatePlaybackFile, ctx, { ...input, caller_id_number: "101" });
    expect(placed()[0]).toContain("effective_caller_id_number=2065550101");
  });

  test("keys: a restricted key is refused on the legacy route the same way; a key with every scope keeps the original's behaviour", async () => {
    const body = {
      action: "originate",
      domain_uuid: domain,
      caller_id_number: "2065550100",
      destination_a: "00882161234567",
      destination_b: "0044207946000",
    };
    const restricted = await fx.ctx({
      face: "legacy",
      keyId: crypto.randomUUID(),
      domainUuid: domain,
      scopes: new Set<Scope>(["calls", "calls-any"]),
    });
    const reply = await runLegacyAction(originate, restricted, body);
    expect(reply.status).toBe(403);
    expect(placed()).toHaveLength(0);
    // A key made in FusionPBX's own page (no Switchboard policy) holds every scope, calls-unrestricted included.
    const original = await fx.ctx({ face: "legacy", keyId: crypto.randomUUID() });
    const answered = await runLegacyAction(originate, original, body);
    expect(answered.status).toBe(200);
    expect(placed()).toHaveLength(1);
    expect(placed()[0]).toContain("effective_caller_id_number=2065550100");
  });
});
