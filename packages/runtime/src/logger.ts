import pino from "pino";
import { ensureTracingChannelHasSubscribers } from "./tracing-channel.ts";

ensureTracingChannelHasSubscribers();

/** The structured logger every Switchboard process writes with: one JSON object per line. */
export type Logger = pino.Logger;

export interface LoggerOptions {
  /** Which process writes: `api`, `slackbot`, `cli`. */
  service: string;
  /** pino level name (default `info`, or LOG_LEVEL). */
  level?: string;
  /** Where lines go (each a JSON object with a newline); standard output by default. Tests collect them. */
  write?: (line: string) => void;
}

/**
 * Standard output, written in blocks: the lines of a busy moment are joined here and handed to sonic-boom
 * (pino's own writer: partial writes, EAGAIN, flushSync) as one write. sonic-boom's own `minLength`
 * buffering measured the UTF-8 length of its whole growing buffer on every line, which cost more than
 * the line itself (bench/notes.md).
 */
let standardOutput: { write(line: string): void } | undefined;
function bufferedStandardOutput() {
  if (standardOutput) return standardOutput;
  const destination = pino.destination({ dest: 1, sync: true });
  let pending = "";
  const flush = () => {
    if (pending.length === 0) return;
    destination.write(pending);
    pending = "";
  };
  setInterval(flush, FLUSH_EVERY_MS).unref();
  // Whatever is still gathered is written when the process ends, a fatal error's line included.
  process.once("exit", () => {
    flush();
    destination.flushSync();
  });
  standardOutput = {
    write(line) {
      pending += line;
      if (pending.length >= BLOCK_CHARACTERS) flush();
    },
  };
  return standardOutput;
}

/** A block is handed on once it holds this many characters (about one page). */
const BLOCK_CHARACTERS = 4096;

/** The longest a line waits in the buffer when few are written. */
export const FLUSH_EVERY_MS = 100;

/**
 * A pino logger whose lines read `{"level":"info","time":"<ISO>","service":…,"msg":…, …fields}`. To standard
 * output, lines are written when 4 KiB have gathered or after at most FLUSH_EVERY_MS, instead of one system
 * call per line; every line is written before the process exits.
 */
export function createLogger(options: LoggerOptions): Logger {
  return pino(
    {
      level: options.level ?? "info",
      base: { service: options.service },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
    },
    options.write ? { write: options.write } : bufferedStandardOutput(),
  );
}

/** A logger that keeps its lines in memory, parsed, for tests that read what was logged. */
export function createMemoryLogger(service = "test"): { logger: Logger; lines: string[] } {
  const lines: string[] = [];
  return { lines, logger: createLogger({ service, level: "debug", write: (line) => lines.push(line.trimEnd()) }) };
}

/** A logger that writes nothing. */
export const silentLogger: Logger = pino({ level: "silent" });
