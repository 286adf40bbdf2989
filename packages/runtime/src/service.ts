import type { Logger } from "./logger.ts";
import { guardProcess } from "./process-guard.ts";

/** One line, no stack: what start-up failures print before exiting 1. */
export function startupFailure(error: unknown, prefix = "switchboard"): string {
  const message = error instanceof Error ? error.message : String(error);
  return `${prefix}: ${message.split("\n")[0]}`;
}

/**
 * The life of every Switchboard process: guard against stray errors, start (a failure is one line on
 * stderr and exit 1), then stop cleanly once on SIGINT or SIGTERM.
 */
export async function runService(options: {
  logger: Logger;
  prefix?: string;
  start(): Promise<{ stop(): Promise<void> }>;
}): Promise<void> {
  guardProcess(options.logger);
  let running: { stop(): Promise<void> };
  try {
    running = await options.start();
  } catch (error) {
    console.error(startupFailure(error, options.prefix));
    process.exit(1);
  }
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    await running.stop().catch((error: unknown) => options.logger.error({ error: String(error) }, "stop failed"));
    process.exit(0);
  };
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
}
