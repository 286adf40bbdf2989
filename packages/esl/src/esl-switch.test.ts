import { afterAll, afterEach, beforeAll, describe, expect, test } from "bun:test";
import { createServer } from "node:net";
import { SwitchAuthError, SwitchOutcomeUnknownError, SwitchTimeoutError, UnsafeCommandValueError } from "./errors.ts";
import { connectSwitch, type EslSwitch, type SwitchConnectionOptions } from "./esl-switch.ts";
import { SwitchCommandError, type SwitchEvent, SwitchUnavailableError } from "./switch.ts";
import { type FakeSwitch, startFakeSwitch } from "./testing/index.ts";

let fake: FakeSwitch;
const opened: EslSwitch[] = [];

function open(options: Partial<SwitchConnectionOptions> = {}, target: FakeSwitch = fake): EslSwitch {
  const sw = connectSwitch({
    host: target.host,
    port: target.port,
    password: target.password,
    backoff: { initialMs: 20, maxMs: 200 },
    ...options,
  });
  opened.push(sw);
  return sw;
}

async function until(condition: () => boolean, what: string, timeoutMs = 3000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await Bun.sleep(5);
  }
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/**
 * Resolves once a client aimed at a closed port, with the backoff every test client uses, has waited out
 * `cycles` reconnect delays. A retry that another client scheduled earlier with the same backoff has started
 * by then (timers fire in deadline order), so a test can show that no retry was scheduled.
 */
async function afterBackoffCycles(cycles = 3): Promise<void> {
  let waits = 0;
  const { promise, resolve } = Promise.withResolvers<void>();
  const witness = connectSwitch({
    host: "127.0.0.1",
    port: await freePort(),
    password: "unused",
    backoff: { initialMs: 20, maxMs: 200 },
    onStateChange: (state) => {
      if (state === "waiting" && ++waits > cycles) resolve();
    },
  });
  await promise;
  await witness.close();
}

const authCount = (target: FakeSwitch = fake) => target.received.filter((r) => r.startsWith("auth ")).length;

beforeAll(async () => {
  fake = await startFakeSwitch();
});
afterEach(async () => {
  await Promise.all(opened.splice(0).map((s) => s.close()));
  fake.clearOriginateScripts();
  fake.setApiDelay(0);
  fake.clearReceived();
});
afterAll(async () => {
  await fake.stop();
});

describe("connecting", () => {
  test("connects in the background, authenticates, answers api", async () => {
    const sw = open();
    expect(sw.name).toBe(`127.0.0.1:${fake.port}`);
    expect(await sw.api("status")).toContain("is ready");
    expect(sw.connected).toBe(true);
    expect(fake.received.slice(0, 3)).toEqual(["auth ClueCon\n\n", "event json BACKGROUND_JOB\n\n", "api status\n\n"]);
  });

  test("a wrong password is a final SwitchAuthError: no retry loop", async () => {
    const states: string[] = [];
    const sw = open({ password: "wrong", onStateChange: (state) => states.push(state) });
    await until(() => sw.state === "auth-failed", "auth failure");
    expect(sw.lastError).toBeInstanceOf(SwitchAuthError);
    await expect(sw.api("status")).rejects.toBeInstanceOf(SwitchAuthError);
    await afterBackoffCycles();
    expect(states).toEqual(["connecting", "auth-failed"]);
    expect(authCount()).toBe(1);
    expect(fake.connectionCount()).toBe(0);
  });

  test("no switch listening: commands fail fast with SwitchUnavailableError and never hang", async () => {
    const sw = open({ port: await freePort() });
    const error = await sw.api("status").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SwitchUnavailableError);
    expect((error as Error).message).toContain("ECONNREFUSED");
    await until(() => sw.state === "waiting", "waiting state");
    await expect(sw.bgapi("status")).rejects.toBeInstanceOf(SwitchUnavailableError);
    await expect(sw.sendEvent("CUSTOM", {})).rejects.toBeInstanceOf(SwitchUnavailableError);
  });

  test("reconnects after the switch restarts, with subscriptions re-applied", async () => {
    const sw = open();
    const answers: string[] = [];
    sw.onEvent(["CHANNEL_ANSWER"], (e) => answers.push(e.headers["Unique-ID"] ?? ""));
    await sw.ready();
    await fake.restart();
    await until(() => authCount() === 2 && sw.connected, "reconnection");
    expect(await sw.api("status")).toContain("is ready");
    fake.fireEvent("CHANNEL_ANSWER", { "Unique-ID": "after-restart" });
    await until(() => answers.includes("after-restart"), "event after restart");
    expect(fake.received.filter((r) => r.startsWith("event json")).length).toBeGreaterThanOrEqual(2);
  });

  test("a peer that accepts but never greets: the connect timeout applies, close() releases waiting commands", async () => {
    const silent = createServer(() => {});
    await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
    const port = (silent.address() as { port: number }).port;
    const sw = open({ port, connectTimeoutMs: 100 });
    const first = await sw.api("status", { timeoutMs: 5000 }).catch((e: unknown) => e);
    expect(first).toBeInstanceOf(SwitchUnavailableError);
    expect((first as Error).message).toContain("no answer within 100 ms");
    await until(() => sw.state === "connecting", "the next attempt");
    const waiting = sw.api("status", { timeoutMs: 5000 }).catch((e: unknown) => e);
    await sw.close();
    expect(await waiting).toBeInstanceOf(SwitchUnavailableError);
    expect(sw.state).toBe("closed");
    silent.close();
  });

  test("a switch that starts later is picked up by the backoff loop", async () => {
    const port = await freePort();
    const sw = open({ port });
    await until(() => sw.state === "waiting", "first failure");
    const late = await startFakeSwitch({ port });
    await until(() => sw.connected, "late connection");
    expect(await sw.api("status")).toContain("is ready");
    await sw.close();
    await late.stop();
  });
});

