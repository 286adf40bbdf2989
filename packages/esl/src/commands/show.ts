import { requireMatch } from "./escape.ts";

export type ShowTable =
  | "channels"
  | "calls"
  | "registrations"
  | "detailed_calls"
  | "bridged_calls"
  | "detailed_bridged_calls";
const TABLES = new Set<string>([
  "channels",
  "calls",
  "registrations",
  "detailed_calls",
  "bridged_calls",
  "detailed_bridged_calls",
]);

/** `show <table> [like <text>] as json`; `like` is a substring match FreeSWITCH runs in SQL, so it is kept to safe characters. */
export function showJsonCommand(table: ShowTable, like?: string): string {
  if (!TABLES.has(table)) throw new Error(`Unknown show table ${JSON.stringify(table)}`);
  if (like === undefined) return `show ${table} as json`;
  const pattern = requireMatch("like", like, /^[A-Za-z0-9@.*#+_-]{1,64}$/, "letters, digits and @ . * # + _ -");
  return `show ${table} like ${pattern} as json`;
}

/** `show registrations as json` (FusionPBX's dashboard reads this). */
export function showRegistrationsCommand(): string {
  return "show registrations as json";
}
