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
