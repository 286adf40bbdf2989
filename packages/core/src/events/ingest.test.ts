import { afterAll, afterEach, beforeAll, describe, expect, test } from "bun:test";
import { createTestDatabase, type TestDatabase } from "@switchboard/db/testing";
import { type FakePbx, type FakeSwitch, fakePbx, startFakeSwitch } from "@switchboard/esl/testing";
import { eventId } from "./event-id.ts";
import { readEventsAfter } from "./event-log.ts";
import { type EventType, type SwitchboardEvent, switchboardEvent } from "./event-types.ts";
import { type EventIngest, startEventIngest } from "./ingest.ts";

const DOMAIN = { uuid: "d0d0d0d0-1111-4000-8000-000000000001", name: "office.example.com" };
const OTHER = { uuid: "d0d0d0d0-2222-4000-8000-000000000002", name: "other.example.com" };
const EXT_1001 = "e1e1e1e1-0000-4000-8000-000000001001";
const EXT_1002 = "e1e1e1e1-0000-4000-8000-000000001002";
const VOICEMAIL_1002 = "f1f1f1f1-0000-4000-8000-000000001002";

let db: TestDatabase;
let fake: FakeSwitch;
let pbx: FakePbx;
let ingest: EventIngest | null = null;

async function until<T>(
  what: string,
  probe: () => Promise<T | null | undefined | false>,
  timeoutMs = 15_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await Bun.sleep(25);
  }
}

async function eventsOf(callId: string): Promise<SwitchboardEvent[]> {
  return await readEventsAfter(db.sql, 0, { call_id: callId }, 1000);
}

async function typesOf(callId: string): Promise<EventType[]> {
  return (await eventsOf(callId)).map((e) => e.type);
}

async function startIngest(options: { settleMs?: number } = {}): Promise<EventIngest> {
  const started = startEventIngest({
    sql: db.sql,
    switches: [{ host: fake.host, port: fake.port, password: fake.password, name: "pbx-test" }],
    recoverySettleMs: options.settleMs ?? 60_000,
    standbyRetryMs: 200,
    backoff: { initialMs: 50, maxMs: 200 },
  });
  try {
    await until("the event connection", async () => started.status()[0]?.connected);
    await fake.waitForCommand("CUSTOM sofia::register sofia::unregister sofia::expire callcenter::info", 5000);
    await started.settled();
  } catch (error) {
    await started.stop();
    throw error;
  }
  return started;
}

beforeAll(async () => {
  db = await createTestDatabase({ dump: "fusionpbx-5.6-master", migrate: true });
  await db.sql`insert into v_domains (domain_uuid, domain_name, domain_enabled) values
    (${DOMAIN.uuid}, ${DOMAIN.name}, true), (${OTHER.uuid}, ${OTHER.name}, true)`;
  await db.sql`insert into v_extensions (extension_uuid, domain_uuid, extension, enabled) values
    (${EXT_1001}, ${DOMAIN.uuid}, '1001', 'true'), (${EXT_1002}, ${DOMAIN.uuid}, '1002', 'true')`;
  await db.sql`insert into v_destinations (destination_uuid, domain_uuid, destination_number, destination_enabled)
    values (${crypto.randomUUID()}, ${DOMAIN.uuid}, '15550100', true)`;
  await db.sql`insert into v_voicemails (voicemail_uuid, domain_uuid, voicemail_id, voicemail_enabled)
    values (${VOICEMAIL_1002}, ${DOMAIN.uuid}, '1002', true)`;
  fake = await startFakeSwitch();
  pbx = fakePbx(fake);
}, 60_000);

afterEach(async () => {
  await ingest?.stop();
  ingest = null;
});

afterAll(async () => {
  await fake?.stop();
  await db?.drop();
}, 30_000);

function internalCall(to = "1002") {
  return pbx.call({ domain: DOMAIN, from: "1001", fromName: "Alice", to, fromExtensionUuid: EXT_1001 });
}

async function insertCdr(row: Record<string, unknown>): Promise<void> {
  await db.sql`insert into v_xml_cdr ${db.sql(row as Record<string, string>)}`;
}

