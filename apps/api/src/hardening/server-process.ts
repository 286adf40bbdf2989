import { createServer } from "node:net";
import { join } from "node:path";
import type { FakeSwitch } from "@switchboard/esl/testing";
import type { Subprocess } from "bun";

export interface ServerProcess {
  process: Subprocess<"ignore", "ignore", "pipe">;
  origin: string;
  /** The last 200 lines the server wrote to stderr. */
  stderrLines: string[];
  stop(): Promise<void>;
}

/** A free loopback port (bound, then released). */
export async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
  const port = (probe.address() as { port: number }).port;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

/**
 * The server entry itself (apps/api/src/server.ts) as its own process, on `databaseUrl` and the fake
 * switch, so its process guard, settings and driver are what a test exercises. Resolves once /health
 * answers 200.
 */
export async function startServerProcess(databaseUrl: string, fake: FakeSwitch): Promise<ServerProcess> {
  const port = await freePort();
  const origin = `http://127.0.0.1:${port}`;
  const stderrLines: string[] = [];
  const api = Bun.spawn([process.execPath, join(import.meta.dir, "..", "server.ts")], {
    env: {
      PATH: process.env.PATH,
      DATABASE_URL: databaseUrl,
      HOST: "127.0.0.1",
      PORT: String(port),
      ESL_HOST: fake.host,
      ESL_PORT: String(fake.port),
      ESL_PASSWORD: fake.password,
      NODE_ENV: "production",
      // One process: these tests are about the database driver and pool. Workers restarted during a database
      // fault are workers.test.ts's.
      SWITCHBOARD_WORKERS: "1",
    },
    stdout: "ignore",
    stderr: "pipe",
  });
  void (async () => {
    const decoder = new TextDecoder();
    for await (const chunk of api.stderr as ReadableStream<Uint8Array>) {
      for (const line of decoder.decode(chunk).split("\n")) if (line.trim()) stderrLines.push(line.slice(0, 400));
      if (stderrLines.length > 200) stderrLines.splice(0, stderrLines.length - 200);
    }
  })();
  for (let i = 0; i < 150; i++) {
    const up = await fetch(`${origin}/health`).then(
      (r) => r.ok,
      () => false,
    );
    if (up) break;
    if (api.exitCode !== null) throw new Error(`the API exited with ${api.exitCode}`);
    await Bun.sleep(200);
  }
  return {
    process: api,
    origin,
    stderrLines,
    async stop() {
      api.kill();
      await api.exited;
    },
  };
}
