import "server-only";
import { log } from "@/lib/log";
import {
  bucketOf,
  buildState,
  CODE,
  DAY,
  firstBucket,
  MINUTE,
  normalizeLimits,
  normalizeTokens,
  rejection,
  releaseAt,
  type Code,
  type Outcome,
  type Usage,
  type WindowSpec,
} from "./outcome";
import type { Admission, LimitSpec, RateLimiter, Reservation } from "./types";

// In-process limiter: one instance counts for one process (dev, single-node installs, tests).
// Same rules as the Redis limiter (see outcome.ts); admit() checks and counts synchronously,
// so concurrent requests in this process can never overshoot a limit.

/** One window of one scope: only the buckets that hold counts, oldest first. */
class BucketWindow {
  private ids: number[] = [];
  private req: number[] = [];
  private tok: number[] = [];
  requests = 0;
  tokens = 0;

  constructor(private readonly spec: WindowSpec) {}

  /** Forgets buckets that have left the window at `now`. */
  trim(now: number) {
    const first = firstBucket(this.spec, now);
    let k = 0;
    while (k < this.ids.length && this.ids[k] < first) {
      this.requests -= this.req[k];
      this.tokens -= this.tok[k];
      k++;
    }
    if (k > 0) {
      this.ids.splice(0, k);
      this.req.splice(0, k);
      this.tok.splice(0, k);
    }
  }

  get empty() {
    return this.ids.length === 0;
  }

  usage(): Usage {
    return { requests: this.requests, tokens: this.tokens, newest: this.ids.length ? this.ids[this.ids.length - 1] : null };
  }

  add(now: number, tokens: number) {
    const b = bucketOf(this.spec, now);
    let i = this.ids.length - 1;
    if (i < 0 || this.ids[i] < b) {
      this.ids.push(b);
      this.req.push(1);
      this.tok.push(tokens);
    } else {
      // The current bucket, or an older one when an injected clock stepped back.
      while (i > 0 && this.ids[i] > b) i--;
      if (this.ids[i] === b) {
        this.req[i]++;
        this.tok[i] += tokens;
      } else {
        const at = this.ids[i] < b ? i + 1 : i;
        this.ids.splice(at, 0, b);
        this.req.splice(at, 0, 1);
        this.tok.splice(at, 0, tokens);
      }
    }
    this.requests++;
    this.tokens += tokens;
  }

  /** ms from `now` until `need` requests (or tokens) have left the window. */
  retryAfter(now: number, need: number, field: "req" | "tok"): number {
    const counts = this[field];
    let freed = 0;
    for (let i = 0; i < this.ids.length; i++) {
      freed += counts[i];
      if (freed >= need) return releaseAt(this.spec, this.ids[i]) - now;
    }
    // Only reached when the window holds less than `need` (callers check that it cannot).
    return this.ids.length ? releaseAt(this.spec, this.ids[this.ids.length - 1]) - now : 0;
  }

  /** Adds `delta` tokens to bucket `b` (not below 0); false when `b` is no longer counted. */
  adjust(b: number, delta: number): boolean {
    for (let i = this.ids.length - 1; i >= 0 && this.ids[i] >= b; i--) {
      if (this.ids[i] !== b) continue;
      const next = Math.max(0, this.tok[i] + delta);
      this.tokens += next - this.tok[i];
      this.tok[i] = next;
      return true;
    }
    return false;
  }
}

type ScopeCounts = { minute: BucketWindow | null; day: BucketWindow | null };

/** Checks every configured limit; the first failing one with the longest wait is reported. */
function decide(l: LimitSpec, tokens: number, now: number, m: BucketWindow | null, d: BucketWindow | null): Outcome {
  const o: Outcome = { code: CODE.ok, tooLarge: false, retryMs: 0, used: 0, now, minute: null, day: null };
  const refuse = (code: Code, used: number, tooLarge: boolean, retryMs = 0) => {
    if (o.code === CODE.ok || retryMs > o.retryMs) Object.assign(o, { code, used, tooLarge, retryMs });
  };
  if (l.tpm !== null && tokens > l.tpm) refuse(CODE.tpm, m!.tokens, true);
  else if (l.rpm === 0) refuse(CODE.rpm, m!.requests, true);
  else if (l.rpd === 0) refuse(CODE.rpd, d!.requests, true);
  else {
    if (l.rpm !== null && m!.requests + 1 > l.rpm) {
      refuse(CODE.rpm, m!.requests, false, m!.retryAfter(now, m!.requests + 1 - l.rpm, "req"));
    }
    if (l.tpm !== null && m!.tokens + tokens > l.tpm) {
      refuse(CODE.tpm, m!.tokens, false, m!.retryAfter(now, m!.tokens + tokens - l.tpm, "tok"));
    }
    if (l.rpd !== null && d!.requests + 1 > l.rpd) {
      refuse(CODE.rpd, d!.requests, false, d!.retryAfter(now, d!.requests + 1 - l.rpd, "req"));
    }
  }
  return o;
}

