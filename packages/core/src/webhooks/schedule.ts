/**
 * When a failed delivery is tried again: the Standard Webhooks / Svix schedule — immediately, then 5 s,
 * 5 min, 30 min, 2 h, 5 h, 10 h and 10 h (about a day in all), each delay ±20 % so that endpoints coming
 * back are not hit by every retry at once. The first attempt is immediate; `RETRY_DELAYS_MS[n]` is the wait
 * after the (n+1)th failed attempt; after the last one the delivery has failed.
 */
export const RETRY_DELAYS_MS: readonly number[] = [
  5_000,
  5 * 60_000,
  30 * 60_000,
  2 * 3_600_000,
  5 * 3_600_000,
  10 * 3_600_000,
  10 * 3_600_000,
];

/** `Retry-After` is honoured up to this long (a 429 asking for a week is taken as 10 h). */
export const MAX_RETRY_AFTER_MS = 10 * 3_600_000;

/**
 * The wait before the next attempt after `attempts` failed ones, or null when the delivery has failed for
 * good. `retryAfterMs` (from a 429 or 503) replaces the schedule's delay when it asks for longer.
 */
export function nextDelayMs(
  attempts: number,
  schedule: readonly number[],
  retryAfterMs: number | null,
  random: () => number = Math.random,
): number | null {
  const base = schedule[attempts - 1];
  if (base === undefined) return null;
  const jittered = Math.round(base * (0.8 + 0.4 * random()));
  if (retryAfterMs === null) return jittered;
  return Math.max(jittered, Math.min(retryAfterMs, MAX_RETRY_AFTER_MS));
}

/** `Retry-After` as milliseconds: delta-seconds or an HTTP date; null when absent or unreadable. */
export function parseRetryAfter(value: string | null | undefined, now: number): number | null {
  if (!value) return null;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  const at = Date.parse(text);
  return Number.isNaN(at) ? null : Math.max(0, at - now);
}
