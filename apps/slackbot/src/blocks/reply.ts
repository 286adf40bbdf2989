import type { types } from "@slack/bolt";

export type Block = types.KnownBlock;

/** What a command sends back: Block Kit for clients that render it, `text` for notifications and the rest. */
export interface Reply {
  text: string;
  blocks?: Block[];
}

/** Escapes the three characters Slack's mrkdwn treats as markup. */
export function escapeMrkdwn(text: string): string {
  return text.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;");
}

const SECTION_LIMIT = 2900;
const MAX_TABLE_ROWS = 200;

export function section(mrkdwn: string): Block {
  return { type: "section", text: { type: "mrkdwn", text: mrkdwn } };
}

export function context(mrkdwn: string): Block {
  return { type: "context", elements: [{ type: "mrkdwn", text: mrkdwn }] };
}

export function plainReply(text: string): Reply {
  return { text, blocks: [section(escapeMrkdwn(text))] };
}

export function errorReply(message: string, usage?: string): Reply {
  const lines = [`:warning: ${escapeMrkdwn(message)}`];
  if (usage) lines.push(`Usage: \`${escapeMrkdwn(usage)}\``);
  return { text: usage ? `${message}\nUsage: ${usage}` : message, blocks: [section(lines.join("\n"))] };
}

/** Lays rows out in aligned monospace columns (the same text is the plain fallback). */
export function formatTable(columns: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = columns.map((c, i) => Math.max(c.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, i) => (i === cells.length - 1 ? cell : cell.padEnd(widths[i]!)))
      .join("  ")
      .trimEnd();
  return [line(columns), ...rows.map(line)].join("\n");
}

/** A titled table: monospace sections split under Slack's per-section limit, with a row count. */
export function tableReply(
  title: string,
  columns: readonly string[],
  rows: readonly (readonly string[])[],
  emptyText: string,
): Reply {
  if (rows.length === 0)
    return {
      text: `${title}\n${emptyText}`,
      blocks: [section(`*${escapeMrkdwn(title)}*\n${escapeMrkdwn(emptyText)}`)],
    };
  const shown = rows.slice(0, MAX_TABLE_ROWS);
  const table = formatTable(columns, shown);
  const more = rows.length > shown.length ? `\n… and ${rows.length - shown.length} more` : "";
  const blocks: Block[] = [section(`*${escapeMrkdwn(title)}*`)];
  let chunk: string[] = [];
  let size = 0;
  for (const line of table.split("\n")) {
    if (size + line.length + 1 > SECTION_LIMIT && chunk.length > 0) {
      blocks.push(section("```" + escapeMrkdwn(chunk.join("\n")) + "```"));
      chunk = [];
      size = 0;
    }
    chunk.push(line);
    size += line.length + 1;
  }
  blocks.push(section("```" + escapeMrkdwn(chunk.join("\n")) + "```"));
  blocks.push(
    context(`${rows.length} ${rows.length === 1 ? "row" : "rows"}${more ? `, first ${shown.length} shown` : ""}`),
  );
  return { text: `${title}\n${table}${more}`, blocks };
}

/** Field/value pairs as a two-column section (Slack allows ten fields per section). */
export function fieldsReply(title: string, pairs: readonly (readonly [string, string])[], footer?: string): Reply {
  const blocks: Block[] = [section(`*${escapeMrkdwn(title)}*`)];
  for (let i = 0; i < pairs.length; i += 10) {
    blocks.push({
      type: "section",
      fields: pairs
        .slice(i, i + 10)
        .map(([k, v]) => ({ type: "mrkdwn" as const, text: `*${escapeMrkdwn(k)}*\n${escapeMrkdwn(v || "–")}` })),
    });
  }
  if (footer) blocks.push(context(escapeMrkdwn(footer)));
  const text = [title, ...pairs.map(([k, v]) => `${k}: ${v || "–"}`), ...(footer ? [footer] : [])].join("\n");
  return { text, blocks };
}

/** Text of a PDO-typed value for display: null and empty as "", objects as JSON. */
export function show(value: unknown): string {
  if (value === null || value === undefined) return "";
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  return JSON.stringify(value);
}
