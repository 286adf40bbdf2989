import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { createTestDatabase, type TestDatabase } from "@switchboard/db/testing";
import { eventId } from "./event-id.ts";
import { appendEvents, lastEventSeq, listenForEvents, readEventsAfter } from "./event-log.ts";
import { type NewEvent, switchboardEvent } from "./event-types.ts";

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase({ migrate: true });
}, 60_000);
afterAll(async () => {
  await db?.drop();
});

const DOMAIN_A = "a1a1a1a1-0000-4000-8000-000000000001";
const DOMAIN_B = "b2b2b2b2-0000-4000-8000-000000000002";
const EXT = "e0e0e0e0-0000-4000-8000-000000000003";

function started(callId: string, domain: string | null): NewEvent {
  return {
    id: eventId("call.started", callId),
    type: "call.started",
    domain_uuid: domain,
    call_id: callId,
    extension_uuid: EXT,
    occurred_at: "2026-03-01T10:00:00.123Z",
    reconciled: false,
    switch_host: "pbx1",
    data: {
      direction: "local",
      caller: { number: "1001", name: "Alice" },
      destination: "1002",
      extension_uuid: EXT,
    },
  };
}

function ended(callId: string, domain: string | null): NewEvent {
  return {
    id: eventId("call.ended", callId),
    type: "call.ended",
    domain_uuid: domain,
    call_id: callId,
    extension_uuid: null,
    occurred_at: "2026-03-01T10:01:00.000Z",
    reconciled: true,
    switch_host: "pbx1",
    data: {
      direction: "local",
      caller: { number: "1001", name: "Alice" },
      destination: "1002",
      extension_uuid: null,
      status: "answered",
      cause: "NORMAL_CLEARING",
      duration: 42,
      billsec: 42,
      started_at: "2026-03-01T10:00:00.000Z",
      answered_at: "2026-03-01T10:00:18.000Z",
      ended_at: "2026-03-01T10:01:00.000Z",
      missed: false,
      ring_group_uuid: null,
    },
  };
}

describe("the event log", () => {
  test("appends once per id, numbers each call's events, and reads them back as valid events", async () => {
    const call = crypto.randomUUID();
    const before = await lastEventSeq(db.sql);
    const first = await appendEvents(db.sql, [started(call, DOMAIN_A), ended(call, DOMAIN_A)]);
    expect(first.map((e) => [e.type, e.call_seq])).toEqual([
      ["call.started", 1],
      ["call.ended", 2],
    ]);
    expect(first[1]!.seq).toBe(first[0]!.seq + 1);
    expect(first[0]!.seq).toBeGreaterThan(before);
    // The same events again (recovery after a live sighting): nothing new.
    expect(await appendEvents(db.sql, [ended(call, DOMAIN_A), started(call, DOMAIN_A)])).toEqual([]);
    const read = await readEventsAfter(db.sql, before, { call_id: call });
    expect(read).toEqual(first);
    for (const event of read) expect(switchboardEvent.parse(event)).toEqual(event);
    expect(read[0]).toMatchObject({
      id: eventId("call.started", call),
      domain_uuid: DOMAIN_A,
      call_id: call,
      occurred_at: "2026-03-01T10:00:00.123Z",
      reconciled: false,
    });
    expect(read[1]!.reconciled).toBe(true);
  });

  test("filters: domain, types, extension; unfiltered reads include domain-less events", async () => {
    const before = await lastEventSeq(db.sql);
    const [a, b, none] = [crypto.randomUUID(), crypto.randomUUID(), crypto.randomUUID()];
    await appendEvents(db.sql, [started(a, DOMAIN_A), started(b, DOMAIN_B), started(none, null), ended(a, DOMAIN_A)]);
    const all = await readEventsAfter(db.sql, before);
    expect(all.map((e) => e.call_id)).toEqual([a, b, none, a]);
    const onlyA = await readEventsAfter(db.sql, before, { domain_uuid: DOMAIN_A });
    expect(onlyA.map((e) => [e.call_id, e.type])).toEqual([
      [a, "call.started"],
      [a, "call.ended"],
    ]);
    expect((await readEventsAfter(db.sql, before, { types: ["call.ended"] })).map((e) => e.call_id)).toEqual([a]);
    expect((await readEventsAfter(db.sql, before, { extension_uuid: EXT })).map((e) => e.type)).toEqual([
      "call.started",
      "call.started",
      "call.started",
    ]);
    expect(await readEventsAfter(db.sql, before, {}, 2)).toEqual(all.slice(0, 2));
    expect(await readEventsAfter(db.sql, all[1]!.seq, {}, 2)).toEqual(all.slice(2, 4));
  });

  test("listeners in another connection hear the highest new seq of each append", async () => {
    const heard: number[] = [];
    let listening = 0;
    const listener = await listenForEvents(
      db.sql,
      (seq) => heard.push(seq),
      () => listening++,
    );
    try {
      expect(listening).toBe(1);
      const written = await appendEvents(db.sql, [
        started(crypto.randomUUID(), DOMAIN_A),
        started(crypto.randomUUID(), null),
      ]);
      const third = crypto.randomUUID();
      await appendEvents(db.sql, [started(third, DOMAIN_B)]);
      // Nothing written, nothing said.
      await appendEvents(db.sql, [started(third, DOMAIN_B)]);
      await appendEvents(db.sql, []);
      for (let i = 0; i < 100 && heard.length < 2; i++) await Bun.sleep(20);
      await Bun.sleep(100);
      expect(heard).toEqual([written[1]!.seq, written[1]!.seq + 1]);
    } finally {
      await listener.unlisten();
    }
  });

  test("concurrent appenders never commit a lower seq after a higher one", async () => {
    const before = await lastEventSeq(db.sql);
    const seen: number[] = [];
    let reading = true;
    const reader = (async () => {
      let cursor = before;
      while (reading) {
        for (const event of await readEventsAfter(db.sql, cursor, {}, 1000)) {
          seen.push(event.seq);
          cursor = event.seq;
        }
        await Bun.sleep(1);
      }
      for (const event of await readEventsAfter(db.sql, cursor, {}, 1000)) seen.push(event.seq);
    })();
    const writers = Array.from({ length: 8 }, () =>
      (async () => {
        for (let i = 0; i < 10; i++) await appendEvents(db.sql, [started(crypto.randomUUID(), DOMAIN_A)]);
      })(),
    );
    await Promise.all(writers);
    reading = false;
    await reader;
    expect(seen).toHaveLength(80);
    const total = (await readEventsAfter(db.sql, before, {}, 1000)).map((e) => e.seq);
    expect(seen).toEqual(total);
  }, 30_000);
});
