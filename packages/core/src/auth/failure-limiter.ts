export interface FailureLimiter {
  /** Seconds until `id` may try again, or 0 when it is not blocked. */
  retryAfter(id: string): number;
  /**
   * Starts an attempt: 0 and the attempt counts as in flight, or the seconds to wait (nothing counted).
   * In-flight attempts count against the limit, so a parallel burst cannot slip past it.
   */
  begin(id: string): number;
  /** Ends an attempt started with `begin`; a failed one is recorded. Returns the failures in the window. */
  end(id: string, failed: boolean): number;
  /** Records a failure; returns how many failures `id` has in the current window. */
  fail(id: string): number;
  readonly size: number;
}

/**
 * Counts failed authentications per identifier (an address, a key id) in a sliding window. An identifier
 * with `maxFailures` failures (plus attempts still in flight) in the window is refused until the oldest
 * failure leaves it. Only that identifier is affected; memory is bounded by pruning and a hard cap.
 */
export function createFailureLimiter(options: {
  maxFailures: number;
  windowMs: number;
  maxTracked?: number;
  now?: () => number;
}): FailureLimiter {
  const { maxFailures, windowMs } = options;
  const maxTracked = options.maxTracked ?? 50_000;
  const now = options.now ?? Date.now;
  const failures = new Map<string, number[]>();
  const inFlight = new Map<string, number>();

  const recent = (id: string, at: number): number[] => {
    const times = failures.get(id);
    if (!times) return [];
    const kept = times.filter((t) => t > at - windowMs);
    if (kept.length === 0) failures.delete(id);
    else if (kept.length !== times.length) failures.set(id, kept);
    return kept;
  };

  const wait = (id: string, pending: number): number => {
    const at = now();
    const times = recent(id, at);
    if (times.length + pending < maxFailures) return 0;
    // Blocked by attempts still in flight only: they settle within moments.
    if (times.length < maxFailures) return 1;
    const freeAt = times[times.length - maxFailures]! + windowMs;
    return Math.max(1, Math.ceil((freeAt - at) / 1000));
  };

  const fail = (id: string): number => {
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
  };

  return {
    retryAfter: (id) => wait(id, 0),
    begin(id) {
      const pending = inFlight.get(id) ?? 0;
      const seconds = wait(id, pending);
      if (seconds === 0) inFlight.set(id, pending + 1);
      return seconds;
    },
    end(id, failed) {
      const pending = (inFlight.get(id) ?? 1) - 1;
      if (pending <= 0) inFlight.delete(id);
      else inFlight.set(id, pending);
      return failed ? fail(id) : recent(id, now()).length;
    },
    fail,
    get size() {
      return failures.size;
    },
  };
}