const SWEEP_EVERY_MS = 60_000;
const DEFAULT_MAX_SCOPES = 100_000;

export type MemoryRateLimiter = RateLimiter & {
  /** Scopes currently held in memory (idle ones are dropped). */
  scopeCount(): number;
};

export function createMemoryRateLimiter(opts: { now?: () => number; maxScopes?: number } = {}): MemoryRateLimiter {
  const clock = opts.now ?? Date.now;
  const maxScopes = opts.maxScopes ?? DEFAULT_MAX_SCOPES;
  // Map order doubles as recency order (entries are re-inserted on use): the first entry
  // is the least recently used, which is what goes when the map is full.
  const scopes = new Map<string, ScopeCounts>();
  let lastSweep = clock();
  let lastEvictionWarning = -Infinity;

  /** Drops scopes whose counts have all left their windows. */
  function sweep(now: number) {
    lastSweep = now;
    for (const [key, s] of scopes) {
      s.minute?.trim(now);
      s.day?.trim(now);
      if ((s.minute?.empty ?? true) && (s.day?.empty ?? true)) scopes.delete(key);
    }
  }

  function bound(now: number) {
    if (scopes.size <= maxScopes) return;
    sweep(now);
    let evicted = 0;
    for (const key of scopes.keys()) {
      if (scopes.size <= maxScopes) break;
      scopes.delete(key);
      evicted++;
    }
    if (evicted > 0 && now - lastEvictionWarning >= 60_000) {
      lastEvictionWarning = now;
      log.warn("rate limiter: too many active scopes in memory; forgot the least recently used", { maxScopes, evicted });
    }
  }

  return {
    async admit(scope: string, limits: LimitSpec, tokens: number): Promise<Admission> {
      const now = clock();
      const l = normalizeLimits(limits);
      const t = normalizeTokens(tokens);
      const reservation: Reservation = { scope, tokens: t, at: bucketOf(MINUTE, now) * MINUTE.bucketMs };
      if (now - lastSweep >= SWEEP_EVERY_MS) sweep(now);
      const wantMinute = l.rpm !== null || l.tpm !== null;
      const wantDay = l.rpd !== null;
      if (!wantMinute && !wantDay) {
        return { allowed: true, state: buildState(l, { now, minute: null, day: null }), reservation };
      }

      let s = scopes.get(scope);
      if (s) scopes.delete(scope);
      s ??= { minute: null, day: null };
      scopes.set(scope, s);
      const m = wantMinute ? (s.minute ??= new BucketWindow(MINUTE)) : null;
      const d = wantDay ? (s.day ??= new BucketWindow(DAY)) : null;
      m?.trim(now);
      d?.trim(now);

      const o = decide(l, t, now, m, d);
      if (o.code === CODE.ok) {
        m?.add(now, t);
        d?.add(now, 0);
      }
      o.minute = m?.usage() ?? null;
      o.day = d?.usage() ?? null;
      bound(now);
      if (o.code !== CODE.ok) return rejection(l, t, o);
      return { allowed: true, state: buildState(l, o), reservation };
    },

    async reconcile(reservation: Reservation, actualTokens: number) {
      const actual = normalizeTokens(actualTokens);
      const m = scopes.get(reservation.scope)?.minute;
      if (m) {
        m.trim(clock());
        m.adjust(bucketOf(MINUTE, reservation.at), actual - reservation.tokens);
      }
      reservation.tokens = actual;
    },

    async close() {
      scopes.clear();
    },

    scopeCount: () => scopes.size,
  };
}
