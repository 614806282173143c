import type { AdminModelRow } from "./types";

// Display rules for catalog rows, shared by the table and its dialogs.

export const CAPABILITY_LABELS: Record<string, string> = {
  chat: "Chat",
  embeddings: "Embeddings",
  tools: "Tools",
  json_schema: "JSON schema",
  vision: "Vision",
};

export const SOURCE_LABELS: Record<string, { label: string; hint: string }> = {
  env: { label: "Environment", hint: "From UPSTREAM_MODELS; it returns at every start, so it can only be disabled." },
  discovered: { label: "Discovered", hint: "Found in LOCAL_MODEL_DIR; it returns at every start, so it can only be disabled." },
  console: { label: "Console", hint: "Registered here by an administrator." },
};

export const PROVIDER_LABELS: Record<string, string> = { local: "Local GGUF", openai: "OpenAI-compatible" };

/**
 * Which prices the API needs before it serves the model: an input price always, and an output
 * price for anything that generates text (embeddings produce no output tokens).
 */
export function missingPrices(m: Pick<AdminModelRow, "capabilities" | "inputPriceMicros" | "outputPriceMicros">) {
  const generates = m.capabilities.some((c) => c !== "embeddings");
  return { input: m.inputPriceMicros === null, output: generates && m.outputPriceMicros === null };
}

export function formatTokens(n: number): string {
  return n.toLocaleString("en-US");
}
