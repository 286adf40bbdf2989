import { expect, test } from "bun:test";
import diagnosticsChannel from "node:diagnostics_channel";
import { ensureTracingChannelHasSubscribers } from "./tracing-channel.ts";

test("a tracing channel says whether anyone listens, as Node's does (pino skips its tracing when nobody does)", () => {
  ensureTracingChannelHasSubscribers();
  const channel = diagnosticsChannel.tracingChannel("switchboard.test.tracing");
  expect(channel.hasSubscribers).toBe(false);
  const seen: unknown[] = [];
  const subscriber = { start: (message: unknown) => seen.push(message) };
  channel.subscribe(subscriber);
  expect(channel.hasSubscribers).toBe(true);
  channel.traceSync(() => 1, { line: "x" });
  expect(seen.length).toBe(1);
  channel.unsubscribe(subscriber);
  expect(channel.hasSubscribers).toBe(false);
});

test("pino still hands its lines to a tracing subscriber", async () => {
  const { createMemoryLogger } = await import("./logger.ts");
  const { logger, lines } = createMemoryLogger();
  const seen: unknown[] = [];
  const subscriber = { end: (message: unknown) => seen.push(message) };
  const channel = diagnosticsChannel.tracingChannel("pino_asJson");
  channel.subscribe(subscriber);
  try {
    logger.info({ a: 1 }, "traced");
  } finally {
    channel.unsubscribe(subscriber);
  }
  logger.info("untraced");
  expect(lines.length).toBe(2);
  expect(seen.length).toBe(1);
});
