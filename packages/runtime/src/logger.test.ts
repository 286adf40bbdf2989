import { expect, test } from "bun:test";
import { createMemoryLogger } from "./logger.ts";

test("one JSON object per line with level name, ISO time, service, message and fields", () => {
  const { logger, lines } = createMemoryLogger("api");
  logger.info({ request_id: "r-1", status: 200 }, "request");
  logger.error({ error: "boom" }, "unhandled error");
  const [info, error] = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
  expect(info).toMatchObject({ level: "info", service: "api", msg: "request", request_id: "r-1", status: 200 });
  expect(error).toMatchObject({ level: "error", msg: "unhandled error", error: "boom" });
  expect(new Date(info!.time as string).toISOString()).toBe(info!.time as string);
});

/** Runs a few lines of code in a fresh process and returns what it wrote to standard output. */
async function stdoutOf(code: string): Promise<string> {
  const logger = new URL("./logger.ts", import.meta.url).pathname;
  const child = Bun.spawn(
    [process.execPath, "-e", `import { createLogger, FLUSH_EVERY_MS } from ${JSON.stringify(logger)};\n${code}`],
    {
      stdout: "pipe",
      stderr: "inherit",
    },
  );
  const text = await new Response(child.stdout).text();
  expect(await child.exited).toBe(0);
  return text;
}

test("standard output: lines logged just before the process exits are all written", async () => {
  const text = await stdoutOf(
    `const log = createLogger({ service: "api" });
     for (let i = 0; i < 3; i++) log.info({ n: i }, "line");
     process.exit(0);`,
  );
  expect(
    text
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line).n),
  ).toEqual([0, 1, 2]);
});

test("standard output: a lone line is written within the flush interval, while the process runs on", async () => {
  const text = await stdoutOf(
    `import { writeSync } from "node:fs";
     const log = createLogger({ service: "api" });
     log.info("early");
     await Bun.sleep(FLUSH_EVERY_MS * 5);
     writeSync(1, "marker\\n");
     process.exit(0);`,
  );
  const lines = text.trim().split("\n");
  expect(JSON.parse(lines[0]!).msg).toBe("early");
  expect(lines[1]).toBe("marker");
});
