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

/** Under Slack's 3,000 per section text, measured after escaping, with room for the code fence. */
const SECTION_LIMIT = 2900;
/** A table cell longer than this is cut: a monospace table of very long names reads as noise. */
const MAX_CELL = 48;
/** Rows on one page of a list; the rest is one "Next" button (or `<command> <page>`) away. */
export const PAGE_SIZE = 25;

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

function cell(text: string): string {
  const flat = text.replace(/\s+/g, " ");
  return flat.length > MAX_CELL ? `${flat.slice(0, MAX_CELL - 1)}…` : flat;
}

/** Lays rows out in aligned monospace columns (the same text is the plain fallback); long cells are cut. */
export function formatTable(columns: readonly string[], rows: readonly (readonly string[])[]): string {
  const cells = rows.map((r) => r.map(cell));
  const widths = columns.map((c, i) => Math.max(c.length, ...cells.map((r) => (r[i] ?? "").length)));
  const line = (row: readonly string[]) =>
    row
      .map((value, i) => (i === row.length - 1 ? value : value.padEnd(widths[i]!)))
      .join("  ")
      .trimEnd();
  return [line(columns), ...cells.map(line)].join("\n");
}

/** Which page of a list to show, and how to ask for the next one. */
export interface Paging {
  /** 1-based. */
  page: number;
  /** The command that shows a page, for the buttons and the hint: `/ext list ali`. */
  command: string;
  /** What the list was narrowed to, for the title line. */
  search?: string;
}

/** Action ids of the Previous/Next buttons; the value says which command and page (commands/page-buttons.ts). */
export const PAGE_ACTION = { previous: "page_previous", next: "page_next" } as const;

/** The table's escaped lines in monospace sections, each under Slack's limit after escaping. */
function tableSections(table: string): Block[] {
  const blocks: Block[] = [];
  let chunk: string[] = [];
  let size = 0;
  for (const line of table.split("\n").map(escapeMrkdwn)) {
    if (size + line.length + 1 > SECTION_LIMIT && chunk.length > 0) {
      blocks.push(section("```" + chunk.join("\n") + "```"));
      chunk = [];
      size = 0;
    }
    chunk.push(line);
    size += line.length + 1;
  }
  blocks.push(section("```" + chunk.join("\n") + "```"));
  return blocks;
}

/**
 * A titled table in monospace sections under Slack's per-section limit (measured after escaping), with a
 * row count. Given `paging`, one page of PAGE_SIZE rows with Previous/Next buttons.
 */
export function tableReply(
  title: string,
  columns: readonly string[],
  rows: readonly (readonly string[])[],
  emptyText: string,
  paging?: Paging,
): Reply {
  const heading = paging?.search ? `${title} matching “${paging.search}”` : title;
  if (rows.length === 0)
    return {
      text: `${heading}\n${emptyText}`,
      blocks: [section(`*${escapeMrkdwn(heading)}*\n${escapeMrkdwn(emptyText)}`)],
    };
  const pages = paging ? Math.max(1, Math.ceil(rows.length / PAGE_SIZE)) : 1;
  const page = paging ? Math.min(Math.max(1, paging.page), pages) : 1;
  const shown = paging ? rows.slice((page - 1) * PAGE_SIZE, page * PAGE_SIZE) : rows;
  const table = formatTable(columns, shown);
  const count = `${rows.length} ${rows.length === 1 ? "row" : "rows"}`;
  const where =
    pages > 1
      ? `${count}, page ${page} of ${pages}${page < pages ? ` (next: ${paging!.command} ${page + 1})` : ""}`
      : count;
  const blocks: Block[] = [
    section(`*${escapeMrkdwn(heading)}*`),
    ...tableSections(table),
    context(escapeMrkdwn(where)),
  ];
  // A button's value holds at most 2,000 characters; a search that long gets the typed hint only.
  if (paging && pages > 1 && paging.command.length <= 500) {
    const button = (label: string, actionId: string, target: number) => ({
      type: "button" as const,
      action_id: actionId,
      text: { type: "plain_text" as const, text: label },
      value: JSON.stringify({ command: paging.command, page: target }),
    });
    blocks.push({
      type: "actions",
      elements: [
        ...(page > 1 ? [button("Previous", PAGE_ACTION.previous, page - 1)] : []),
        ...(page < pages ? [button("Next", PAGE_ACTION.next, page + 1)] : []),
      ],
    });
  }
  return { text: `${heading}\n${table}\n${where}`, blocks };
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
