import type { Scope } from "@switchboard/core";

/**
 * The permissions a Slack user can hold: core's scopes without `calls-unrestricted` (placing calls outside
 * the dial policy is for the operator's API keys only, never for a Slack user).
 */
export const SLACK_SCOPES = ["read", "write", "calls", "calls-any", "admin"] as const satisfies readonly Scope[];
export type SlackScope = (typeof SLACK_SCOPES)[number];

export function isSlackScope(value: string): value is SlackScope {
  return (SLACK_SCOPES as readonly string[]).includes(value);
}

/** What each permission lets a user do, for `/pbx admin help`. */
export const SLACK_SCOPE_MEANING: Record<SlackScope, string> = {
  read: "see extensions, numbers, ring groups, calls and phones",
  write: "create, change and delete them",
  calls: "place calls from their own extension",
  "calls-any": "place calls from any extension of the domain",
  admin: "everything, and /pbx admin",
};

/**
 * Applies `read,write` (replaces), or `+calls -write` (adds and removes) to a user's current scopes.
 * Returns the new list, or what a valid value looks like.
 */
export function applyScopeChange(current: readonly string[], words: readonly string[]): SlackScope[] | string {
  const valid = `permissions are ${SLACK_SCOPES.join(", ")}: give a list (read,calls), changes (+calls -write) or none`;
  const items = words
    .flatMap((w) => w.split(","))
    .map((s) => s.trim().toLowerCase())
    .filter(Boolean);
  if (items.length === 0) return valid;
  if (items.length === 1 && items[0] === "none") return [];
  const signed = items.filter((i) => i.startsWith("+") || i.startsWith("-"));
  if (signed.length > 0 && signed.length !== items.length)
    return `Either give the whole list (read,calls) or only changes (+calls -write), not both.`;
  const names = items.map((i) => (signed.length ? i.slice(1) : i));
  const unknown = names.find((n) => !isSlackScope(n));
  if (unknown !== undefined) return `'${unknown}' is not a permission; ${valid}.`;
  if (signed.length === 0) return [...new Set(names as SlackScope[])];
  const next = new Set(current.filter(isSlackScope));
  items.forEach((item, i) => {
    const name = names[i] as SlackScope;
    if (item.startsWith("+")) next.add(name);
    else next.delete(name);
  });
  return SLACK_SCOPES.filter((s) => next.has(s));
}
