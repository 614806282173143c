import "server-only";
import { getConfig } from "@/lib/config";
import { createMemoryRateLimiter } from "./memory";
import { createRedisRateLimiter } from "./redis";
import type { RateLimiter } from "./types";

// Per-scope RPM / TPM / RPD limits for the /v1 gateway. Usage per request:
//   const a = await getRateLimiter().admit(scope, { rpm, tpm, rpd }, promptTokens + maxOutputTokens);
//   ...call the model...
//   await getRateLimiter().reconcile(a.reservation, actualTotalTokens);
// Sliding windows in buckets (rules in outcome.ts); in memory for one process, or on Redis
// (REDIS_URL) for several, where it fails open if Redis is unreachable.

export type { Admission, LimitSpec, RateLimiter, RateLimitState, Reservation } from "./types";
export { createMemoryRateLimiter, type MemoryRateLimiter } from "./memory";
export { createRedisRateLimiter, rateLimiterErrors } from "./redis";
export { formatResetDuration, rateLimitHeaders } from "./format";

const g = globalThis as unknown as { __gatehouseRateLimiter?: RateLimiter };

/** Process singleton: Redis when REDIS_URL is set, else memory (kept on globalThis). */
export function getRateLimiter(): RateLimiter {
  if (!g.__gatehouseRateLimiter) {
    const url = getConfig().REDIS_URL;
    g.__gatehouseRateLimiter = url ? createRedisRateLimiter({ url }) : createMemoryRateLimiter();
  }
  return g.__gatehouseRateLimiter;
}
