/** Readers for FreeSWITCH api replies (docs/event-socket.md §7, §8). */

export type OriginateResult = { ok: true; uuid: string } | { ok: false; cause: string };

/** `+OK <uuid>\n` → the uuid; anything else → null. */
export function parseOkUuid(reply: string): string | null {
  const match = /^\+OK ([0-9a-fA-F-]{36})\s*$/.exec(reply);
  return match ? match[1]!.toLowerCase() : null;
}

/** `-ERR <cause>\n` / `-USAGE: …` → the cause text; anything else → null. */
export function parseErrCause(reply: string): string | null {
  const match = /^-(?:ERR|USAGE:?)\s*([\s\S]*?)\s*$/.exec(reply);
  if (!match) return null;
  return match[1] || reply.trim();
}

/** The outcome of an originate reply (api body or BACKGROUND_JOB body). */
export function parseOriginateReply(reply: string): OriginateResult {
  const uuid = parseOkUuid(reply);
  if (uuid) return { ok: true, uuid };
  return { ok: false, cause: parseErrCause(reply) ?? (reply.trim() || "EMPTY_REPLY") };
}

/**
 * `show … as json`: `{"row_count":N,"rows":[…]}`, or `{"row_count": 0}\n` (no `rows` key) when empty.
 * Throws on anything else (an `-ERR`, a usage text).
 */
export function parseShowJson<Row extends Record<string, string> = Record<string, string>>(reply: string): Row[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(reply);
  } catch {
    throw new Error(`Not a 'show … as json' reply: ${JSON.stringify(reply.slice(0, 80))}`);
  }
  if (typeof parsed !== "object" || parsed === null || !("row_count" in parsed)) {
    throw new Error(`Not a 'show … as json' reply: ${JSON.stringify(reply.slice(0, 80))}`);
  }
  const { row_count: count, rows } = parsed as { row_count: unknown; rows?: unknown };
  if (Number(count) === 0 || rows === undefined) return [];
  if (!Array.isArray(rows)) throw new Error("'show … as json' reply has non-array rows");
  return rows as Row[];
}

/**
 * mod_callcenter's list output: a `|`-separated header line, rows, then `+OK`. An empty list is just
 * `+OK`. Throws on `-ERR …` (e.g. `-ERR Invalid!`, or mod_callcenter not loaded).
 */
export function parsePipeTable(reply: string): Array<Record<string, string>> {
  const lines = reply.split("\n").map((l) => l.replace(/\r$/, ""));
  while (lines.length > 0 && lines[lines.length - 1] === "") lines.pop();
  if (lines[0]?.startsWith("-ERR")) throw new Error(`callcenter_config failed: ${lines[0]}`);
  if (lines[lines.length - 1] !== "+OK")
    throw new Error(`Not a callcenter_config list (no +OK): ${JSON.stringify(reply.slice(0, 80))}`);
  lines.pop();
  if (lines.length === 0) return [];
  const [header, ...rows] = lines;
  const columns = header!.split("|");
  return rows.map((line) => {
    const values = line.split("|");
    const row: Record<string, string> = {};
    columns.forEach((column, i) => {
      row[column] = values[i] ?? "";
    });
    return row;
  });
}

/** `reloadxml` answers `+OK [Success]` or, on an XML error, still `+OK [<error>]`. */
export function parseReloadxml(reply: string): { ok: boolean; message: string } {
  const match = /^\+OK \[([\s\S]*)\]\s*$/.exec(reply);
  if (!match) return { ok: false, message: reply.trim() };
  return { ok: match[1] === "Success", message: match[1]! };
}

/** `callcenter_config queue count …` answers a bare number. */
export function parseCount(reply: string): number {
  const trimmed = reply.trim();
  if (!/^\d+$/.test(trimmed)) throw new Error(`Not a count: ${JSON.stringify(reply.slice(0, 80))}`);
  return Number(trimmed);
}
