import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { readdirSync, readFileSync } from "node:fs";
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
import { type ApiProcess, startApiProcess } from "./testing/api-process.ts";
import { startPatiently } from "./startup.ts";
import { waitsForDatabase, workerCount } from "./workers.ts";

describe("SWITCHBOARD_WORKERS", () => {
  test("defaults to the number of cores", () => {
    expect(workerCount({}, 8)).toBe(8);
    expect(workerCount({ SWITCHBOARD_WORKERS: "" }, 2)).toBe(2);
  });
  test("takes an integer from 1 to 64", () => {
    expect(workerCount({ SWITCHBOARD_WORKERS: "1" }, 8)).toBe(1);
    expect(workerCount({ SWITCHBOARD_WORKERS: " 3 " }, 8)).toBe(3);
    for (const bad of ["0", "65", "two", "1.5", "-1"]) {
      expect(() => workerCount({ SWITCHBOARD_WORKERS: bad }, 8)).toThrow(
        `SWITCHBOARD_WORKERS must be an integer from 1 to 64 (default: the number of cores), got '${bad}'`,
      );
    }
  });
});

describe("waiting out a database outage at start-up", () => {
  test("workers after the first, and any worker started again, wait; the first start of the first does not", () => {
    expect(waitsForDatabase({})).toBe(false);
    expect(waitsForDatabase({ SWITCHBOARD_WORKER_INDEX: "0" })).toBe(false);
    expect(waitsForDatabase({ SWITCHBOARD_WORKER_INDEX: "1" })).toBe(true);
    expect(waitsForDatabase({ SWITCHBOARD_WORKER_INDEX: "0", SWITCHBOARD_WORKER_RESTARTED: "1" })).toBe(true);
  });

  test("an outage is tried again with a growing delay; a setting error is not", async () => {
    const outage = Object.assign(new Error("terminating connection due to administrator command"), { code: "57P01" });
    let attempts = 0;
    const lines: string[] = [];
    const started = await startPatiently(
      async () => {
        if (++attempts < 3) throw outage;
        return "up";
      },
      { firstDelayMs: 10, log: (line) => lines.push(line) },
    );
    expect([started, attempts, lines.length]).toEqual(["up", 3, 2]);
    expect(lines[1]).toContain("trying again in 20 ms");
    let tries = 0;
    await expect(
      startPatiently(async () => {
        tries++;
        throw new Error("PORT must be an integer");
      }),
    ).rejects.toThrow("PORT");
    expect(tries).toBe(1);
    await expect(
      startPatiently(
        async () => {
          throw outage;
        },
        { firstDelayMs: 10, giveUpAfterMs: 50 },
      ),
    ).rejects.toThrow("administrator command");
  });
});

/** Processes whose parent is `pid`. */
function childrenOf(pid: number): number[] {
  const children: number[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (Number(/^PPid:\s+(\d+)/m.exec(readFileSync(`/proc/${entry}/status`, "utf8"))?.[1]) === pid)
        children.push(Number(entry));
    } catch {
      // gone meanwhile
    }
  }
  return children;
}

/** Listening TCP sockets on `port` (IPv4), from the kernel's table: one per worker when they share it. */
function listeners(port: number): number {
  const hex = port.toString(16).toUpperCase().padStart(4, "0");
  return readFileSync("/proc/net/tcp", "utf8")
    .split("\n")
    .slice(1)
    .filter((line) => {
      const fields = line.trim().split(/\s+/);
      return fields[1]?.endsWith(`:${hex}`) && fields[3] === "0A";
    }).length;
}

