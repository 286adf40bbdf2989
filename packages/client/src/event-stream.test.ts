import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { type Harness, startHarness } from "@switchboard/api/testing";
import {
  appendEvents,
  createKey,
  eventId,
  type NewEvent,
  SCOPES,
  type SwitchboardEvent,
  startEventIngest,
} from "@switchboard/core";
import { DEMO_DOMAIN_UUID } from "@switchboard/db";
import { fakePbx } from "@switchboard/esl/testing";
import { createSwitchboardClient, isSwitchboardError, type SwitchboardClient } from "./index.ts";

// The live event stream through the typed client, over SSE against a real server (docs/events.md).

const OTHER_DOMAIN = "0ddd0ddd-0000-4000-8000-000000000002";

let h: Harness;
let admin: SwitchboardClient;
let bound: SwitchboardClient;
let writeOnly: SwitchboardClient;

beforeAll(async () => {
  h = await startHarness();
  await h.db
    .sql`insert into v_domains (domain_uuid, domain_name, domain_enabled) values (${OTHER_DOMAIN}, 'other.example.net', true)`;
  const client = async (domainUuid: string | null, scopes: string[]) => {
    const key = await createKey(h.db.sql, { name: `stream ${scopes.join(",")}`, domainUuid, scopes: scopes as never });
    return createSwitchboardClient({ url: h.origin, keyId: key.keyId, secret: key.secret });
  };
  admin = await client(null, [...SCOPES]);
  bound = await client(DEMO_DOMAIN_UUID, ["read"]);
  writeOnly = await client(DEMO_DOMAIN_UUID, ["write"]);
}, 60_000);

afterAll(async () => {
  await h?.close();
}, 30_000);

function agentStatus(domain: string | null, n: number): NewEvent {
  const agent = `agent-${crypto.randomUUID()}`;
  return {
    id: eventId("agent.status", agent, n),
    type: "agent.status",
    domain_uuid: domain,
    call_id: null,
    extension_uuid: null,
    occurred_at: new Date().toISOString(),
    reconciled: false,
    switch_host: "test",
    data: { agent, status: `status ${n}`, state: null },
  };
}

interface Received {
  ids: string[];
  events: SwitchboardEvent[];
  errors: unknown[];
  started: Promise<void>;
  stop(): void;
}

function follow(
  client: SwitchboardClient,
  input: Parameters<SwitchboardClient["events"]["stream"]["subscribe"]>[0],
): Received {
  const received: Received = { ids: [], events: [], errors: [], started: Promise.resolve(), stop: () => {} };
  received.started = new Promise<void>((resolve) => {
    const subscription = client.events.stream.subscribe(input, {
      onStarted: () => resolve(),
      onData: ({ id, data }) => {
        received.ids.push(id);
        received.events.push(data as SwitchboardEvent);
      },
      onError: (error) => {
        received.errors.push(error);
        resolve();
      },
    });
    received.stop = () => subscription.unsubscribe();
  });
  return received;
}

async function until(what: string, condition: () => boolean, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await Bun.sleep(20);
  }
}

