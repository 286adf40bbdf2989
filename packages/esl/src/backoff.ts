export interface BackoffOptions {
  /** First delay after a failure. Default 200 ms. */
  initialMs?: number;
  /** Cap. Default 5000 ms. */
  maxMs?: number;
  /** Growth per consecutive failure. Default 2. */
  factor?: number;
}

/** Capped exponential backoff: initial, initial×factor, … up to max; `reset()` after a success. */
export class Backoff {
  private failures = 0;
  private readonly initialMs: number;
  private readonly maxMs: number;
  private readonly factor: number;

  constructor(options: BackoffOptions = {}) {
    this.initialMs = options.initialMs ?? 200;
    this.maxMs = options.maxMs ?? 5000;
    this.factor = options.factor ?? 2;
  }

  /** The delay before the next attempt; each call counts one more failure. */
  next(): number {
    const delay = Math.min(this.maxMs, this.initialMs * this.factor ** this.failures);
    this.failures++;
    return delay;
  }

  reset(): void {
    this.failures = 0;
  }
}