/** The demo data in `db`, a fake switch, and the API with two workers, both bound to its port. */
async function startTwoWorkers(db: TestDatabase): Promise<{ fake: FakeSwitch; api: ApiProcess; port: number }> {
  await migrate(db.sql, { fusionpbx: "create-if-empty", onFusionpbxCreated: (tx) => seedDemo(tx) });
  const fake = await startFakeSwitch();
  const api = await startApiProcess({
    DATABASE_URL: db.url,
    HOST: "127.0.0.1",
    PORT: "0",
    SWITCHBOARD_WORKERS: "2",
    ESL_HOST: fake.host,
    ESL_PORT: String(fake.port),
    ESL_PASSWORD: fake.password,
  });
  const port = Number(new URL(api.origin).port);
  // The banner comes from the first worker; wait for the second to bind too.
  while (listeners(port) < 2) await Bun.sleep(50);
  return { fake, api, port };
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe("two workers on one port", () => {
  let db: TestDatabase;
  let fake: FakeSwitch;
  let api: ApiProcess;
  let port: number;

  beforeAll(async () => {
    db = await createTestDatabase({ prefix: "sb_api_workers" });
    ({ fake, api, port } = await startTwoWorkers(db));
  }, 120_000);

  afterAll(async () => {
    if (api?.child.exitCode === null) await api.stop();
    await fake?.stop();
    await db?.drop();
  }, 60_000);

  const domainList = async () => {
    const response = await fetch(`${api.origin}/app/rest_api/rest.php`, {
      method: "POST",
      headers: { authorization: `Basic ${btoa(`${DEMO_KEY_ID}:${DEMO_KEY_SECRET}`)}`, connection: "close" },
      body: JSON.stringify({ action: "domain-list" }),
    });
    await response.arrayBuffer();
    return response.status;
  };

  test("two processes listen on the one port, and the banner says so once", () => {
    expect(childrenOf(api.child.pid)).toHaveLength(2);
    expect(listeners(port)).toBe(2);
    const banner = api.output.join("");
    expect(banner.match(/Switchboard API listening on/g)).toHaveLength(1);
    expect(banner).toContain(`workers: 2 processes share port ${port}`);
  });

  test("a worker that dies is started again; the other serves meanwhile", async () => {
    const [victim] = childrenOf(api.child.pid);
    process.kill(victim!, "SIGKILL");
    while (alive(victim!)) await Bun.sleep(20);
    const during = await Promise.all(Array.from({ length: 20 }, () => domainList()));
    expect(during.every((s) => s === 200)).toBe(true);
    while (childrenOf(api.child.pid).length < 2 || listeners(port) < 2) await Bun.sleep(50);
    expect(childrenOf(api.child.pid)).not.toContain(victim!);
    const output = api.output.join("");
    expect(output).toMatch(/switchboard: worker [01] was killed by SIGKILL; starting it again in 1 s/);
    expect(output.match(/Switchboard API listening on/g)).toHaveLength(1);
  }, 60_000);

  test("SIGTERM stops every worker and the supervisor exits 0", async () => {
    const workers = childrenOf(api.child.pid);
    expect(await api.stop()).toBe(0);
    expect(workers.filter(alive)).toEqual([]);
    expect(listeners(port)).toBe(0);
  }, 60_000);
});

describe("two workers while the database refuses every connection (a worker is started again meanwhile)", () => {
  let db: TestDatabase;
  let admin: Sql;
  let fake: FakeSwitch;
  let api: ApiProcess;
  let port: number;
  const faultSeconds = Number(process.env.FAULT_SECONDS ?? 3);

  beforeAll(async () => {
    db = await createTestDatabase({ prefix: "sb_api_worker_faults" });
    admin = createSql(PG_TEST_URL, { max: 1 });
    ({ fake, api, port } = await startTwoWorkers(db));
  }, 120_000);

  afterAll(async () => {
    await admin?.unsafe(`alter database "${db.name}" allow_connections true`).catch(() => {});
    if (api?.child.exitCode === null) await api.stop();
    await fake?.stop();
    await admin?.end({ timeout: 1 });
    await db?.drop();
  }, 60_000);

  const migrateRequests = (): boolean => {
    try {
      return readFileSync("/proc/sys/net/ipv4/tcp_migrate_req", "utf8").trim() === "1";
    } catch {
      return false;
    }
  };

  const details = async (): Promise<number> => {
    try {
      const response = await fetch(`${api.origin}/app/rest_api/rest.php`, {
        method: "POST",
        headers: { authorization: `Basic ${btoa(`${DEMO_KEY_ID}:${DEMO_KEY_SECRET}`)}`, connection: "close" },
        body: JSON.stringify({ action: "domain-details", domain_uuid: DEMO_DOMAIN_UUID }),
        signal: AbortSignal.timeout(15_000),
      });
      await response.arrayBuffer();
      return response.status;
    } catch {
      return 0;
    }
  };

  test("the restarted worker waits for the database instead of exiting; every answer meanwhile is 200 or 503", async () => {
    const statuses: number[] = [];
    let stop = false;
    const lanes = Array.from({ length: 4 }, async () => {
      while (!stop) statuses.push(await details());
    });
    while (statuses.length < 8) await Bun.sleep(20);

    // The fault: no new connection to the database, and every open one terminated, again and again.
    await admin.unsafe(`alter database "${db.name}" allow_connections false`);
    const terminate = () =>
      admin`select count(pg_terminate_backend(pid))::int as n from pg_stat_activity where datname = ${db.name} and pid <> pg_backend_pid()`;
    let faulting = true;
    const faults = (async () => {
      while (faulting) {
        await terminate();
        await Bun.sleep(500);
      }
    })();
    // One worker stops (gracefully, so it drops no request) and the supervisor starts it again during the fault.
    const [victim] = childrenOf(api.child.pid);
    process.kill(victim!, "SIGTERM");
    const output = () => api.output.join("");
    const exitLine = /switchboard: worker \d [^\n]*starting it again/;
    const waiting = /database not ready \(attempt 1/;
    const faultStarted = performance.now();
    while (!(exitLine.test(output()) && waiting.test(output())) && performance.now() - faultStarted < 30_000)
      await Bun.sleep(100);
    // The restarted worker has met the outage; the fault goes on a little longer (FAULT_SECONDS).
    await Bun.sleep(faultSeconds * 1000);
    faulting = false;
    await faults;
    await admin.unsafe(`alter database "${db.name}" allow_connections true`);
    const faultsEnded = performance.now();

    let back = false;
    while (!back && performance.now() - faultsEnded < 20_000) {
      back = childrenOf(api.child.pid).length === 2 && listeners(port) === 2;
      if (!back) await Bun.sleep(100);
    }
    let served = 0;
    while (served !== 200 && performance.now() - faultsEnded < 30_000) served = await details();
    stop = true;
    await Promise.all(lanes);

    expect(output().match(/switchboard: worker \d (exited with code [1-9]\d*|was killed)[^\n]*/g) ?? []).toEqual([]);
    expect(output().match(exitLine)?.[0]).toMatch(/exited with code 0/);
    expect(waiting.test(output())).toBe(true);
    expect(back).toBe(true);
    expect(served).toBe(200);
    // Without tcp_migrate_req (deploy/sysctl/90-switchboard.conf; `.ci/run` sets it) Linux resets the
    // connections still queued on the stopping worker's socket: the one loss this test cannot rule out.
    const lostAllowed = migrateRequests() ? [] : statuses.filter((s) => s === 0);
    expect(statuses.filter((s) => s !== 200 && s !== 503)).toEqual(lostAllowed);
    expect(statuses).toContain(503);
    expect(childrenOf(api.child.pid)).not.toContain(victim!);
  }, 120_000);
});
