// Cost of a request in integer micro-dollars, from per-1M-token prices in micro-dollars.
// Exact integer arithmetic: tokens × price is in "micro-dollars per million", rounded half up
// to whole micro-dollars once per request (never per token, which would over-charge).

export type Prices = {
  inputPriceMicros: number | null;
  cachedInputPriceMicros: number | null;
  outputPriceMicros: number | null;
};

export type TokenCounts = { promptTokens: number; cachedTokens: number; completionTokens: number };

export function costMicros(prices: Prices, t: TokenCounts): bigint {
  const input = BigInt(prices.inputPriceMicros ?? 0);
  // Cached input falls back to the full input price when the model has no cached price.
  const cached = BigInt(prices.cachedInputPriceMicros ?? prices.inputPriceMicros ?? 0);
  const output = BigInt(prices.outputPriceMicros ?? 0);
  const cachedTokens = BigInt(Math.min(t.cachedTokens, t.promptTokens));
  const uncached = BigInt(t.promptTokens) - cachedTokens;
  const scaled = uncached * input + cachedTokens * cached + BigInt(t.completionTokens) * output;
  return (scaled + 500_000n) / 1_000_000n;
}

/**
 * The most a call can cost: every prompt token at the full input price and every output token
 * it may generate, rounded up (a reservation must never be below the charge).
 */
export function maxCostMicros(prices: Prices, promptTokens: number, maxOutputTokens: number): bigint {
  const scaled = BigInt(promptTokens) * BigInt(prices.inputPriceMicros ?? 0) + BigInt(maxOutputTokens) * BigInt(prices.outputPriceMicros ?? 0);
  return (scaled + 999_999n) / 1_000_000n;
}

/** Whether the model can be billed for an endpoint (chat needs input and output prices). */
export function isPriced(prices: Prices, endpoint: "chat" | "embeddings"): boolean {
  if (prices.inputPriceMicros === null) return false;
  return endpoint === "embeddings" || prices.outputPriceMicros !== null;
}

/** "$0.000123" style, for messages and logs. */
export function formatMicros(micros: bigint | number): string {
  const m = BigInt(micros);
  const dollars = m / 1_000_000n;
  const frac = (m % 1_000_000n).toString().padStart(6, "0");
  return `$${dollars}.${frac}`;
}
