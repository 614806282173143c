import "server-only";

// UPSTREAM_MODELS: "gpt-4o-mini,gpt-4o,fast=gpt-3.5-turbo". Each entry is a model id served
// under the same name, or `alias=upstream-id` to publish an upstream model under another name.

// Ids as upstreams spell them: OpenAI ("gpt-4o", "ft:gpt-4o-mini:org::abc"), Hugging Face names
// served by vLLM ("meta-llama/Llama-3.1-8B-Instruct"), Ollama tags ("llama3.1:8b").
const MODEL_ID = /^[A-Za-z0-9][A-Za-z0-9._:/@+-]{0,255}$/;

export type UpstreamModelSpec = { id: string; upstreamId: string };

/** Parses UPSTREAM_MODELS; throws an Error naming the first bad entry. A blank spec is no models. */
export function parseUpstreamModels(spec: string): UpstreamModelSpec[] {
  if (spec.trim() === "") return [];
  const models: UpstreamModelSpec[] = [];
  const seen = new Set<string>();
  spec.split(",").forEach((rawEntry, i) => {
    const entry = rawEntry.trim();
    const where = `UPSTREAM_MODELS entry ${i + 1}`;
    if (entry === "") throw new Error(`${where} is empty (check for doubled or trailing commas)`);
    const parts = entry.split("=").map((p) => p.trim());
    if (parts.length > 2) throw new Error(`${where} "${entry}" has more than one "=" (expected alias=upstream-id)`);
    const [id, upstreamId = id] = parts;
    for (const [label, value] of [["model id", id], ["upstream model id", upstreamId]] as const) {
      if (!MODEL_ID.test(value)) {
        throw new Error(
          `${where} "${entry}" has an invalid ${label} "${value}" (letters, digits and . _ : / @ + - only, starting with a letter or digit)`,
        );
      }
    }
    if (seen.has(id)) throw new Error(`${where} "${entry}" repeats the model id "${id}"`);
    seen.add(id);
    models.push({ id, upstreamId });
  });
  return models;
}