describe("api", () => {
  test("-ERR replies become SwitchCommandError with the cause from the npm client's args.reply", async () => {
    const sw = open();
    fake.scriptOriginate("user/busy", { kind: "busy" });
    fake.scriptOriginate("user/away", { kind: "noAnswer" });
    fake.scriptOriginate("user/absent", { kind: "fail", cause: "SUBSCRIBER_ABSENT" });
    const cause = (p: Promise<unknown>) =>
      p.then(
        () => null,
        (e: SwitchCommandError) => [e.name, e.cause, e.reply],
      );
    expect(await cause(sw.api("originate user/busy@x.example &park"))).toEqual([
      "SwitchCommandError",
      "USER_BUSY",
      "-ERR USER_BUSY",
    ]);
    expect(await cause(sw.api("originate user/away@x.example &park"))).toEqual([
      "SwitchCommandError",
      "NO_ANSWER",
      "-ERR NO_ANSWER",
    ]);
    expect(await cause(sw.api("originate user/absent@x.example &park"))).toEqual([
      "SwitchCommandError",
      "SUBSCRIBER_ABSENT",
      "-ERR SUBSCRIBER_ABSENT",
    ]);
    expect(await cause(sw.api("nosuch thing"))).toEqual([
      "SwitchCommandError",
      "nosuch Command not found!",
      "-ERR nosuch Command not found!",
    ]);
    const usage = await cause(sw.api("originate user/1001"));
    expect(usage?.[1]).toStartWith("<call url> <exten>");
    expect(sw.connected).toBe(true);
  });

  test("a timeout drops the connection and a fresh one serves the next command (no late reply leaks)", async () => {
    const sw = open();
    const answerLate = Promise.withResolvers<void>();
    const answeredLate = Promise.withResolvers<void>();
    fake.setApiResponse("slow_thing", async () => {
      await answerLate.promise;
      answeredLate.resolve();
      return "+OK LATE\n";
    });
    await sw.ready();
    const error = await sw.api("slow_thing", { timeoutMs: 50 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SwitchTimeoutError);
    expect(error).toBeInstanceOf(SwitchUnavailableError);
    fake.setApiResponse("echo", (cmd) => `${cmd}\n`);
    expect(await sw.api("echo after-timeout")).toBe("echo after-timeout\n");
    expect(authCount()).toBe(2);
    // The slow command answers now, on the dropped connection; the fake writes the frame as soon as the
    // responder returns, before the next turn of the event loop.
    answerLate.resolve();
    await answeredLate.promise;
    await new Promise((resolve) => setImmediate(resolve));
    expect(await sw.api("echo later")).toBe("echo later\n");
    fake.clearApiResponse("slow_thing");
    fake.clearApiResponse("echo");
  });

  test("50 concurrent commands on one connection each get their own reply, in order on the wire", async () => {
    const sw = open();
    fake.setApiResponse("echo", (cmd) => `${cmd.slice(5)}\n`);
    const replies = await Promise.all(Array.from({ length: 50 }, (_, i) => sw.api(`echo ${i}`)));
    expect(replies).toEqual(Array.from({ length: 50 }, (_, i) => `${i}\n`));
    expect(fake.apiCommands()).toEqual(Array.from({ length: 50 }, (_, i) => `echo ${i}`));
    expect(authCount()).toBe(1);
    fake.clearApiResponse("echo");
  });

  test("a switch dropping the connection mid-command rejects the caller at once, then reconnects", async () => {
    const sw = open();
    fake.scriptOriginate("user/forever", { kind: "never" });
    await sw.ready();
    const pending = sw.api("originate user/forever@x.example &park", { timeoutMs: 20_000 }).catch((e: unknown) => e);
    await fake.waitForCommand("api originate user/forever");
    fake.dropConnections();
    const error = await pending;
    expect(error).toBeInstanceOf(SwitchUnavailableError);
    expect(error).not.toBeInstanceOf(SwitchTimeoutError);
    await until(() => sw.connected, "reconnection");
    expect(await sw.api("status")).toContain("is ready");
  });

  test("a command with a line break never reaches the wire", async () => {
    const sw = open();
    await sw.ready();
    await expect(sw.api("status\n\nbgapi system rm -rf /")).rejects.toBeInstanceOf(UnsafeCommandValueError);
    await expect(sw.bgapi("status\r\nexit")).rejects.toBeInstanceOf(UnsafeCommandValueError);
    await expect(sw.sendEvent("CUSTOM", { "API-Command": "x\n\napi system id" })).rejects.toBeInstanceOf(
      UnsafeCommandValueError,
    );
    await expect(sw.sendEvent("CUSTOM", { "Bad Header": "x" })).rejects.toBeInstanceOf(UnsafeCommandValueError);
    await expect(sw.sendEvent("CUSTOM\nx", {})).rejects.toBeInstanceOf(UnsafeCommandValueError);
    await expect(sw.api("  ")).rejects.toBeInstanceOf(UnsafeCommandValueError);
    await expect(sw.api("status", { timeoutMs: 0 })).rejects.toBeInstanceOf(RangeError);
    await expect(sw.bgapi("status", { timeoutMs: Number.POSITIVE_INFINITY })).rejects.toBeInstanceOf(RangeError);
    expect(fake.received).toEqual(["auth ClueCon\n\n", "event json BACKGROUND_JOB\n\n"]);
  });
});

describe("bgapi", () => {
  test("returns the Job-UUID it sent at once; the result arrives with BACKGROUND_JOB", async () => {
    const sw = open();
    const uuid = "3f0e8a7c-2b1d-4c5e-9f8a-7b6c5d4e3f2a";
    fake.scriptOriginate("loopback/1001", { kind: "answer", afterMs: 30 });
    const job = await sw.bgapi(`originate {origination_uuid=${uuid}}loopback/1001/example.com &park`);
    expect(fake.received.at(-1)).toBe(
      `bgapi originate {origination_uuid=${uuid}}loopback/1001/example.com &park\nJob-UUID: ${job.jobUuid}\n\n`,
    );
    expect(await job.result).toBe(`+OK ${uuid}\n`);
  });

  test("-ERR in the job output rejects the result with the cause", async () => {
    const sw = open();
    fake.scriptOriginate("user/busy", { kind: "busy", afterMs: 10 });
    const job = await sw.bgapi("originate user/busy@x.example &park");
    const error = await job.result.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SwitchCommandError);
    expect((error as SwitchCommandError).cause).toBe("USER_BUSY");
  });

  test("a job that never finishes times out; a dropped connection fails pending jobs", async () => {
    const sw = open();
    fake.scriptOriginate("user/forever", { kind: "never" });
    const slow = await sw.bgapi("originate user/forever@x.example &park", { timeoutMs: 50 });
    await expect(slow.result).rejects.toBeInstanceOf(SwitchTimeoutError);
    const pending = await sw.bgapi("originate user/forever@x.example &park", { timeoutMs: 20_000 });
    fake.dropConnections();
    const error = await pending.result.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SwitchUnavailableError);
    expect(error).not.toBeInstanceOf(SwitchTimeoutError);
  });

  test("written but unanswered (a stalled switch): SwitchOutcomeUnknownError, and the switch runs it on resume", async () => {
    const sw = open({ commandTimeoutMs: 300 });
    await sw.ready();
    const uuid = crypto.randomUUID();
    fake.stall();
    try {
      const error = await sw
        .bgapi(`originate {origination_uuid=${uuid}}loopback/1001/example.com &park`)
        .catch((e) => e);
      expect(error).toBeInstanceOf(SwitchOutcomeUnknownError);
      expect((error as SwitchOutcomeUnknownError).jobUuid).toMatch(/^[0-9a-f-]{36}$/);
      expect(fake.originates.filter((o) => o.uuid === uuid)).toEqual([]);
    } finally {
      fake.resume();
    }
    await until(() => fake.channels.has(uuid), "the queued originate to run");
    expect(fake.originates.filter((o) => o.uuid === uuid)).toHaveLength(1);
  });

  test("never written (nothing listening): a plain SwitchUnavailableError, not an unknown outcome", async () => {
    const sw = open({ port: await freePort() });
    const error = await sw.bgapi("originate loopback/1001/example.com &park").catch((e) => e);
    expect(error).toBeInstanceOf(SwitchUnavailableError);
    expect(error).not.toBeInstanceOf(SwitchOutcomeUnknownError);
  });

  test("a bgapi that gave up while queued behind a slow command is never written afterwards", async () => {
    const sw = open({ commandTimeoutMs: 200 });
    await sw.ready();
    fake.setApiDelay(800);
    const slow = sw.api("status", { timeoutMs: 5000 });
    const error = await sw.bgapi("originate loopback/1009/example.com &park").catch((e) => e);
    expect(error).toBeInstanceOf(SwitchTimeoutError);
    expect(error).not.toBeInstanceOf(SwitchOutcomeUnknownError);
    expect(await slow).toContain("is ready");
    await Bun.sleep(200);
    expect(fake.received.filter((r) => r.includes("loopback/1009"))).toEqual([]);
  });

  test("many jobs at once each get their own result", async () => {
    const sw = open();
    fake.setApiResponse("echo", (cmd) => `+OK ${cmd.slice(5)}\n`);
    const jobs = await Promise.all(Array.from({ length: 20 }, (_, i) => sw.bgapi(`echo ${i}`)));
    expect(await Promise.all(jobs.map((j) => j.result))).toEqual(Array.from({ length: 20 }, (_, i) => `+OK ${i}\n`));
    fake.clearApiResponse("echo");
  });
});