describe("events.stream", () => {
  test("resuming from id k gives k+1… with no gap and no duplicate, even while events are being written", async () => {
    const first = await appendEvents(
      h.db.sql,
      Array.from({ length: 10 }, (_, i) => agentStatus(DEMO_DOMAIN_UUID, i)),
    );
    const k = first[4]!.seq;
    // A writer keeps appending while the resumed stream back-fills.
    const writer = (async () => {
      const written: number[] = [];
      for (let i = 0; i < 20; i++) {
        const [event] = await appendEvents(h.db.sql, [agentStatus(DEMO_DOMAIN_UUID, 100 + i)]);
        written.push(event!.seq);
        await Bun.sleep(5);
      }
      return written;
    })();
    const resumed = follow(admin, { lastEventId: String(k), types: ["agent.status"] });
    try {
      const written = await writer;
      const expected = [...first.slice(5).map((e) => e.seq), ...written].map(String);
      await until("every event after k", () => resumed.ids.length >= expected.length);
      await Bun.sleep(100);
      expect(resumed.errors).toEqual([]);
      expect(resumed.ids).toEqual(expected);
      expect(resumed.events.map((e) => String(e.seq))).toEqual(expected);
      expect(resumed.events[0]).toMatchObject({ type: "agent.status", domain_uuid: DEMO_DOMAIN_UUID });
    } finally {
      resumed.stop();
    }
  }, 40_000);

  test("a client that stops and comes back with its last id misses nothing and gets nothing twice", async () => {
    const live = follow(admin, { types: ["agent.status"] });
    await live.started;
    const before = await appendEvents(
      h.db.sql,
      [1, 2, 3].map((n) => agentStatus(DEMO_DOMAIN_UUID, n)),
    );
    await until("three live events", () => live.ids.length === 3);
    live.stop();
    const last = live.ids.at(-1)!;
    const meanwhile = await appendEvents(
      h.db.sql,
      [4, 5].map((n) => agentStatus(null, n)),
    );
    const back = follow(admin, { types: ["agent.status"], lastEventId: last });
    try {
      const after = await appendEvents(h.db.sql, [agentStatus(DEMO_DOMAIN_UUID, 6)]);
      await until("the rest", () => back.ids.length >= 3);
      await Bun.sleep(100);
      expect(live.ids).toEqual(before.map((e) => String(e.seq)));
      expect(back.ids).toEqual([...meanwhile, ...after].map((e) => String(e.seq)));
    } finally {
      back.stop();
    }
  }, 30_000);

  test("a domain-bound key sees only its domain; an unbound admin key sees every domain and domain-less events", async () => {
    const mine = follow(bound, {});
    const all = follow(admin, {});
    await Promise.all([mine.started, all.started]);
    try {
      const written = await appendEvents(h.db.sql, [
        agentStatus(OTHER_DOMAIN, 1),
        agentStatus(null, 2),
        agentStatus(DEMO_DOMAIN_UUID, 3),
      ]);
      await until("the admin's three", () => all.ids.length >= 3);
      await until("the bound key's one", () => mine.ids.length >= 1);
      await Bun.sleep(200);
      expect(all.ids).toEqual(written.map((e) => String(e.seq)));
      expect(mine.ids).toEqual([String(written[2]!.seq)]);
    } finally {
      mine.stop();
      all.stop();
    }
  }, 30_000);

  test("refusals: another domain, a key without read, an unknown type", async () => {
    const elsewhere = follow(bound, { domain_uuid: OTHER_DOMAIN });
    const noRead = follow(writeOnly, {});
    const badType = follow(admin, { types: ["call.exploded" as never] });
    await Promise.all([elsewhere.started, noRead.started, badType.started]);
    try {
      await until("three refusals", () => [elsewhere, noRead, badType].every((r) => r.errors.length > 0));
      const [a, b, c] = [elsewhere, noRead, badType].map((r) => r.errors[0]);
      expect(isSwitchboardError(a) && a.data?.code).toBe("FORBIDDEN");
      expect((a as Error).message).toBe("this key may only follow the events of its own domain");
      expect(isSwitchboardError(b) && b.data?.code).toBe("FORBIDDEN");
      expect((b as Error).message).toContain("'read' scope");
      expect(isSwitchboardError(c) && c.data?.code).toBe("BAD_REQUEST");
      expect((c as Error).message).toContain("an event type is one of call.started");
    } finally {
      for (const r of [elsewhere, noRead, badType]) r.stop();
    }
  }, 30_000);

  test("end to end: a call on the switch reaches a subscriber as started, ringing, answered, ended", async () => {
    const ingest = startEventIngest({
      sql: h.db.sql,
      switches: [{ host: h.fake.host, port: h.fake.port, password: h.fake.password, name: "stream-e2e" }],
      backoff: { initialMs: 50, maxMs: 200 },
    });
    const stream = follow(bound, { types: ["call.started", "call.ringing", "call.answered", "call.ended"] });
    try {
      await stream.started;
      await until("the event connection", () => ingest.status()[0]?.connected === true);
      await h.fake.waitForCommand("CUSTOM sofia::register", 5000);
      const call = fakePbx(h.fake)
        .call({ domain: { uuid: DEMO_DOMAIN_UUID, name: "fusionpbx.example.net" }, from: "100", to: "101" })
        .start();
      call.ring({ user: "101" });
      call.answer().hangup();
      await until("call.ended", () => stream.events.some((e) => e.type === "call.ended"));
      const mine = stream.events.filter((e) => e.call_id === call.uuid);
      expect(mine.map((e) => [e.type, e.call_seq])).toEqual([
        ["call.started", 1],
        ["call.ringing", 2],
        ["call.answered", 3],
        ["call.ended", 4],
      ]);
    } finally {
      stream.stop();
      await ingest.stop();
    }
  }, 40_000);
});
