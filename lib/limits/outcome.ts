import "server-only";
import { formatResetDuration } from "./format";
import type { Admission, LimitSpec, RateLimitState } from "./types";

// What the memory and Redis limiters share: window geometry, input normalisation, and the
// translation of a raw decision (which limit failed, usage after the decision) into an
// Admission with OpenAI-style state and messages. The decision itself is made by each
// backend (in TypeScript, or in one Lua script), and both follow the rules written here.
//
// Windows. Counts are kept in buckets (1 s for the minute window, 1 min for the day window).
// A count made in bucket b stops counting a full window after the END of bucket b
// (releaseAt). So an admitted request is held for at least 60 s (24 h) and less than 61 s
// (24 h + 1 min): any 60-second span of real time contains at most RPM admitted requests,
// and the window at time t covers buckets firstBucket(t) .. current, 61 of them (1441).

export type WindowSpec = { readonly bucketMs: number; readonly windowMs: number };
export const MINUTE: WindowSpec = { bucketMs: 1_000, windowMs: 60_000 };
export const DAY: WindowSpec = { bucketMs: 60_000, windowMs: 86_400_000 };

export const bucketOf = (w: WindowSpec, now: number) => Math.floor(now / w.bucketMs);
/** When counts made in bucket `b` stop counting. */
export const releaseAt = (w: WindowSpec, b: number) => (b + 1) * w.bucketMs + w.windowMs;
/** Oldest bucket still counted at `now`. */
export const firstBucket = (w: WindowSpec, now: number) => Math.floor((now - w.windowMs) / w.bucketMs);

/** null/NaN → unlimited; anything else → a non-negative integer. */
export function normalizeLimits(l: LimitSpec): LimitSpec {
  const n = (v: number | null | undefined) =>
    v === null || v === undefined || Number.isNaN(v) ? null : v === Infinity ? null : Math.max(0, Math.floor(v));
  return { rpm: n(l.rpm), tpm: n(l.tpm), rpd: n(l.rpd) };
}

/** Token counts are whole and non-negative; a fractional estimate rounds up. */
export function normalizeTokens(t: number): number {
  return Number.isFinite(t) && t > 0 ? Math.ceil(t) : 0;
}

/** Codes shared with the Lua script. */
export const CODE = { ok: 0, rpm: 1, tpm: 2, rpd: 3 } as const;
export type Code = (typeof CODE)[keyof typeof CODE];

export type Usage = { requests: number; tokens: number; /** newest bucket holding counts */ newest: number | null };

export type Outcome = {
  code: Code;
  /** The request alone exceeds the failing limit. */
  tooLarge: boolean;
  /** For a rejection: ms until the failing limit has room for this request. */
  retryMs: number;
  /** For a rejection: usage of the failing limit (before this request). */
  used: number;
  now: number;
  /** Usage after the decision; null for a window that is not tracked (no limit on it). */
  minute: Usage | null;
  day: Usage | null;
};

const LABEL: Record<Exclude<Code, 0>, string> = {
  [CODE.rpm]: "requests per min (RPM)",
  [CODE.tpm]: "tokens per min (TPM)",
  [CODE.rpd]: "requests per day (RPD)",
};

/**
 * remaining = limit − used (after this request when admitted), never below 0 (a reconcile
 * upwards can push usage past the limit).
 * reset = OpenAI's meaning, "time until the rate limit resets to its initial state": the
 * time until the newest bucket holding counts leaves the window, after which usage is 0.
 * When RPM and RPD are both set, the requests headers describe the one with fewer requests
 * remaining (on a tie, the one that resets later): the one that will refuse first.
 * Tokens share the minute window with requests, so resetTokens is measured from the newest
 * bucket of that window (it may hold only a request with 0 tokens: a slightly later, safe
 * answer).
 */
export function buildState(limits: LimitSpec, o: Pick<Outcome, "now" | "minute" | "day">): RateLimitState {
  const reset = (w: WindowSpec, u: Usage | null) =>
    u && u.newest !== null ? Math.max(0, releaseAt(w, u.newest) - o.now) : 0;
  const candidates: { limit: number; remaining: number; reset: number }[] = [];
  if (limits.rpm !== null) {
    candidates.push({ limit: limits.rpm, remaining: Math.max(0, limits.rpm - (o.minute?.requests ?? 0)), reset: reset(MINUTE, o.minute) });
  }
  if (limits.rpd !== null) {
    candidates.push({ limit: limits.rpd, remaining: Math.max(0, limits.rpd - (o.day?.requests ?? 0)), reset: reset(DAY, o.day) });
  }
  candidates.sort((a, b) => a.remaining - b.remaining || b.reset - a.reset);
  const req = candidates[0] ?? null;
  return {
    limitRequests: req?.limit ?? null,
    remainingRequests: req?.remaining ?? null,
    resetRequestsMs: req?.reset ?? null,
    limitTokens: limits.tpm,
    remainingTokens: limits.tpm === null ? null : Math.max(0, limits.tpm - (o.minute?.tokens ?? 0)),
    resetTokensMs: limits.tpm === null ? null : reset(MINUTE, o.minute),
  };
}

/** State when the limiter could not count (Redis unreachable): limits known, usage not. */
export function unknownState(limits: LimitSpec): RateLimitState {
  const limitRequests =
    limits.rpm === null ? limits.rpd : limits.rpd === null ? limits.rpm : Math.min(limits.rpm, limits.rpd);
  return {
    limitRequests,
    remainingRequests: null,
    resetRequestsMs: null,
    limitTokens: limits.tpm,
    remainingTokens: null,
    resetTokensMs: null,
  };
}

/** Turns a rejection into OpenAI's wording. */
export function rejection(limits: LimitSpec, tokens: number, o: Outcome): Extract<Admission, { allowed: false }> {
  const code = o.code as Exclude<Code, 0>;
  const kind = code === CODE.tpm ? "tokens" : "requests";
  const limit = (code === CODE.rpm ? limits.rpm : code === CODE.tpm ? limits.tpm : limits.rpd) ?? 0;
  const requested = code === CODE.tpm ? tokens : 1;
  const state = buildState(limits, o);
  if (o.tooLarge) {
    const message =
      code === CODE.tpm
        ? `Request too large for ${LABEL[code]}: Limit ${limit}, Requested ${requested}. The input or output tokens must be reduced in order to run successfully.`
        : `Rate limit reached for ${LABEL[code]}: Limit ${limit}, Requested ${requested}. No requests are allowed while this limit is 0.`;
    return { allowed: false, kind, retryAfterMs: 0, state, message, tooLarge: true };
  }
  const retryAfterMs = Math.max(0, o.retryMs);
  const message = `Rate limit reached for ${LABEL[code]}: Limit ${limit}, Used ${o.used}, Requested ${requested}. Please try again in ${formatResetDuration(retryAfterMs)}.`;
  return { allowed: false, kind, retryAfterMs, state, message };
}
