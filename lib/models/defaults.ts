import type { ModelCapability } from "@/lib/providers/types";

// Defaults the catalog is seeded with. Every figure is editable by admins afterwards; these
// only fill rows that do not exist yet. Prices are integer micro-dollars per 1M tokens.

export type KnownModel = {
  contextWindow: number;
  capabilities: ModelCapability[];
  inputPriceMicros: number;
  cachedInputPriceMicros: number | null;
  outputPriceMicros: number | null;
  /** Per 1M training tokens, for models the upstream can fine-tune. */
  trainingPriceMicros?: number | null;
};

const CHAT: ModelCapability[] = ["chat", "tools", "json_schema"];
const usd = (dollars: number) => Math.round(dollars * 1_000_000);

/** OpenAI's public list prices for the models upstream aliases usually point at. */
export const KNOWN_MODELS: Record<string, KnownModel> = {
  "gpt-3.5-turbo": { contextWindow: 16_385, capabilities: CHAT, inputPriceMicros: usd(0.5), cachedInputPriceMicros: null, outputPriceMicros: usd(1.5), trainingPriceMicros: usd(8) },
  "gpt-4": { contextWindow: 8_192, capabilities: ["chat", "tools"], inputPriceMicros: usd(30), cachedInputPriceMicros: null, outputPriceMicros: usd(60) },
  "gpt-4-turbo": { contextWindow: 128_000, capabilities: [...CHAT, "vision"], inputPriceMicros: usd(10), cachedInputPriceMicros: null, outputPriceMicros: usd(30) },
  "gpt-4o": { contextWindow: 128_000, capabilities: [...CHAT, "vision"], inputPriceMicros: usd(5), cachedInputPriceMicros: usd(2.5), outputPriceMicros: usd(15), trainingPriceMicros: usd(25) },
  "gpt-4o-mini": { contextWindow: 128_000, capabilities: [...CHAT, "vision"], inputPriceMicros: usd(0.15), cachedInputPriceMicros: usd(0.075), outputPriceMicros: usd(0.6), trainingPriceMicros: usd(3) },
  "text-embedding-3-small": { contextWindow: 8_191, capabilities: ["embeddings"], inputPriceMicros: usd(0.02), cachedInputPriceMicros: null, outputPriceMicros: null },
  "text-embedding-3-large": { contextWindow: 8_191, capabilities: ["embeddings"], inputPriceMicros: usd(0.13), cachedInputPriceMicros: null, outputPriceMicros: null },
};

/** Upstream models not in the table: served, but unpriced until an admin sets a price. */
export function guessUpstreamModel(upstreamId: string): KnownModel | { contextWindow: number; capabilities: ModelCapability[]; inputPriceMicros: null; cachedInputPriceMicros: null; outputPriceMicros: null } {
  const known = KNOWN_MODELS[upstreamId];
  if (known) return known;
  const embeddings = /embed/i.test(upstreamId);
  return {
    contextWindow: embeddings ? 8_191 : 8_192,
    capabilities: embeddings ? ["embeddings"] : CHAT,
    inputPriceMicros: null,
    cachedInputPriceMicros: null,
    outputPriceMicros: null,
  };
}

/** Local models run on your own hardware; they start with a nominal price admins can change. */
export const LOCAL_MODEL_PRICE = { inputPriceMicros: usd(0.05), cachedInputPriceMicros: null, outputPriceMicros: usd(0.1), trainingPriceMicros: usd(0.1) };

type Limits = { rpm: number | null; tpm: number | null; rpd: number | null };

/**
 * Usage tiers 1-5, per model; "*" is the default for models without their own row (local
 * models included). Shaped after OpenAI's published tiers.
 */
export const TIER_LIMITS: Record<number, Record<string, Limits>> = {
  1: {
    "*": { rpm: 500, tpm: 200_000, rpd: null },
    "gpt-3.5-turbo": { rpm: 500, tpm: 200_000, rpd: 10_000 },
    "gpt-4o": { rpm: 500, tpm: 30_000, rpd: null },
    "gpt-4o-mini": { rpm: 500, tpm: 200_000, rpd: 10_000 },
    "gpt-4": { rpm: 500, tpm: 10_000, rpd: 10_000 },
    "gpt-4-turbo": { rpm: 500, tpm: 30_000, rpd: null },
    "text-embedding-3-small": { rpm: 3_000, tpm: 1_000_000, rpd: null },
    "text-embedding-3-large": { rpm: 3_000, tpm: 1_000_000, rpd: null },
  },
  2: {
    "*": { rpm: 5_000, tpm: 2_000_000, rpd: null },
    "gpt-3.5-turbo": { rpm: 3_500, tpm: 2_000_000, rpd: null },
    "gpt-4o": { rpm: 5_000, tpm: 450_000, rpd: null },
    "gpt-4o-mini": { rpm: 5_000, tpm: 2_000_000, rpd: null },
    "gpt-4": { rpm: 500, tpm: 40_000, rpd: null },
    "gpt-4-turbo": { rpm: 5_000, tpm: 450_000, rpd: null },
    "text-embedding-3-small": { rpm: 5_000, tpm: 1_000_000, rpd: null },
    "text-embedding-3-large": { rpm: 5_000, tpm: 1_000_000, rpd: null },
  },
  3: {
    "*": { rpm: 5_000, tpm: 4_000_000, rpd: null },
    "gpt-3.5-turbo": { rpm: 5_000, tpm: 4_000_000, rpd: null },
    "gpt-4o": { rpm: 5_000, tpm: 800_000, rpd: null },
    "gpt-4o-mini": { rpm: 5_000, tpm: 4_000_000, rpd: null },
    "gpt-4": { rpm: 500, tpm: 80_000, rpd: null },
    "gpt-4-turbo": { rpm: 5_000, tpm: 600_000, rpd: null },
    "text-embedding-3-small": { rpm: 5_000, tpm: 5_000_000, rpd: null },
    "text-embedding-3-large": { rpm: 5_000, tpm: 5_000_000, rpd: null },
  },
  4: {
    "*": { rpm: 10_000, tpm: 10_000_000, rpd: null },
    "gpt-3.5-turbo": { rpm: 10_000, tpm: 10_000_000, rpd: null },
    "gpt-4o": { rpm: 10_000, tpm: 2_000_000, rpd: null },
    "gpt-4o-mini": { rpm: 10_000, tpm: 10_000_000, rpd: null },
    "gpt-4": { rpm: 500, tpm: 300_000, rpd: null },
    "gpt-4-turbo": { rpm: 10_000, tpm: 800_000, rpd: null },
    "text-embedding-3-small": { rpm: 10_000, tpm: 5_000_000, rpd: null },
    "text-embedding-3-large": { rpm: 10_000, tpm: 5_000_000, rpd: null },
  },
  5: {
    "*": { rpm: 10_000, tpm: 30_000_000, rpd: null },
    "gpt-3.5-turbo": { rpm: 10_000, tpm: 50_000_000, rpd: null },
    "gpt-4o": { rpm: 10_000, tpm: 30_000_000, rpd: null },
    "gpt-4o-mini": { rpm: 30_000, tpm: 150_000_000, rpd: null },
    "gpt-4": { rpm: 500, tpm: 1_000_000, rpd: null },
    "gpt-4-turbo": { rpm: 10_000, tpm: 2_000_000, rpd: null },
    "text-embedding-3-small": { rpm: 10_000, tpm: 10_000_000, rpd: null },
    "text-embedding-3-large": { rpm: 10_000, tpm: 10_000_000, rpd: null },
  },
};