describe("events", () => {
  for (const format of ["json", "plain"] as const) {
    test(`${format}: CHANNEL_* events of an answered call arrive typed and decoded`, async () => {
      const sw = open({ eventFormat: format });
      const events: SwitchEvent[] = [];
      const stop = sw.onEvent(["CHANNEL_CREATE", "CHANNEL_ANSWER", "CHANNEL_HANGUP_COMPLETE"], (e) => events.push(e));
      const uuid = "7d0c6a5b-4e3f-4a2b-8c1d-0e9f8a7b6c5d";
      fake.scriptOriginate("loopback/1001", { kind: "answer", hangupAfterMs: 20, hangupCause: "NORMAL_CLEARING" });
      await sw.api(
        `originate {origination_uuid=${uuid},origination_caller_id_name='Front Desk'}loopback/1001/example.com &park`,
      );
      await until(() => events.length === 3, "three channel events");
      expect(events.map((e) => e.name)).toEqual(["CHANNEL_CREATE", "CHANNEL_ANSWER", "CHANNEL_HANGUP_COMPLETE"]);
      expect(events[1]!.headers["Unique-ID"]).toBe(uuid);
      expect(events[1]!.headers["Caller-Caller-ID-Name"]).toBe("Front Desk");
      expect(events[2]!.headers["Hangup-Cause"]).toBe("NORMAL_CLEARING");
      expect(fake.received).toContain(
        `event ${format} BACKGROUND_JOB CHANNEL_CREATE CHANNEL_ANSWER CHANNEL_HANGUP_COMPLETE\n\n`,
      );
      stop();
      fake.fireEvent("CHANNEL_ANSWER", { "Unique-ID": "ignored" });
      await sw.api("status");
      expect(events.length).toBe(3);
    });
  }

  test("CUSTOM subclasses and sendEvent round-trip", async () => {
    const sw = open();
    const seen: SwitchEvent[] = [];
    sw.onEvent(["fusion::file"], (e) => seen.push(e));
    await sw.ready();
    await sw.sendEvent("CUSTOM", {
      "Event-Subclass": "fusion::file",
      "API-Command": "cache",
      "API-Command-Argument": "delete directory.1001@example.com",
    });
    await until(() => seen.length === 1, "the CUSTOM event");
    expect(seen[0]!.headers["API-Command-Argument"]).toBe("delete directory.1001@example.com");
    // One subscription command, CUSTOM and its subclasses last.
    expect(fake.received).toContain("event json BACKGROUND_JOB CUSTOM fusion::file\n\n");
  });

  test("close() stops everything: pending waits fail, no reconnect", async () => {
    const states: string[] = [];
    const sw = open({ onStateChange: (state) => states.push(state) });
    await sw.ready();
    await sw.close();
    await expect(sw.api("status")).rejects.toBeInstanceOf(SwitchUnavailableError);
    await afterBackoffCycles();
    expect(states).toEqual(["connecting", "connected", "closed"]);
    expect(authCount()).toBe(1);
  });
});
