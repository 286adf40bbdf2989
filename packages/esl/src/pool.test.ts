import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { createServer } from "node:net";
import { createSwitchPool } from "./pool.ts";
import { SwitchUnavailableError } from "./switch.ts";
import { type FakeSwitch, startFakeSwitch } from "./testing/index.ts";

let first: FakeSwitch;
let second: FakeSwitch;

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

async function until(condition: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 3000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await Bun.sleep(5);
  }
}

const endpoint = (fake: FakeSwitch) => ({ host: fake.host, port: fake.port, password: fake.password });

beforeAll(async () => {
  first = await startFakeSwitch();
  second = await startFakeSwitch();
});
afterAll(async () => {
  await first.stop();
  await second.stop();
});

describe("switch pool", () => {
  test("creating a pool with no switch running neither throws nor blocks; commands fail fast", async () => {
    const pool = createSwitchPool({ switches: [{ host: "127.0.0.1", port: await freePort(), password: "ClueCon" }] });
    const health = await pool.health();
    expect(health).toEqual([
      { switch: pool.switches[0]!.name, up: false, latencyMs: null, error: expect.stringContaining("ECONNREFUSED") },
    ]);
    expect(() => pool.forCalls()).toThrow(SwitchUnavailableError);
    const results = await pool.broadcast("reloadxml");
    expect(results[0]!.ok).toBe(false);
    await pool.close();
  });

  test("broadcast reaches every switch and reports each; calls go to the first healthy", async () => {
    const down = await freePort();
    const pool = createSwitchPool({
      switches: [endpoint(first), { host: "127.0.0.1", port: down, password: "ClueCon" }, endpoint(second)],
    });
    await until(
      () => pool.switches[0]!.connected && pool.switches[2]!.connected && pool.switches[1]!.state === "waiting",
      "states",
    );
    const results = await pool.broadcast("reloadxml");
    expect(results.map((r) => [r.switch, r.ok])).toEqual([
      [`127.0.0.1:${first.port}`, true],
      [`127.0.0.1:${down}`, false],
      [`127.0.0.1:${second.port}`, true],
    ]);
    expect(results[0]!.reply).toBe("+OK [Success]\n");
    const events = await pool.broadcastEvent("CUSTOM", {
      "Event-Subclass": "fusion::file",
      "API-Command": "cache",
      "API-Command-Argument": "delete x",
    });
    expect(events.map((r) => r.ok)).toEqual([true, false, true]);
    expect(first.sentEvents.at(-1)?.headers["API-Command-Argument"]).toBe("delete x");
    expect(second.sentEvents.at(-1)?.headers["API-Command-Argument"]).toBe("delete x");

    expect(pool.forCalls().name).toBe(`127.0.0.1:${first.port}`);
    first.dropConnections();
    await first.stop();
    await until(() => !pool.switches[0]!.connected, "first switch down");
    expect(pool.forCalls().name).toBe(`127.0.0.1:${second.port}`);
    const health = await pool.health();
    expect(health.map((h) => h.up)).toEqual([false, false, true]);
    await pool.close();
    first = await startFakeSwitch();
  });

  test("a configured call switch is preferred while it is healthy", async () => {
    const pool = createSwitchPool({
      switches: [endpoint(first), endpoint(second)],
      callSwitch: `127.0.0.1:${second.port}`,
    });
    await until(() => pool.switches.every((s) => s.connected), "both connected");
    expect(pool.forCalls().name).toBe(`127.0.0.1:${second.port}`);
    await pool.close();
  });
});
