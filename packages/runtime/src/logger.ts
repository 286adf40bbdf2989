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

/** A pino logger whose lines read `{"level":"info","time":"<ISO>","service":…,"msg":…, …fields}`. */
export function createLogger(options: LoggerOptions): Logger {
  return pino(
    {
      level: options.level ?? "info",
      base: { service: options.service },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
    },
    options.write ? { write: options.write } : undefined,
  );
}

/** A logger that keeps its lines in memory, parsed, for tests that read what was logged. */
export function createMemoryLogger(service = "test"): { logger: Logger; lines: string[] } {
  const lines: string[] = [];
  return { lines, logger: createLogger({ service, level: "debug", write: (line) => lines.push(line.trimEnd()) }) };
}

/** A logger that writes nothing. */
export const silentLogger: Logger = pino({ level: "silent" });
