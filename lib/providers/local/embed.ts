import "server-only";
import type { Token } from "node-llama-cpp";
import { invalidRequest } from "@/lib/openai/errors";
import type { CallContext, EmbeddingRequest, EmbeddingResult, ModelEntry } from "@/lib/providers/types";
import { embeddingContextFor, leaseModel } from "./model-pool";

/**
 * Embeddings from the model's embedding context. Vectors are L2-normalized, as OpenAI's are, so
 * cosine similarity is a dot product; `dimensions` keeps the first n components and normalizes
 * again (how OpenAI shortens its text-embedding-3 vectors). Embeddings share the model's queue
 * with chat: on CPU they compete for the same cores.
 */
export async function localEmbed(entry: ModelEntry, request: EmbeddingRequest, ctx: CallContext): Promise<EmbeddingResult> {
  const lease = leaseModel(entry);
  try {
    lease.checkCapacity();
    const loaded = await lease.load();
    const native = loaded.model.embeddingVectorSize;
    const dimensions = request.dimensions ?? native;
    if (!Number.isInteger(dimensions) || dimensions < 1 || dimensions > native) {
      throw invalidRequest(`This model's embeddings have ${native} dimensions: 'dimensions' must be between 1 and ${native}.`, "dimensions");
    }
    const embedding = await embeddingContextFor(loaded);
    const window = Math.min(entry.contextWindow > 0 ? entry.contextWindow : Infinity, loaded.contextSize);

    const lengths = request.inputs.map((input, i) => {
      if (typeof input !== "string") {
        const bad = input.find((t) => !Number.isInteger(t) || t < 0 || t >= loaded.vocabularySize);
        if (bad !== undefined) throw invalidRequest(`Invalid token id ${bad} in input[${i}]: this model's token ids are 0 to ${loaded.vocabularySize - 1}.`, "input");
      }
      if (input.length === 0) throw invalidRequest(`input[${i}] is empty: inputs must not be empty.`, "input");
      // As evaluated: with the start token the model expects.
      const length = embedding.calculateInputLength(typeof input === "string" ? input : ([...input] as Token[]));
      if (length > window) {
        throw invalidRequest(
          `This model's maximum context length is ${window} tokens, however you requested ${length} tokens (${length} in your prompt; 0 for the completion). Please reduce your prompt; or completion length.`,
          "input",
          "context_length_exceeded",
        );
      }
      return length;
    });

    const release = await lease.acquireTurn(ctx.signal);
    try {
      const embeddings: number[][] = [];
      for (const input of request.inputs) {
        ctx.signal.throwIfAborted();
        const { vector } = await embedding.getEmbeddingFor(typeof input === "string" ? input : ([...input] as Token[]));
        embeddings.push(normalize(vector.slice(0, dimensions)));
      }
      return { embeddings, usage: { promptTokens: lengths.reduce((a, b) => a + b, 0) } };
    } finally {
      release();
    }
  } finally {
    lease.release();
  }
}

function normalize(vector: readonly number[]): number[] {
  let sum = 0;
  for (const v of vector) sum += v * v;
  const norm = Math.sqrt(sum);
  return norm > 0 ? vector.map((v) => v / norm) : [...vector];
}
