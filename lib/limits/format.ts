import "server-only";
import type { RateLimitState } from "./types";

// OpenAI writes durations (x-ratelimit-reset-*, "Please try again in ...") the way Go's
// time.Duration.String() does, and clients parse them that way: keep the exact format.

/** Writes `v` (an integer count of 10^-prec units) as a decimal without trailing zeros. */
function withFraction(v: bigint, prec: number): string {
  const scale = BigInt(10) ** BigInt(prec);
  const whole = v / scale;
  let frac = (v % scale).toString().padStart(prec, "0").replace(/0+$/, "");
  if (frac) frac = `.${frac}`;
  return `${whole}${frac}`;
}

/**
 * OpenAI's duration format, which is Go's time.Duration String(): "0s", "20ms", "1s",
 * "8.64s", "6m0s", "1h2m3s". Input in milliseconds; kept to microsecond precision so
 * float noise never shows up as "1.0000001ms".
 */
export function formatResetDuration(ms: number): string {
  if (!Number.isFinite(ms)) return "0s";
  const micros = BigInt(Math.round(ms * 1000));
  if (micros === BigInt(0)) return "0s";
  const neg = micros < BigInt(0);
  const u = (neg ? -micros : micros) * BigInt(1000); // nanoseconds
  const sign = neg ? "-" : "";
  const second = BigInt(1_000_000_000);
  if (u < second) {
    // Go switches to smaller units below one second.
    if (u < BigInt(1_000_000)) return `${sign}${withFraction(u, 3)}µs`;
    return `${sign}${withFraction(u, 6)}ms`;
  }
  const totalSeconds = u / second;
  const secondsPart = withFraction((totalSeconds % BigInt(60)) * second + (u % second), 9);
  const totalMinutes = totalSeconds / BigInt(60);
  if (totalMinutes === BigInt(0)) return `${sign}${secondsPart}s`;
  const hours = totalMinutes / BigInt(60);
  const minutes = totalMinutes % BigInt(60);
  if (hours === BigInt(0)) return `${sign}${minutes}m${secondsPart}s`;
  return `${sign}${hours}h${minutes}m${secondsPart}s`;
}

/**
 * OpenAI's headers: x-ratelimit-limit-requests, -limit-tokens, -remaining-requests,
 * -remaining-tokens, -reset-requests, -reset-tokens. A header is omitted when its limit is
 * unlimited, and remaining/reset are omitted when unknown (the limiter failed open).
 */
export function rateLimitHeaders(state: RateLimitState): Record<string, string> {
  const h: Record<string, string> = {};
  const put = (kind: "requests" | "tokens", limit: number | null, remaining: number | null, resetMs: number | null) => {
    if (limit === null) return;
    h[`x-ratelimit-limit-${kind}`] = String(limit);
    if (remaining !== null) h[`x-ratelimit-remaining-${kind}`] = String(remaining);
    if (resetMs !== null) h[`x-ratelimit-reset-${kind}`] = formatResetDuration(resetMs);
  };
  put("requests", state.limitRequests, state.remainingRequests, state.resetRequestsMs);
  put("tokens", state.limitTokens, state.remainingTokens, state.resetTokensMs);
  return h;
}
