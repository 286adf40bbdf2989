import pino from "pino";

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

/** Standard output, written in blocks: the lines of a busy moment share one write (bench/notes.md). */
let standardOutput: ReturnType<typeof pino.destination> | undefined;
function bufferedStandardOutput() {
  if (standardOutput) return standardOutput;
  const destination = pino.destination({ dest: 1, sync: true, minLength: 4096, periodicFlush: FLUSH_EVERY_MS });
  // Whatever is still buffered is written when the process ends, a fatal error's line included.
  process.once("exit", () => destination.flushSync());
  standardOutput = destination;
  return destination;
}

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
