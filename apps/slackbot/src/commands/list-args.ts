import { type Paging, tableReply } from "../blocks/reply.ts";
import type { Reply } from "../blocks/reply.ts";

/** `[search] [page]` of a list command: a lone whole number is a page (`/ext list 2`), else a search. */
export interface ListArgs {
  search: string | null;
  page: number;
}

const MAX_SEARCH = 100;

export const LIST_USAGE = "[search] [page]";

export function parseListArgs(args: readonly string[]): ListArgs | string {
  const [first, second] = args;
  if (first === undefined) return { search: null, page: 1 };
  if (second === undefined)
    return /^\d{1,4}$/.test(first) ? { search: null, page: Number(first) || 1 } : search(first, 1);
  if (!/^\d{1,4}$/.test(second)) return "The page is a whole number, for example 2.";
  return search(first, Number(second) || 1);
}

function search(text: string, page: number): ListArgs | string {
  if (text.length > MAX_SEARCH) return `A search is at most ${MAX_SEARCH} characters.`;
  return { search: text, page };
}

/** The list's rows narrowed to those with the search in any column (case-insensitive), as one page of a table. */
export function listReply(
  command: string,
  list: ListArgs,
  title: string,
  columns: readonly string[],
  rows: readonly (readonly string[])[],
  emptyText: string,
): Reply {
  const needle = list.search?.toLowerCase();
  const matching = needle ? rows.filter((row) => row.some((cell) => cell.toLowerCase().includes(needle))) : rows;
  const quoted = list.search === null ? "" : /\s/.test(list.search) ? ` "${list.search}"` : ` ${list.search}`;
  const paging: Paging = {
    page: list.page,
    command: `${command}${quoted}`,
    ...(list.search !== null ? { search: list.search } : {}),
  };
  return tableReply(title, columns, matching, needle ? "Nothing matches." : emptyText, paging);
}

/** A Subcommand `check` for list arguments. */
export function checkList(args: readonly string[]): string | null {
  const parsed = parseListArgs(args);
  return typeof parsed === "string" ? parsed : null;
}
