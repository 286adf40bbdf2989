import type { Logger } from "./logger.ts";

/**
 * porsager's client can throw from a timer after PostgreSQL drops a connection mid-write
 * (`socket.write` on a closed socket). That error belongs to one dead connection, which the pool
 * replaces; the process keeps serving. Any other uncaught exception is a bug: log it and exit. A promise
 * rejected with nobody listening is logged; the request it belonged to has already been answered.
 */
export function isDroppedDatabaseSocket(error: unknown): boolean {
  return error instanceof Error && /postgres[/\\]src[/\\]connection\.js/.test(error.stack ?? "");
}

export function guardProcess(logger: Logger, exit: (code: number) => void = (code) => process.exit(code)): void {
  const handle = (error: unknown, kind: "exception" | "rejection") => {
    const survivable = kind === "rejection" || isDroppedDatabaseSocket(error);
    const message =
      kind === "rejection"
        ? "unhandled rejection"
        : survivable
          ? "database connection dropped mid-write; the pool reconnects"
          : "uncaught error";
    const fields = { error: error instanceof Error ? `${error.name}: ${error.message}` : String(error) };
    if (survivable) logger.warn(fields, message);
    else logger.fatal(fields, message);
    if (!survivable) exit(1);
  };
  process.on("uncaughtException", (error) => handle(error, "exception"));
  process.on("unhandledRejection", (reason) => handle(reason, "rejection"));
}
