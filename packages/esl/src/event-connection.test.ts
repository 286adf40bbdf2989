import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { connectEvents, type EventConnection, PBX_EVENT_NAMES } from "./event-connection.ts";
import type { SwitchEvent } from "./switch.ts";
import { type FakeSwitch, fakePbx, startFakeSwitch } from "./testing/index.ts";

let fake: FakeSwitch;

beforeAll(async () => {
  fake = await startFakeSwitch();
});
afterAll(async () => {
  await fake.stop();
});

async function until(condition: () => boolean, what: string, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await Bun.sleep(5);
  }
}

function open(
  events: SwitchEvent[],
  extra: { heartbeatTimeoutMs?: number; connected?: () => void; lost?: () => void } = {},
): EventConnection {
  return connectEvents({
    host: fake.host,
    port: fake.port,
    password: fake.password,
    backoff: { initialMs: 20, maxMs: 100 },
    heartbeatTimeoutMs: extra.heartbeatTimeoutMs,
    onEvent: (event) => events.push(event),
    onConnected: extra.connected,
    onDisconnected: extra.lost,
  });
}

describe("the event connection", () => {
  test("subscribes in json with one command, CUSTOM and its subclasses last, and no filter", async () => {
    fake.clearReceived();
    const events: SwitchEvent[] = [];
    const connection = open(events);
    try {
      await until(() => connection.connected, "connected");
      const subscribe = await fake.waitForCommand(/^event /);
      expect(subscribe).toBe(
        "event json BACKGROUND_JOB CHANNEL_CREATE CHANNEL_ANSWER CHANNEL_BRIDGE CHANNEL_HANGUP_COMPLETE " +
          "MESSAGE_WAITING PRESENCE_IN HEARTBEAT CUSTOM sofia::register sofia::unregister sofia::expire callcenter::info\n\n",
      );
      expect(fake.received.some((raw) => raw.startsWith("filter"))).toBe(false);
      expect(PBX_EVENT_NAMES.at(-1)).toBe("callcenter::info");
      const pbx = fakePbx(fake);
      pbx.register({ user: "1001", realm: "a.example.com" });
      fake.fireEvent("CUSTOM", { "Event-Subclass": "fusion::file" });
      fake.fireEvent("CHANNEL_STATE", { "Unique-ID": "x" });
      fake.fireEvent("HEARTBEAT", { "Event-Info": "System Ready" });
      await until(() => events.length >= 2, "two events");
      await Bun.sleep(50);
      expect(events.map((e) => e.headers["Event-Subclass"] ?? e.name)).toEqual(["sofia::register", "HEARTBEAT"]);
      expect(events[0]!.headers).toMatchObject({
        "from-user": "1001",
        "from-host": "a.example.com",
        "Core-UUID": fake.coreUuid,
      });
    } finally {
      await connection.close();
    }
  });

  test("a connection that delivers nothing for the heartbeat timeout is dropped and made again", async () => {
    let connects = 0;
    let losses = 0;
    const connection = open([], { heartbeatTimeoutMs: 200, connected: () => connects++, lost: () => losses++ });
    try {
      await until(() => connects === 1, "first connection");
      await until(() => connects === 2, "a new connection after the silent one", 3000);
      expect(losses).toBeGreaterThanOrEqual(1);
    } finally {
      await connection.close();
    }
  });

  test("a switch restart: reconnects, and the events carry the new Core-UUID", async () => {
    const events: SwitchEvent[] = [];
    let connects = 0;
    const connection = open(events, { connected: () => connects++ });
    try {
      await until(() => connects === 1, "connected");
      const before = fake.coreUuid;
      await fake.restart();
      await until(() => connects === 2, "reconnected");
      fake.fireEvent("HEARTBEAT", {});
      await until(() => events.length === 1, "a heartbeat");
      expect(events[0]!.headers["Core-UUID"]).toBe(fake.coreUuid);
      expect(fake.coreUuid).not.toBe(before);
    } finally {
      await connection.close();
    }
  });
});
