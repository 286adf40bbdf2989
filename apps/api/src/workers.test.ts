import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { readdirSync, readFileSync } from "node:fs";
import { DEMO_KEY_ID, DEMO_KEY_SECRET, migrate, seedDemo } from "@switchboard/db";
import { createTestDatabase, type TestDatabase } from "@switchboard/db/testing";
import { type FakeSwitch, startFakeSwitch } from "@switchboard/esl/testing";
import { type ApiProcess, startApiProcess } from "./testing/api-process.ts";
import { workerCount } from "./workers.ts";

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
    await migrate(db.sql, { fusionpbx: "create-if-empty", onFusionpbxCreated: (tx) => seedDemo(tx) });
    fake = await startFakeSwitch();
    api = await startApiProcess({
      DATABASE_URL: db.url,
      HOST: "127.0.0.1",
      PORT: "0",
      SWITCHBOARD_WORKERS: "2",
      ESL_HOST: fake.host,
      ESL_PORT: String(fake.port),
      ESL_PASSWORD: fake.password,
    });
    port = Number(new URL(api.origin).port);
    // The banner comes from the first worker; wait for the second to bind too.
    while (listeners(port) < 2) await Bun.sleep(50);
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
