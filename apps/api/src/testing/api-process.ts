import { join } from "node:path";

export interface ApiProcess {
  child: ReturnType<typeof Bun.spawn>;
  /** http://127.0.0.1:<port>, from the start-up banner. */
  origin: string;
  /** Everything it printed so far (stdout and stderr). */
  output: string[];
  /** SIGTERM, then the exit code. */
  stop(): Promise<number>;
}

const apiDir = join(import.meta.dir, "..", "..");

/** `bun run src/server.ts` as its own process with exactly `env`; resolves once it prints where it listens. */
export async function startApiProcess(env: Record<string, string>): Promise<ApiProcess> {
  const child = Bun.spawn(["bun", "run", "src/server.ts"], {
    cwd: apiDir,
    env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", ...env },
    stdout: "pipe",
    stderr: "pipe",
  });
  const output: string[] = [];
  const origin = await new Promise<string>((resolve, reject) => {
    const read = async (stream: ReadableStream<Uint8Array>) => {
      const decoder = new TextDecoder();
      for await (const chunk of stream) {
        output.push(decoder.decode(chunk));
        const match = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(output.join(""));
        if (match) resolve(match[1]!);
      }
    };
    void read(child.stdout as ReadableStream<Uint8Array>);
    void read(child.stderr as ReadableStream<Uint8Array>);
    void child.exited.then((code) =>
      reject(new Error(`the API exited with ${code} before listening:\n${output.join("")}`)),
    );
  });
  return {
    child,
    origin,
    output,
    async stop() {
      child.kill("SIGTERM");
      return child.exited;
    },
  };
}
