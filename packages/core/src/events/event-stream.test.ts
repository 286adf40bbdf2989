import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { createTestDatabase, type TestDatabase } from "@switchboard/db/testing";
import type { Caller } from "../caller.ts";
import { ActionError } from "../errors.ts";
import type { Scope } from "../scope.ts";
import { eventId } from "./event-id.ts";
import { appendEvents } from "./event-log.ts";
import { streamEvents, streamFilterFor } from "./event-stream.ts";
import type { NewEvent } from "./event-types.ts";

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase({ migrate: true });
}, 60_000);
afterAll(async () => {
  await db?.drop();
});

const DOMAIN = "d0d0d0d0-0000-4000-8000-000000000001";

function caller(domainUuid: string | null, scopes: Scope[]): Caller {
  return { face: "trpc", requestId: "r", keyId: null, domainUuid, scopes: new Set(scopes) };
}

function agent(n: number): NewEvent {
  return {
    id: eventId("agent.status", `stream-${n}-${crypto.randomUUID()}`),
    type: "agent.status",
    domain_uuid: DOMAIN,
    call_id: null,
    extension_uuid: null,
    occurred_at: new Date().toISOString(),
    reconciled: false,
    switch_host: null,
    data: { agent: `a${n}`, status: "Available", state: null },
  };
}

describe("who may follow which events", () => {
  test("a bound key is held to its domain; an unbound one may pick one or see all; read or admin is needed", () => {
    expect(streamFilterFor(caller(DOMAIN, ["read"]), {})).toEqual({ domain_uuid: DOMAIN });
    expect(streamFilterFor(caller(DOMAIN, ["read"]), { domain_uuid: DOMAIN, types: ["call.missed"] })).toEqual({
      domain_uuid: DOMAIN,
      types: ["call.missed"],
    });
    expect(() => streamFilterFor(caller(DOMAIN, ["read"]), { domain_uuid: crypto.randomUUID() })).toThrow(
      "this key may only follow the events of its own domain",
    );
    expect(streamFilterFor(caller(null, ["admin"]), {})).toEqual({});
    expect(streamFilterFor(caller(null, ["read"]), { domain_uuid: DOMAIN })).toEqual({ domain_uuid: DOMAIN });
    expect(() => streamFilterFor(caller(null, ["write", "calls"]), {})).toThrow("this key lacks the 'read' scope");
  });
});

describe("streamEvents", () => {
  test("a key that may no longer follow the events is cut off with UNAUTHORIZED", async () => {
    let allowed = true;
    const stop = new AbortController();
    const seen: number[] = [];
    const run = (async () => {
      for await (const event of streamEvents(db.sql, {}, null, stop.signal, {
        pollMs: 20,
        recheckMs: 50,
        stillAllowed: async () => allowed,
      })) {
        seen.push(event.seq);
      }
    })();
    await Bun.sleep(100);
    const [first] = await appendEvents(db.sql, [agent(1)]);
    for (let i = 0; i < 100 && seen.length === 0; i++) await Bun.sleep(20);
    allowed = false;
    const error = await run.then(
      () => null,
      (e: unknown) => e,
    );
    stop.abort();
    expect(seen).toEqual([first!.seq]);
    expect(error).toBeInstanceOf(ActionError);
    expect((error as ActionError).code).toBe("UNAUTHORIZED");
  });

  test("aborting ends the stream and stops listening", async () => {
    const stop = new AbortController();
    const run = (async () => {
      const got: number[] = [];
      for await (const event of streamEvents(db.sql, {}, null, stop.signal)) got.push(event.seq);
      return got;
    })();
    await Bun.sleep(100);
    stop.abort();
    expect(await run).toEqual([]);
  });
});
