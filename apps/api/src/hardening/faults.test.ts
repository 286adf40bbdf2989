// Outages: PostgreSQL cut off mid-load (503 JSON, no half-written pair, service resumes), the switch killed
// mid-originate and restarted, or stalled and resumed (an unknown outcome with the call id, reconciled
// afterwards, no call placed twice), and a switch that never answers (reads and other calls are not held up).
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { createServer, type Server, type Socket, connect as tcpConnect } from "node:net";
import {
  createSql,
  DEMO_DOMAIN_UUID,
  DEMO_KEY_ID,
  DEMO_KEY_SECRET,
  migrate,
  type Sql,
  seedDemo,
} from "@switchboard/db";
import { createTestDatabase, PG_TEST_URL, type TestDatabase } from "@switchboard/db/testing";
import { type FakeSwitch, startFakeSwitch } from "@switchboard/esl/testing";
import type { Subprocess } from "bun";
import { LEGACY_PATH } from "../legacy/rest-php.ts";
import { basic, type Harness, startHarness } from "../testing/harness.ts";
import { legacyPost } from "../testing/legacy-client.ts";
import { type ServerProcess, startServerProcess } from "./server-process.ts";
import { legacyResponseProblem, trpcResponseProblem } from "./support.ts";

const auth = { Authorization: basic(DEMO_KEY_ID, DEMO_KEY_SECRET) };
const DOMAIN_DETAILS = JSON.stringify({ action: "domain-details", domain_uuid: DEMO_DOMAIN_UUID });

/** A loopback TCP proxy in front of PostgreSQL that a test can cut (refuse and reset) and restore. */
class CuttableProxy {
  private server: Server | null = null;
  private readonly sockets = new Set<Socket>();
  port = 0;
  constructor(
    private readonly targetHost: string,
    private readonly targetPort: number,
  ) {}

  async start(): Promise<void> {
    const server = createServer((client) => {
      const upstream = tcpConnect(this.targetPort, this.targetHost);
      for (const s of [client, upstream]) {
        this.sockets.add(s);
        s.on("close", () => this.sockets.delete(s));
        s.on("error", () => {
          client.destroy();
          upstream.destroy();
        });
      }
      client.pipe(upstream);
      upstream.pipe(client);
    });
    await new Promise<void>((resolve) => server.listen(this.port, "127.0.0.1", resolve));
    this.port = (server.address() as { port: number }).port;
    this.server = server;
  }

