import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { formatResetDuration, rateLimitHeaders, type RateLimitState } from "@/lib/limits/rate-limiter";

describe("formatResetDuration (Go's time.Duration format, as OpenAI writes it)", () => {
  const table: [number, string][] = [
    [0, "0s"],
    [20, "20ms"],
    [999, "999ms"],
    [1_000, "1s"],
    [1_500, "1.5s"],
    [8_640, "8.64s"],
    [59_999, "59.999s"],
    [60_000, "1m0s"],
    [61_500, "1m1.5s"],
    [360_000, "6m0s"],
    [3_600_000, "1h0m0s"],
    [3_723_000, "1h2m3s"],
    [86_400_000, "24h0m0s"],
    [1.5, "1.5ms"],
    [0.25, "250µs"],
    [-1_500, "-1.5s"],
  ];
  for (const [ms, text] of table) {
    it(`${ms} ms → ${text}`, () => assert.equal(formatResetDuration(ms), text));
  }

  it("keeps microsecond precision, so float noise does not leak into the text", () => {
    assert.equal(formatResetDuration(0.1 + 0.2), "300µs");
    assert.equal(formatResetDuration(1000.0000001), "1s");
  });
});

describe("rateLimitHeaders", () => {
  const full: RateLimitState = {
    limitRequests: 60,
    remainingRequests: 59,
    resetRequestsMs: 1_000,
    limitTokens: 150_000,
    remainingTokens: 149_984,
    resetTokensMs: 6,
  };

  it("writes all six headers when both limits are set", () => {
    assert.deepEqual(rateLimitHeaders(full), {
      "x-ratelimit-limit-requests": "60",
      "x-ratelimit-remaining-requests": "59",
      "x-ratelimit-reset-requests": "1s",
      "x-ratelimit-limit-tokens": "150000",
      "x-ratelimit-remaining-tokens": "149984",
      "x-ratelimit-reset-tokens": "6ms",
    });
  });

  it("omits the headers of an unlimited kind", () => {
    const h = rateLimitHeaders({ ...full, limitTokens: null, remainingTokens: null, resetTokensMs: null });
    assert.deepEqual(Object.keys(h).sort(), [
      "x-ratelimit-limit-requests",
      "x-ratelimit-remaining-requests",
      "x-ratelimit-reset-requests",
    ]);
    const none = rateLimitHeaders({
      limitRequests: null,
      remainingRequests: null,
      resetRequestsMs: null,
      limitTokens: null,
      remainingTokens: null,
      resetTokensMs: null,
    });
    assert.deepEqual(none, {});
  });

  it("keeps the limit but omits unknown remaining/reset (limiter failed open)", () => {
    const h = rateLimitHeaders({ ...full, remainingRequests: null, resetRequestsMs: null, remainingTokens: null, resetTokensMs: null });
    assert.deepEqual(h, { "x-ratelimit-limit-requests": "60", "x-ratelimit-limit-tokens": "150000" });
  });

  it("writes 0 remaining rather than dropping the header", () => {
    assert.equal(rateLimitHeaders({ ...full, remainingRequests: 0 })["x-ratelimit-remaining-requests"], "0");
  });
});
