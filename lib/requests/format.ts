import { costMicros, type Prices } from "@/lib/usage/cost";
import type { CostBreakdown, RateLimitState, RateLimitWindow, StoredJson } from "./types";

// Pure helpers of the request log (server and browser alike): exact money, the cost
// breakdown, rate-limit state from stored headers, bounded JSON for display.

const group3 = (digits: string) => digits.replace(/\B(?=(\d{3})+(?!\d))/g, ",");

/**
 * An exact decimal amount of dollars, from an integer count of 10^-`scale` dollars: every
 * significant digit kept (no rounding, no floats), at least two decimals.
 * `formatScaled(1234n, 6)` → "$0.001234"; `formatScaled(2_500_000n, 6)` → "$2.50".
 */
export function formatScaled(value: bigint | string | number, scale: number): string {
  let v = BigInt(value);
  const negative = v < 0n;
  if (negative) v = -v;
  const unit = 10n ** BigInt(scale);
  const whole = group3((v / unit).toString());
  let frac = (v % unit).toString().padStart(scale, "0").replace(/0+$/, "");
  if (frac.length < 2) frac = frac.padEnd(2, "0");
  return `${negative ? "-" : ""}$${whole}.${frac}`;
}

/** Integer micro-dollars as exact dollars ("$0.000042", "$1.50"). */
export const formatMicros = (micros: bigint | string | number) => formatScaled(micros, 6);

/** Pico-dollars (10^-12 $: tokens × micro-dollars per 1M tokens) as exact dollars. */
export const formatPico = (pico: bigint | string | number) => formatScaled(pico, 12);

/** A price in micro-dollars per 1M tokens, as dollars per 1M ("$0.15 / 1M"). */
export function formatPricePerM(micros: number | null): string {
  return micros === null ? "not priced" : `${formatMicros(micros)} / 1M`;
}

/**
 * What a request costs at `prices`, line by line (uncached input, cached input, output), beside
 * what was recorded when it ran. The total uses lib/usage/cost.ts, the arithmetic the API bills
 * with, so "differs" means the prices changed, not that the display rounds differently.
 */
export function costBreakdown(
  prices: Prices | null,
  tokens: { promptTokens: number; cachedTokens: number; completionTokens: number },
  recordedMicros: string,
): CostBreakdown {
  const cached = Math.min(tokens.cachedTokens, tokens.promptTokens);
  const uncached = tokens.promptTokens - cached;
  const line = (label: string, count: number, price: number | null) => ({
    label,
    tokens: count,
    priceMicros: price,
    amountPico: price === null ? null : (BigInt(count) * BigInt(price)).toString(),
  });
  if (!prices) {
    return {
      modelKnown: false,
      lines: [line("Input", uncached, null), line("Cached input", cached, null), line("Output", tokens.completionTokens, null)],
      todayMicros: null,
      recordedMicros,
      differs: false,
    };
  }
  // Cached input falls back to the full input price when the model has no cached price (as billed).
  const cachedPrice = prices.cachedInputPriceMicros ?? prices.inputPriceMicros;
  const priced = prices.inputPriceMicros !== null && (tokens.completionTokens === 0 || prices.outputPriceMicros !== null);
  const today = priced ? costMicros(prices, tokens).toString() : null;
  return {
    modelKnown: true,
    lines: [
      line("Input", uncached, prices.inputPriceMicros),
      line("Cached input", cached, cachedPrice),
      line("Output", tokens.completionTokens, prices.outputPriceMicros),
    ],
    todayMicros: today,
    recordedMicros,
    differs: today !== null && today !== recordedMicros,
  };
}

/** Stored response headers as sorted [name, value] pairs (string values only), or null. */
export function headerPairs(value: unknown): [string, string][] | null {
  if (!value || typeof value !== "object" || Array.isArray(value)) return null;
  const pairs: [string, string][] = [];
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    if (typeof v === "string" || typeof v === "number") pairs.push([k.toLowerCase(), String(v)]);
  }
  return pairs.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
}

/** The rate-limit state the response reported (x-ratelimit-*, retry-after), or null when it reported none. */
export function rateLimitFrom(headers: [string, string][] | null): RateLimitState | null {
  if (!headers) return null;
  const h = new Map(headers);
  const window = (kind: "requests" | "tokens"): RateLimitWindow | null => {
    const w = {
      limit: h.get(`x-ratelimit-limit-${kind}`) ?? null,
      remaining: h.get(`x-ratelimit-remaining-${kind}`) ?? null,
      reset: h.get(`x-ratelimit-reset-${kind}`) ?? null,
    };
    return w.limit === null && w.remaining === null && w.reset === null ? null : w;
  };
  const state = { requests: window("requests"), tokens: window("tokens"), retryAfter: h.get("retry-after") ?? null };
  return state.requests || state.tokens || state.retryAfter ? state : null;
}

/** Characters of a stored body shown at most; the rest is cut with a note (images in data: URLs get large). */
export const MAX_JSON_CHARS = 200_000;

export function storedJson(value: unknown, max = MAX_JSON_CHARS): StoredJson {
  let text: string;
  try {
    text = JSON.stringify(value, null, 2) ?? "null";
  } catch {
    text = String(value);
  }
  return text.length > max ? { text: text.slice(0, max), truncated: true, size: text.length } : { text, truncated: false, size: text.length };
}

export type StatusTone = "success" | "warning" | "destructive" | "muted";

/** How a status reads at a glance: success, rate limited / cancelled, or failed. */
export function statusTone(status: number, cancelled = false): StatusTone {
  if (cancelled || status === 499) return "muted";
  if (status >= 200 && status < 400) return "success";
  if (status === 429) return "warning";
  return "destructive";
}

/** "842 ms", "12.4 s". */
export function formatLatency(ms: number | null): string {
  if (ms === null) return "—";
  return ms < 10_000 ? `${ms.toLocaleString("en-US")} ms` : `${(ms / 1000).toFixed(1)} s`;
}

export const formatCount = (n: number) => n.toLocaleString("en-US");
