/** Readers for the text FreeSWITCH answers to `show … as json` and `callcenter_config … list` (esl.md §3). */

export type SwitchRow = Record<string, string>;

/**
 * `show channels|registrations … as json`: `{"row_count":N,"rows":[…]}`, or `{"row_count": 0}\n` with no
 * `rows` key when empty. Values are strings as FreeSWITCH prints them.
 */
export function parseShowJson(body: string): SwitchRow[] {
  const parsed = JSON.parse(body) as { row_count?: unknown; rows?: unknown };
  if (!parsed || typeof parsed !== "object") throw new Error("unexpected reply to show … as json");
  if (!Array.isArray(parsed.rows)) return [];
  return parsed.rows.filter((r): r is SwitchRow => !!r && typeof r === "object");
}

export type PipeTable = { ok: true; rows: SwitchRow[] } | { ok: false; reason: string };

/**
 * The original's `parse_fs`: the last line must be `+OK`; the first of the others names the `|`-separated
 * columns and each further line becomes a row. A reply with no rows is just `+OK`.
 */
export function parsePipeTable(body: string): PipeTable {
  const lines = body.trim().split("\n").map((l) => l.replace(/\r$/, ""));
  const status = lines.pop() ?? "";
  if (status !== "+OK") return { ok: false, reason: status };
  const header = lines.shift();
  if (header === undefined) return { ok: true, rows: [] };
  const names = header.split("|");
  const rows = lines
    .filter((line) => line !== "")
    .map((line) => {
      const values = line.split("|");
      const row: SwitchRow = {};
      names.forEach((name, i) => {
        row[name] = values[i] ?? "";
      });
      return row;
    });
  return { ok: true, rows };
}