describe("live events", () => {
  test("an answered call: started, ringing, answered, ended in order, numbered 1–4 per call", async () => {
    ingest = await startIngest();
    const call = internalCall().start();
    call.ring({ user: "1002" });
    call.answer().hangup("NORMAL_CLEARING", 42);
    const events = await until("call.ended", async () => {
      const all = await eventsOf(call.uuid);
      return all.some((e) => e.type === "call.ended") ? all : null;
    });
    expect(events.map((e) => [e.type, e.call_seq])).toEqual([
      ["call.started", 1],
      ["call.ringing", 2],
      ["call.answered", 3],
      ["call.ended", 4],
    ]);
    for (const event of events) {
      expect(switchboardEvent.parse(event)).toEqual(event);
      expect(event).toMatchObject({ domain_uuid: DOMAIN.uuid, call_id: call.uuid, reconciled: false });
    }
    expect(events[0]!.id).toBe(eventId("call.started", call.uuid));
    expect(events[1]!.data).toMatchObject({ ringing: "1002", extension_uuid: EXT_1002, leg_id: call.legs[0] });
    expect(events[3]!.data).toMatchObject({
      status: "answered",
      cause: "NORMAL_CLEARING",
      billsec: 42,
      duration: 47,
      missed: false,
      caller: { number: "1001", name: "Alice" },
      destination: "1002",
      extension_uuid: EXT_1001,
    });
    expect(events.map((e) => e.seq)).toEqual([...events.map((e) => e.seq)].sort((a, b) => a - b));
  }, 30_000);

  test("a cancelled carrier call is missed; a busy internal call is not; domains from the DID", async () => {
    ingest = await startIngest();
    const cancelled = pbx.call({ domain: DOMAIN, from: "+15557654321", to: "15550100", direction: "inbound" }).start();
    cancelled.ring({ user: "1002" });
    cancelled.hangup("ORIGINATOR_CANCEL", 8);
    const busy = internalCall().start();
    busy.ring({ user: "1002" });
    busy.hangup("USER_BUSY", 1);
    const missed = await until("call.missed", async () => {
      const all = await eventsOf(cancelled.uuid);
      return all.some((e) => e.type === "call.missed") ? all : null;
    });
    expect(missed.map((e) => e.type)).toEqual(["call.started", "call.ringing", "call.ended", "call.missed"]);
    // CHANNEL_CREATE of a carrier call carries no domain: the DID (v_destinations) gives it.
    expect(missed.every((e) => e.domain_uuid === DOMAIN.uuid)).toBe(true);
    expect(missed[2]!.data).toMatchObject({
      status: "missed",
      missed: true,
      cause: "ORIGINATOR_CANCEL",
      direction: "inbound",
    });
    await until("busy call.ended", async () => (await typesOf(busy.uuid)).includes("call.ended"));
    const busyEvents = await eventsOf(busy.uuid);
    expect(busyEvents.map((e) => e.type)).toEqual(["call.started", "call.ringing", "call.ended"]);
    expect(busyEvents[2]!.data).toMatchObject({ status: "busy", missed: false });
  }, 30_000);

  test("voicemail: the call ends as voicemail and the message row becomes voicemail.left", async () => {
    ingest = await startIngest();
    const call = internalCall().start();
    call.ring({ user: "1002" });
    call.toVoicemail(20, 12);
    // FusionPBX's voicemail names the message after the channel, writes the row, then fires MESSAGE_WAITING.
    await db.sql`insert into v_voicemail_messages (domain_uuid, voicemail_message_uuid, voicemail_uuid, created_epoch,
      caller_id_name, caller_id_number, message_length, message_status)
      values (${DOMAIN.uuid}, ${call.uuid}, ${VOICEMAIL_1002}, ${Math.floor(Date.now() / 1000)}, 'Alice', '1001', 12, '')`;
    pbx.messageWaiting("1002", DOMAIN.name, 1);
    call.hangup("NORMAL_CLEARING", 15);
    const events = await until("voicemail.left and call.missed", async () => {
      const all = await eventsOf(call.uuid);
      return all.some((e) => e.type === "voicemail.left") && all.some((e) => e.type === "call.missed") ? all : null;
    });
    const left = events.find((e) => e.type === "voicemail.left")!;
    expect(left).toMatchObject({ id: eventId("voicemail.left", call.uuid), domain_uuid: DOMAIN.uuid });
    expect(left.data).toMatchObject({
      voicemail_message_uuid: call.uuid,
      mailbox: "1002",
      caller: { number: "1001", name: "Alice" },
      length_seconds: 12,
      extension_uuid: EXT_1002,
    });
    const ended = events.find((e) => e.type === "call.ended")!;
    expect(ended.data).toMatchObject({ status: "voicemail", missed: true });
  }, 30_000);

  test("registrations: a register is an event, a refresh is not, an expiry says expired", async () => {
    ingest = await startIngest();
    const since = Number((await db.sql`select coalesce(max(seq), 0) as s from switchboard_events`)[0]!.s);
    const phone = { user: "1001", realm: DOMAIN.name, callId: `reg-${crypto.randomUUID()}` };
    pbx.register(phone);
    await until(
      "registered",
      async () => (await readEventsAfter(db.sql, since, { types: ["extension.registered"] })).length,
    );
    pbx.refresh(phone);
    pbx.refresh(phone);
    pbx.expire(phone);
    const events = await until("unregistered", async () => {
      const all = await readEventsAfter(db.sql, since, { types: ["extension.registered", "extension.unregistered"] });
      return all.length >= 2 ? all : null;
    });
    await Bun.sleep(200);
    const all = await readEventsAfter(db.sql, since, { types: ["extension.registered", "extension.unregistered"] });
    expect(all.map((e) => e.type)).toEqual(["extension.registered", "extension.unregistered"]);
    expect(events[0]).toMatchObject({ domain_uuid: DOMAIN.uuid, call_id: null });
    expect(events[0]!.data).toMatchObject({ user: "1001", realm: DOMAIN.name, extension_uuid: EXT_1001 });
    expect(events[1]!.data).toMatchObject({ reason: "expired", user: "1001" });
    expect(events[1]!.id).toBe(eventId("extension.unregistered", events[0]!.id));
    const [left] =
      await db.sql`select count(*)::int as n from switchboard_registrations where sip_call_id = ${phone.callId}`;
    expect(left!.n).toBe(0);
  }, 30_000);

  test("queues: joined, answered, abandoned; the domain from the queue's name", async () => {
    ingest = await startIngest();
    const queue = `5000@${DOMAIN.name}`;
    const answered = pbx.queueJoin(queue, { number: "+15550111", name: "Bob" });
    pbx.queueAnswer(queue, answered, "agent-1", { number: "+15550111", name: "Bob" }, 12);
    const gone = pbx.queueJoin(queue, { number: "+15550122" });
    pbx.queueAbandon(queue, gone, { number: "+15550122" }, 40);
    const abandoned = await until("queue.abandoned", async () => {
      const all = await eventsOf(gone);
      return all.some((e) => e.type === "queue.abandoned") ? all : null;
    });
    expect(abandoned.map((e) => e.type)).toEqual(["queue.joined", "queue.abandoned"]);
    expect(abandoned[1]!.data).toMatchObject({ queue, queue_extension: "5000", reason: "BREAK_OUT", wait_seconds: 40 });
    const took = await eventsOf(answered);
    expect(took.map((e) => e.type)).toEqual(["queue.joined", "queue.answered"]);
    expect(took[1]).toMatchObject({ domain_uuid: DOMAIN.uuid });
    expect(took[1]!.data).toMatchObject({
      agent: "agent-1",
      wait_seconds: 12,
      caller: { number: "+15550111", name: "Bob" },
    });
  }, 30_000);

  test("an event no domain can be found for is kept with domain_uuid null", async () => {
    ingest = await startIngest();
    const call = pbx.call({ domain: { uuid: "", name: "" }, from: "+15550999", to: "19990000", direction: "inbound" });
    call.start();
    const [started] = await until("call.started", async () => {
      const all = await eventsOf(call.uuid);
      return all.length > 0 ? all : null;
    });
    expect(started).toMatchObject({ type: "call.started", domain_uuid: null });
  }, 30_000);
});

