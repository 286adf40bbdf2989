import { readFileSync } from "node:fs";
import type { Subprocess } from "bun";

export interface Child {
  name: string;
  pid: number;
  /** The first line the process printed, parsed as JSON (servers print their port), if any. */
  hello: Record<string, unknown> | null;
  /** Resident set size in KiB from /proc, or NaN once the process is gone. */
  rssKiB(): number;
  /** Last lines of stderr (and of stdout when it is kept), for diagnostics. */
  tail(): string;
  /** Writes a line to the process's stdin. */
  send(line: string): void;
  stop(): Promise<void>;
}

export interface StartOptions {
  name: string;
  cmd: string[];
  env: Record<string, string | undefined>;
  /** Wait for a first stdout line that is JSON (`{"port":…}`). */
  expectHello?: boolean;
  /** Polled until true (e.g. GET /health answers). */
  ready?: () => Promise<boolean>;
  timeoutMs?: number;
  /**
   * Keep stdout: false sends it to /dev/null (request logs at 20k req/s would otherwise cost the bench
   * process CPU on the same 2 cores). The hello line is still read when expectHello is set.
   */
  keepStdout?: boolean;
}

const TAIL_LINES = 60;

function collect(stream: ReadableStream<Uint8Array>, lines: string[], onLine?: (line: string) => void): void {
  const decoder = new TextDecoder();
  let partial = "";
  void (async () => {
    for await (const chunk of stream) {
      partial += decoder.decode(chunk, { stream: true });
      const parts = partial.split("\n");
      partial = parts.pop() ?? "";
      for (const line of parts) {
        onLine?.(line);
        lines.push(line);
        if (lines.length > TAIL_LINES) lines.shift();
      }
    }
  })().catch(() => {});
}

export async function startChild(options: StartOptions): Promise<Child> {
  const pipeStdout = options.expectHello || options.keepStdout;
  const proc: Subprocess<"pipe", "pipe" | "ignore", "pipe"> = Bun.spawn(options.cmd, {
    env: options.env,
    stdin: "pipe",
    stdout: pipeStdout ? "pipe" : "ignore",
    stderr: "pipe",
  });
  const lines: string[] = [];
  let hello: Record<string, unknown> | null = null;
  let resolveHello: (() => void) | null = null;
  const helloSeen = new Promise<void>((resolve) => {
    resolveHello = resolve;
  });
  if (pipeStdout && proc.stdout instanceof ReadableStream) {
    collect(proc.stdout, lines, (line) => {
      if (hello === null && line.startsWith("{")) {
        try {
          hello = JSON.parse(line) as Record<string, unknown>;
          resolveHello?.();
        } catch {}
      }
    });
  }
  collect(proc.stderr, lines);

  const child: Child = {
    name: options.name,
    pid: proc.pid,
    get hello() {
      return hello;
    },
    rssKiB() {
      try {
        const status = readFileSync(`/proc/${proc.pid}/status`, "utf8");
        return Number(/^VmRSS:\s+(\d+)/m.exec(status)?.[1] ?? Number.NaN);
      } catch {
        return Number.NaN;
      }
    },
    tail: () => lines.join("\n"),
    send(line) {
      proc.stdin.write(`${line}\n`);
      proc.stdin.flush();
    },
    async stop() {
      if (proc.exitCode !== null || proc.signalCode !== null) return;
      proc.kill("SIGTERM");
      const exited = await Promise.race([proc.exited.then(() => true), Bun.sleep(3000).then(() => false)]);
      if (!exited) {
        proc.kill("SIGKILL");
        await proc.exited;
      }
    },
  };

  const deadline = Date.now() + (options.timeoutMs ?? 30_000);
  const failIfExited = () => {
    if (proc.exitCode !== null || proc.signalCode !== null) {
      throw new Error(
        `${options.name} exited (${proc.exitCode ?? proc.signalCode}) before it was ready:\n${child.tail()}`,
      );
    }
  };
  if (options.expectHello) {
    while (hello === null) {
      failIfExited();
      if (Date.now() > deadline) throw new Error(`${options.name} printed no start-up line:\n${child.tail()}`);
      await Promise.race([helloSeen, Bun.sleep(100)]);
    }
  }
  if (options.ready) {
    for (;;) {
      failIfExited();
      if (await options.ready().catch(() => false)) break;
      if (Date.now() > deadline) {
        await child.stop();
        throw new Error(`${options.name} not ready within ${options.timeoutMs ?? 30_000} ms:\n${child.tail()}`);
      }
      await Bun.sleep(150);
    }
  }
  return child;
}

/** A free loopback TCP port (bound, then released). */
export function freePort(): number {
  const server = Bun.serve({ hostname: "127.0.0.1", port: 0, fetch: () => new Response() });
  const port = server.port;
  server.stop(true);
  if (port === undefined) throw new Error("no free port");
  return port;
}
