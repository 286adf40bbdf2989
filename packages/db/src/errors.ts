/**
 * Thrown when Switchboard cannot reach or use its database. The message is one line naming what was
 * tried (address and where the setting came from, never a password) and why, so a start-up script can
 * print it as it is.
 */
export class DatabaseConnectError extends Error {
  override readonly name: string = "DatabaseConnectError";
}

/** The configuration itself is unusable (malformed DATABASE_URL, unreadable config.conf, …). */
export class DatabaseConfigError extends DatabaseConnectError {
  override readonly name: string = "DatabaseConfigError";
}

/** One line: newlines and runs of whitespace collapsed, so errors never print as a block. */
export function oneLine(text: string): string {
  return text.replace(/\s+/g, " ").trim();
}