describe("the database failing", () => {
  test("events that arrive while the log cannot be written are written when it can, once", async () => {
    ingest = await startIngest();
    const since = Number((await db.sql`select coalesce(max(seq), 0) as s from switchboard_events`)[0]!.s);
    await db.sql`alter table switchboard_events rename to switchboard_events_away`;
    let restored = false;
    try {
      const phone = { user: "1002", realm: DOMAIN.name, callId: `db-${crypto.randomUUID()}` };
      pbx.register(phone);
      const call = internalCall().start();
      await Bun.sleep(300);
      await db.sql`alter table switchboard_events_away rename to switchboard_events`;
      restored = true;
      await until("the call and the registration", async () => (await readEventsAfter(db.sql, since)).length >= 2);
      await Bun.sleep(300);
      const logged = await readEventsAfter(db.sql, since);
      expect(logged.map((e) => e.type)).toEqual(["extension.registered", "call.started"]);
      expect(logged[1]!.call_id).toBe(call.uuid);
    } finally {
      if (!restored) await db.sql`alter table switchboard_events_away rename to switchboard_events`;
    }
  }, 30_000);
});

describe("one ingester per switch", () => {
  test("a second process stands by, and takes over when the first stops; nothing is logged twice", async () => {
    const first = await startIngest();
    const second = startEventIngest({
      sql: db.sql,
      switches: [{ host: fake.host, port: fake.port, password: fake.password, name: "pbx-test" }],
      standbyRetryMs: 100,
      backoff: { initialMs: 50, maxMs: 200 },
    });
    try {
      await Bun.sleep(300);
      expect(first.status()[0]!.role).toBe("ingesting");
      expect(second.status()[0]!.role).toBe("standby");
      const call = internalCall().start();
      await until("call.started", async () => (await typesOf(call.uuid)).includes("call.started"));
      await first.stop();
      await until("the standby takes over", async () => second.status()[0]?.connected);
      call.ring({ user: "1002" });
      call.answer().hangup();
      await until("call.ended", async () => (await typesOf(call.uuid)).includes("call.ended"));
      expect(await typesOf(call.uuid)).toEqual(["call.started", "call.ringing", "call.answered", "call.ended"]);
    } finally {
      await first.stop();
      await second.stop();
    }
  }, 30_000);
});