  /** The database "goes away": new connections are refused, open ones reset. */
  async cut(): Promise<void> {
    const server = this.server;
    this.server = null;
    for (const s of this.sockets) s.destroy();
    this.sockets.clear();
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  async restore(): Promise<void> {
    await this.start();
  }
}

/** Polls /health (bounded) until it answers `status`; the body it then sent. */
async function healthOnceItSays(origin: string, status: number): Promise<{ database: { up: boolean } }> {
  let last = 0;
  for (let i = 0; i < 50; i++) {
    const r = await fetch(`${origin}/health`);
    last = r.status;
    if (r.status === status) return (await r.json()) as { database: { up: boolean } };
    await r.arrayBuffer();
    await Bun.sleep(200);
  }
  throw new Error(`/health still answered ${last}, not ${status}, after 10 s`);
}

describe("PostgreSQL stops mid-load (the real server process, through a proxy that can be cut)", () => {
  let db: TestDatabase;
  let proxy: CuttableProxy;
  let fake: FakeSwitch;
  let server: ServerProcess;
  let api: Subprocess<"ignore", "ignore", "pipe">;
  let origin: string;
  const serverErrors = () => server.stderrLines.filter((l) => !l.includes('"level":"info"'));

  beforeAll(async () => {
    db = await createTestDatabase({ prefix: "sb_faults" });
    await migrate(db.sql, { fusionpbx: "create-if-empty", onFusionpbxCreated: (tx) => seedDemo(tx) });
    const target = new URL(db.url);
    proxy = new CuttableProxy(target.hostname, Number(target.port || 5432));
    await proxy.start();
    const proxied = new URL(db.url);
    proxied.port = String(proxy.port);
    fake = await startFakeSwitch();
    server = await startServerProcess(proxied.toString(), fake);
    api = server.process;
    origin = server.origin;
  }, 60_000);
  afterAll(async () => {
    await server?.stop();
    await fake?.stop();
    await proxy?.cut();
    await db?.drop();
  }, 30_000);

  /** A legacy POST that gives up after 15 s, so a request the server never answers fails the test by name. */
  async function boundedPost(url: string, body: string): Promise<{ status: number; text: string }> {
    try {
      const res = await fetch(url + LEGACY_PATH, {
        method: "POST",
        body,
        headers: { ...auth, "content-type": "application/x-www-form-urlencoded" },
        signal: AbortSignal.timeout(15_000),
      });
      return { status: res.status, text: await res.text() };
    } catch (error) {
      const name = (error as Error).name;
      return { status: 0, text: name === "TimeoutError" ? "no answer within 15 s" : (error as Error).message };
    }
  }

  async function waitForService(): Promise<void> {
    for (let i = 0; i < 100; i++) {
      const r = await boundedPost(origin, DOMAIN_DETAILS);
      if (r.status === 200) return;
      await Bun.sleep(200);
    }
    throw new Error("the API did not recover after PostgreSQL came back");
  }

  test("while it is down: 503 JSON naming the database on both faces; /health says down; it resumes by itself", async () => {
    expect((await legacyPost(origin, DOMAIN_DETAILS, auth)).status).toBe(200);
    await proxy.cut();
    const legacy = await legacyPost(origin, DOMAIN_DETAILS, auth);
    expect([legacy.status, legacy.text]).toEqual([503, '{"error":"database unavailable"}']);
    const create = await legacyPost(
      origin,
      JSON.stringify({ action: "extension-create", domain_uuid: DEMO_DOMAIN_UUID, extension: "8100" }),
      auth,
    );
    expect(create.status).toBe(503);
    expect(legacyResponseProblem(create.status, create.text)).toBeNull();
    const trpc = await fetch(
      `${origin}/trpc/domains.details?input=${encodeURIComponent(JSON.stringify({ domain_uuid: DEMO_DOMAIN_UUID }))}`,
      { headers: auth },
    );
    const trpcText = await trpc.text();
    expect(trpcResponseProblem(trpc.status, trpcText)).toBeNull();
    expect(trpc.status).toBe(503);
    expect(JSON.parse(trpcText).error.data.code).toBe("SERVICE_UNAVAILABLE");
    expect(JSON.parse(trpcText).error.message).toContain("database");
    // /health reuses one probe for 2 s: it says so within a few seconds.
    const health = await healthOnceItSays(origin, 503);
    expect(health.database.up).toBe(false);
    await proxy.restore();
    await waitForService();
    expect((await healthOnceItSays(origin, 200)).database.up).toBe(true);
  }, 60_000);

  test("cut during a stream of extension-creates: every answer is 200 or 503, and no extension exists without its voicemail box", async () => {
    const sent: Array<{ extension: string; status: number; text: string }> = [];
    let next = 8200;
    let stop = false;
    let completed = 0;
    const lane = async () => {
      while (!stop) {
        const extension = String(next++);
        const r = await boundedPost(
          origin,
          JSON.stringify({ action: "extension-create", domain_uuid: DEMO_DOMAIN_UUID, extension }),
        );
        sent.push({ extension, status: r.status, text: r.text });
        completed++;
      }
    };
    const lanes = Array.from({ length: 8 }, lane);
    while (completed < 16) await Bun.sleep(5);
    await proxy.cut();
    const cutAt = completed;
    while (completed < cutAt + 16) await Bun.sleep(5);
    await proxy.restore();
    await waitForService();
    stop = true;
    await Promise.all(lanes);

    expect(
      sent
        .filter((s) => s.status !== 200 && s.status !== 503)
        .map((s) => `${s.extension}: ${s.status} ${s.text} | server: ${serverErrors().slice(-2).join(" / ")}`),
    ).toEqual([]);
    expect(sent.some((s) => s.status === 503)).toBe(true);
    const numbers = sent.map((s) => s.extension);
    const rows = await db.sql<{ extension: string; has_extension: boolean; has_voicemail: boolean }[]>`
        select n as extension,
               exists (select 1 from v_extensions e where e.domain_uuid = ${DEMO_DOMAIN_UUID} and e.extension = n) as has_extension,
               exists (select 1 from v_voicemails v where v.domain_uuid = ${DEMO_DOMAIN_UUID} and v.voicemail_id = n) as has_voicemail
        from unnest(${numbers}::text[]) as n`;
    expect(rows.filter((r) => r.has_extension !== r.has_voicemail)).toEqual([]);
    const created = new Set(rows.filter((r) => r.has_extension).map((r) => r.extension));
    expect(sent.filter((s) => s.status === 200 && !created.has(s.extension)).map((s) => s.extension)).toEqual([]);
    // Service resumes by itself, writes included: a batch of parallel creates (enough to reach every pooled
    // connection) eventually all succeed. Bounded, so a pool that never heals fails the test.
    let failures: string[] = [];
    for (let attempt = 0; attempt < 40; attempt++) {
      const batch = Array.from({ length: 8 }, (_, i) => String(95_000 + attempt * 10 + i));
      const after = await Promise.all(
        batch.map((extension) =>
          legacyPost(
            origin,
            JSON.stringify({ action: "extension-create", domain_uuid: DEMO_DOMAIN_UUID, extension }),
            auth,
          ),
        ),
      );
      failures = after.filter((r) => r.status !== 200).map((r) => `${r.status} ${r.text.slice(0, 200)}`);
      if (failures.length === 0) break;
      expect(failures.filter((f) => !f.startsWith("503 "))).toEqual([]);
      await Bun.sleep(500);
    }
    expect(failures.map((f) => `${f} | server: ${serverErrors().slice(-3).join(" / ")}`)).toEqual([]);
    expect(api.exitCode).toBeNull();
  }, 90_000);
});

describe("PostgreSQL terminates every backend again and again under eight writers (the real server process)", () => {
  let db: TestDatabase;
  let admin: Sql;
  let fake: FakeSwitch;
  let server: ServerProcess;
  let api: Subprocess<"ignore", "ignore", "pipe">;
  let origin: string;
  /** How long the backends keep being terminated; FAULT_SECONDS lengthens it for a soak by hand. */
  const faultSeconds = Number(process.env.FAULT_SECONDS ?? 8);

  beforeAll(async () => {
    db = await createTestDatabase({ prefix: "sb_terminate" });
    await migrate(db.sql, { fusionpbx: "create-if-empty", onFusionpbxCreated: (tx) => seedDemo(tx) });
    admin = createSql(PG_TEST_URL, { max: 1 });
    fake = await startFakeSwitch();
    server = await startServerProcess(db.url, fake);
    api = server.process;
    origin = server.origin;
  }, 60_000);
  afterAll(async () => {
    await server?.stop();
    await fake?.stop();
    await admin?.end({ timeout: 1 });
    await db?.drop();
  }, 30_000);

  const terminateAll = () =>
    admin`select count(pg_terminate_backend(pid))::int as n from pg_stat_activity where datname = ${db.name} and pid <> pg_backend_pid()`;

  async function send(
    face: "legacy" | "trpc",
    kind: "extension" | "destination",
    n: number,
    timeoutMs = 15_000,
  ): Promise<{ status: number; text: string }> {
    const legacy =
      kind === "extension"
        ? { action: "extension-create", domain_uuid: DEMO_DOMAIN_UUID, extension: String(n) }
        : { action: "destination-create", domain_uuid: DEMO_DOMAIN_UUID, number: String(n), extension: "100" };
    const trpc =
      kind === "extension"
        ? { domain_uuid: DEMO_DOMAIN_UUID, extension: String(n) }
        : { domain_uuid: DEMO_DOMAIN_UUID, number: String(n), extension: "100" };
    const url = face === "legacy" ? origin + LEGACY_PATH : `${origin}/trpc/${kind}s.create`;
    try {
      const res = await fetch(url, {
        method: "POST",
        body: JSON.stringify(face === "legacy" ? legacy : trpc),
        headers: {
          ...auth,
          "content-type": face === "legacy" ? "application/x-www-form-urlencoded" : "application/json",
        },
        signal: AbortSignal.timeout(timeoutMs),
      });
      return { status: res.status, text: await res.text() };
    } catch (error) {
      return {
        status: 0,
        text: (error as Error).name === "TimeoutError" ? `no answer within ${timeoutMs} ms` : (error as Error).message,
      };
    }
  }

  test("every answer is 200 or 503 during the faults, and service (reads, writes, /health) returns within seconds after", async () => {
    const answers: Array<{ what: string; status: number; text: string }> = [];
    let stop = false;
    let next = 300_000;
    const lanes = (["legacy", "trpc"] as const).flatMap((face) =>
      (["extension", "destination"] as const).flatMap((kind) =>
        [0, 1].map(async () => {
          while (!stop) {
            const n = next++;
            const r = await send(face, kind, n);
            answers.push({ what: `${face} ${kind}-create ${n}`, ...r });
          }
        }),
      ),
    );
    let terminations = 0;
    const until = Date.now() + faultSeconds * 1000;
    while (Date.now() < until) {
      await terminateAll();
      terminations++;
      await Bun.sleep(700);
    }
    stop = true;
    const faultsEnded = performance.now();
    await Promise.all(lanes);
    expect(terminations).toBeGreaterThan(3);
    const unclean = answers
      .filter((a) => a.status !== 200 && a.status !== 503)
      .map((a) => `${a.what}: ${a.status} ${a.text.slice(0, 200)}`);
    expect(
      unclean.length === 0 ? [] : [...unclean.slice(0, 3), `server: ${server.stderrLines.slice(-8).join(" / ")}`],
    ).toEqual([]);
    expect(answers.some((a) => a.status === 503)).toBe(true);

    // Recovery: bounded, so a server that stays down fails the test by name.
    let last = "";
    let recovered = false;
    for (let attempt = 0; !recovered && performance.now() - faultsEnded < 20_000; attempt++) {
      const health = await fetch(`${origin}/health`, { signal: AbortSignal.timeout(5_000) }).then(
        (r) => r.status,
        () => 0,
      );
      const writes = await Promise.all([
        send("legacy", "extension", 400_000 + attempt * 10, 5_000),
        send("trpc", "destination", 400_000 + attempt * 10 + 1, 5_000),
      ]);
      last = `health ${health}; ${writes.map((w) => `${w.status} ${w.text.slice(0, 120)}`).join(" | ")}`;
      recovered = health === 200 && writes.every((w) => w.status === 200);
      if (!recovered) await Bun.sleep(250);
    }
    expect(
      recovered
        ? "recovered"
        : `still down 20 s after the faults: ${last} | server: ${server.stderrLines.slice(-3).join(" / ")}`,
    ).toBe("recovered");
    expect(api.exitCode).toBeNull();
  }, 120_000);
});

describe("the switch", () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  }, 60_000);
  afterAll(async () => {
    await h?.close();
  }, 30_000);

  const originate = (destinationB: string) =>
    legacyPost(
      h.origin,
      JSON.stringify({
        action: "originate",
        domain_uuid: DEMO_DOMAIN_UUID,
        caller_id_number: "100",
        destination_a: "101",
        destination_b: destinationB,
      }),
      auth,
    );
  const sentFor = (number: string) => h.fake.originates.filter((o) => o.raw.includes(`loopback/${number}/`)).length;

  /** Waits for `condition` (the fake switch saw a command), giving up after 15 s on a loaded machine. */
  async function until(condition: () => boolean): Promise<void> {
    for (let i = 0; i < 750 && !condition(); i++) await Bun.sleep(20);
  }

  async function waitForSwitch(): Promise<void> {
    for (let i = 0; i < 100; i++) {
      // The pool itself: /health reuses a probe for 2 s, so it may still show the switch from before the stop.
      if ((await h.switches.health()).every((s) => s.up)) return;
      await Bun.sleep(100);
    }
    throw new Error("the switch connection did not come back");
  }

  /** tRPC calls.originate from extension 100 to 101, ringing `ringFirst` first. */
  const postTrpcOriginate = (ringFirst: string, idempotencyKey?: string) =>
    fetch(`${h.origin}/trpc/calls.originate`, {
      method: "POST",
      headers: { ...auth, "content-type": "application/json" },
      body: JSON.stringify({
        domain_uuid: DEMO_DOMAIN_UUID,
        caller_id_number: "100",
        ring_first: ringFirst,
        connect_to: "101",
        ...(idempotencyKey === undefined ? {} : { idempotency_key: idempotencyKey }),
      }),
    });
  const trpcOriginate = async (ringFirst: string, key: string) => {
    const res = await postTrpcOriginate(ringFirst, key);
    const text = await res.text();
    expect(trpcResponseProblem(res.status, text)).toBeNull();
    expect(res.status).toBe(200);
    return (JSON.parse(text) as { result: { data: Record<string, unknown> } }).result.data;
  };
  const callStatusOf = async (callUuid: string) => {
    const input = encodeURIComponent(JSON.stringify({ call_uuid: callUuid }));
    const res = await fetch(`${h.origin}/trpc/calls.status?input=${input}`, { headers: auth });
    return (JSON.parse(await res.text()) as { result?: { data: { status: string } } }).result?.data.status;
  };
  async function statusBecomes(callUuid: string, status: string): Promise<string | undefined> {
    let last: string | undefined;
    for (let i = 0; i < 150 && last !== status; i++) {
      last = await callStatusOf(callUuid);
      if (last !== status) await Bun.sleep(200);
    }
    return last;
  }

  test("killed mid-originate: the outcome is unknown (504 with the call id), reconnect after restart, the call is reconciled as ended and not placed twice", async () => {
    h.fake.scriptOriginate(/loopback\/5101\//, { kind: "answer", afterMs: 30_000 });
    const pending = originate("5101");
    await until(() => sentFor("5101") > 0);
    expect(sentFor("5101")).toBe(1);
    await h.fake.stop();
    const killed = await pending;
    expect(legacyResponseProblem(killed.status, killed.text)).toBeNull();
    // The switch had the originate: it may have rung. Not "failed": unknown, with the call to follow.
    expect(killed.status).toBe(504);
    const body = JSON.parse(killed.text) as { error: string; message: string; call_uuid: string };
    expect(body.error).toBe("call_outcome_unknown");
    expect(body.message).toContain("FreeSWITCH");
    expect(body.call_uuid).toBe(h.fake.originates.find((o) => o.endpoint.startsWith("loopback/5101/"))!.uuid);

    const whileDown = await originate("5102");
    expect([whileDown.status, whileDown.text]).toEqual([
      500,
      '{"error":"internal_server_error","message":"failed to connect to FreeSWITCH"}',
    ]);

    await h.fake.restart();
    await waitForSwitch();
    // The restarted switch has no such channel: once it has been missing for the grace period, it ended.
    expect(await statusBecomes(body.call_uuid, "ended")).toBe("ended");
    const after = await originate("5103");
    expect(after.status).toBe(200);
    expect(JSON.parse(after.text).success).toBe(true);
    expect([sentFor("5101"), sentFor("5102"), sentFor("5103")]).toEqual([1, 0, 1]);
  }, 90_000);

  test("stalled (SIGSTOP) then resumed: unknown, not failed; the switch places the call once; the same key returns it", async () => {
    h.fake.stall();
    let first: Record<string, unknown>;
    let unsent: { status: number; text: string };
    try {
      first = await trpcOriginate("5401", "stall-api-1");
      expect(first).toMatchObject({ success: false, status: "unknown", hangup_cause: null, replayed: false });
      // A retry while still stalled: the same call, and nothing more is sent.
      expect(await trpcOriginate("5401", "stall-api-1")).toEqual({ ...first, replayed: true });
      // Sent while the connection is being replaced, this one never reaches the socket: a plain failure.
      unsent = await legacyPost(
        h.origin,
        JSON.stringify({
          action: "originate",
          domain_uuid: DEMO_DOMAIN_UUID,
          caller_id_number: "100",
          destination_a: "101",
          destination_b: "5402",
          idempotency_key: "stall-api-2",
        }),
        auth,
      );
    } finally {
      h.fake.resume();
    }
    expect(unsent.status).toBe(500);
    await waitForSwitch();
    expect(await statusBecomes(first.call_uuid as string, "answered")).toBe("answered");
    expect(await trpcOriginate("5401", "stall-api-1")).toMatchObject({
      success: true,
      call_uuid: first.call_uuid,
      status: "answered",
      replayed: true,
    });
    expect(sentFor("5401")).toBe(1);
    expect(sentFor("5402")).toBe(0);
  }, 90_000);

  test("async originate while the switch is down: SERVICE_UNAVAILABLE naming FreeSWITCH, no call record left queued", async () => {
    await h.fake.stop();
    const res = await postTrpcOriginate("5201");
    const text = await res.text();
    expect(trpcResponseProblem(res.status, text)).toBeNull();
    expect(res.status).toBe(503);
    expect(JSON.parse(text).error.message).toContain("FreeSWITCH");
    const [queued] = await h.db.sql<
      { n: number }[]
    >`select count(*)::int as n from switchboard_calls where request->>'ring_first' = '5201'`;
    expect(queued!.n).toBe(0);
    await h.fake.restart();
    await waitForSwitch();
  }, 60_000);

  test("a switch that never answers an originate holds up neither reads nor other calls", async () => {
    h.fake.scriptOriginate(/loopback\/5301\//, { kind: "never" });
    let hungSettled = false;
    const hung = Promise.all([originate("5301"), originate("5301"), originate("5301")]).finally(() => {
      hungSettled = true;
    });
    await until(() => sentFor("5301") >= 3);
    expect(sentFor("5301")).toBe(3);

    const reads = await Promise.all([
      legacyPost(h.origin, DOMAIN_DETAILS, auth),
      legacyPost(h.origin, JSON.stringify({ action: "extension-list", domain_uuid: DEMO_DOMAIN_UUID }), auth),
      fetch(
        `${h.origin}/trpc/domains.details?input=${encodeURIComponent(JSON.stringify({ domain_uuid: DEMO_DOMAIN_UUID }))}`,
        { headers: auth },
      ).then((r) => ({ status: r.status })),
    ]);
    expect(reads.map((r) => r.status)).toEqual([200, 200, 200]);
    const other = await originate("5302");
    expect(other.status).toBe(200);
    expect(JSON.parse(other.text).success).toBe(true);
    const asyncCall = await postTrpcOriginate("5303");
    expect(asyncCall.status).toBe(200);
    expect(hungSettled).toBe(false);

    // Release the hung calls: the switch goes away, so they end with an error instead of the 60 s timeout.
    await h.fake.restart();
    const released = await hung;
    for (const r of released) expect(legacyResponseProblem(r.status, r.text)).toBeNull();
    await waitForSwitch();
  }, 60_000);
});
