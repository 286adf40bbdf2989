export interface FailureLimiter {
  /** Seconds until `id` may try again, or 0 when it is not blocked. */
  retryAfter(id: string): number;
  /** Records a failure; returns how many failures `id` has in the current window. */
  fail(id: string): number;
  readonly size: number;
}

/**
 * Counts failed authentications per identifier (an address, a key id) in a sliding window. An identifier
 * with `maxFailures` failures in the window is refused until the oldest of them leaves it. Only that
 * identifier is affected; memory is bounded by pruning and a hard cap.
 */
export function createFailureLimiter(options: { maxFailures: number; windowMs: number; maxTracked?: number; now?: () => number }): FailureLimiter {
  const { maxFailures, windowMs } = options;
  const maxTracked = options.maxTracked ?? 50_000;
  const now = options.now ?? Date.now;
  const failures = new Map<string, number[]>();

  const recent = (id: string, at: number): number[] => {
    const times = failures.get(id);
    if (!times) return [];
    const kept = times.filter((t) => t > at - windowMs);
    if (kept.length === 0) failures.delete(id);
    else if (kept.length !== times.length) failures.set(id, kept);
    return kept;
  };

  return {
    retryAfter(id) {
      const at = now();
      const times = recent(id, at);
      if (times.length < maxFailures) return 0;
      const freeAt = times[times.length - maxFailures]! + windowMs;
      return Math.max(1, Math.ceil((freeAt - at) / 1000));
    },
    fail(id) {
      const at = now();
      const times = recent(id, at);
      if (!failures.has(id) && failures.size >= maxTracked) {
        // Evict the identifier tracked longest (Map keeps insertion order): O(1), no scan under attack.
        const oldest = failures.keys().next().value;
        if (oldest !== undefined) failures.delete(oldest);
      }
      times.push(at);
      // Keep only what can still matter for the decision.
      failures.set(id, times.slice(-maxFailures));
      return times.length;
    },
    get size() {
      return failures.size;
    },
  };
}