describe("recovery", () => {
  test("an outage mid-call: exactly one call.ended and call.missed from the CDR, with the live ids", async () => {
    ingest = await startIngest({ settleMs: 300 });
    const call = pbx.call({ domain: DOMAIN, from: "+15557654321", to: "15550100", direction: "inbound" }).start();
    call.ring({ user: "1002" });
    await until("call.ringing", async () => (await typesOf(call.uuid)).includes("call.ringing"));
    const answered = internalCall().start();
    answered.ring({ user: "1002" });
    answered.answer();
    await until("call.answered", async () => (await typesOf(answered.uuid)).includes("call.answered"));

    // The event connection drops; both calls end while it is down; FusionPBX imports their CDRs. A third
    // call starts and is answered meanwhile, and is still up when the connection is back.
    fake.dropConnections();
    const during = internalCall().start();
    during.ring({ user: "1002" });
    during.answer();
    call.hangup("ORIGINATOR_CANCEL", 9);
    answered.hangup("NORMAL_CLEARING", 61);
    await insertCdr(call.cdr("missed", true));
    await insertCdr(answered.cdr("answered", false));

    const events = await until("recovered call.missed", async () => {
      const all = await eventsOf(call.uuid);
      return all.some((e) => e.type === "call.missed") ? all : null;
    });
    await until("recovered call.ended of the answered call", async () =>
      (await typesOf(answered.uuid)).includes("call.ended"),
    );
    await Bun.sleep(600); // the settle re-run reads the same rows again
    await ingest.settled();
    expect(await typesOf(call.uuid)).toEqual(["call.started", "call.ringing", "call.ended", "call.missed"]);
    const ended = events.find((e) => e.type === "call.ended")!;
    const missed = events.find((e) => e.type === "call.missed")!;
    expect(ended).toMatchObject({ id: eventId("call.ended", call.uuid), reconciled: true, call_seq: 3 });
    expect(missed).toMatchObject({ id: eventId("call.missed", call.uuid), reconciled: true, call_seq: 4 });
    expect(ended.data).toMatchObject({ status: "missed", cause: "ORIGINATOR_CANCEL", missed: true });
    const answeredEvents = await eventsOf(answered.uuid);
    expect(answeredEvents.map((e) => e.type)).toEqual(["call.started", "call.ringing", "call.answered", "call.ended"]);
    expect(answeredEvents[3]!.data).toMatchObject({ status: "answered", billsec: 61 });
    // The call still up: its start, ringing leg and answer from the switch's channel list, then its end live.
    await until("the live call recovered", async () => (await typesOf(during.uuid)).includes("call.answered"));
    during.hangup("NORMAL_CLEARING", 20);
    await until("its end", async () => (await typesOf(during.uuid)).includes("call.ended"));
    const duringEvents = await eventsOf(during.uuid);
    expect(duringEvents.map((e) => [e.type, e.reconciled, e.call_seq])).toEqual([
      ["call.started", true, 1],
      ["call.ringing", true, 2],
      ["call.answered", true, 3],
      ["call.ended", false, 4],
    ]);
    expect(duringEvents[0]).toMatchObject({ id: eventId("call.started", during.uuid), domain_uuid: DOMAIN.uuid });
  }, 40_000);

  test("the live and recovered paths give the same ids: a CDR read after a live call.ended adds nothing", async () => {
    ingest = await startIngest({ settleMs: 200 });
    const call = internalCall().start();
    call.ring({ user: "1002" });
    call.answer().hangup("NORMAL_CLEARING", 5);
    await until("call.ended", async () => (await typesOf(call.uuid)).includes("call.ended"));
    await insertCdr(call.cdr("answered", false));
    fake.dropConnections();
    await until("reconnected", async () => ingest?.status()[0]?.connected);
    await Bun.sleep(400);
    await ingest.settled();
    const events = await eventsOf(call.uuid);
    expect(events.map((e) => [e.type, e.reconciled])).toEqual([
      ["call.started", false],
      ["call.ringing", false],
      ["call.answered", false],
      ["call.ended", false],
    ]);
  }, 30_000);

  test("a switch restart (new Core-UUID): registrations compared with the switch's list", async () => {
    const phoneA = { user: "1001", realm: DOMAIN.name, callId: `a-${crypto.randomUUID()}` };
    const phoneB = { user: "1002", realm: DOMAIN.name, callId: `b-${crypto.randomUUID()}` };
    ingest = await startIngest({ settleMs: 60_000 });
    const since = Number((await db.sql`select coalesce(max(seq), 0) as s from switchboard_events`)[0]!.s);
    pbx.register(phoneA);
    await until(
      "A registered",
      async () => (await readEventsAfter(db.sql, since, { types: ["extension.registered"] })).length === 1,
    );
    const before = fake.coreUuid;
    await fake.restart();
    expect(fake.coreUuid).not.toBe(before);
    // After the restart A is gone and B registered while nobody listened.
    pbx.expire(phoneA);
    pbx.register(phoneB);
    await until("reconciled registrations", async () => {
      const all = await readEventsAfter(db.sql, since, { types: ["extension.registered", "extension.unregistered"] });
      return all.length >= 3;
    });
    await ingest.settled();
    const all = await readEventsAfter(db.sql, since, { types: ["extension.registered", "extension.unregistered"] });
    const summary = all.map((e) => [e.type, (e.data as { user: string }).user, e.reconciled]);
    expect(summary).toContainEqual(["extension.registered", "1001", false]);
    expect(summary).toContainEqual(["extension.unregistered", "1001", true]);
    expect(summary).toContainEqual(["extension.registered", "1002", true]);
    expect(all).toHaveLength(3);
    fake.fireEvent("HEARTBEAT", {
      "Event-Info": "System Ready",
      "Up-Time": "0 years, 0 days, 0 hours, 0 minutes, 1 second",
    });
    await until("the new Core-UUID recorded", async () => ingest?.status()[0]?.coreUuid === fake.coreUuid);
  }, 30_000);
});
