// Fixed-window attempt counters, in process memory. Used for sign-in and sign-up throttling.
// (Several instances each count their own attempts; the API's rate limits use Redis.)

export class AttemptLimiter {
  private windows = new Map<string, { count: number; resetAt: number }>();

  constructor(
    private readonly max: number,
    private readonly windowMs: number,
  ) {}

  /** Seconds until `key` may try again, or 0 when it may try now. Does not count an attempt. */
  retryAfter(key: string, now = Date.now()): number {
    const w = this.windows.get(key);
    if (!w || w.resetAt <= now) return 0;
    return w.count >= this.max ? Math.ceil((w.resetAt - now) / 1000) : 0;
  }

  /** Counts one attempt. */
  hit(key: string, now = Date.now()) {
    const w = this.windows.get(key);
    if (!w || w.resetAt <= now) {
      this.windows.set(key, { count: 1, resetAt: now + this.windowMs });
      if (this.windows.size > 100_000) this.prune(now);
    } else {
      w.count++;
    }
  }

  reset(key: string) {
    this.windows.delete(key);
  }

  private prune(now: number) {
    for (const [k, w] of this.windows) if (w.resetAt <= now) this.windows.delete(k);
  }
}

const g = globalThis as unknown as { __gatehouseSignInLimits?: { account: AttemptLimiter; ip: AttemptLimiter } };
/** 10 failed sign-ins per account and 50 attempts per IP address, per 15 minutes. */
export function signInLimits() {
  return (g.__gatehouseSignInLimits ??= {
    account: new AttemptLimiter(10, 15 * 60_000),
    ip: new AttemptLimiter(50, 15 * 60_000),
  });
}

export function formatWait(seconds: number) {
  return seconds < 90 ? `${seconds} seconds` : `${Math.ceil(seconds / 60)} minutes`;
}
