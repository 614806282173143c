import { randomBase62, randomHex } from "@/lib/crypto/random-id";
import type { ChatResult, FinishReason, ToolCall, Usage } from "@/lib/providers/types";

// Response bodies of the /v1 surface, field for field as OpenAI sends them (same keys, same
// nulls, same empty arrays), so SDKs and clients that read the raw JSON see no difference.

/** "chatcmpl-" and 29 base62 characters, the shape of OpenAI's completion ids. */
export function newChatCompletionId(): string {
  return `chatcmpl-${randomBase62(29)}`;
}

/** "req_" and 32 hex characters, the shape of OpenAI's x-request-id. */
export function newRequestId(): string {
  return `req_${randomHex(16)}`;
}

export type UsageBody = {
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
  prompt_tokens_details: { cached_tokens: number; audio_tokens: number };
  completion_tokens_details: {
    reasoning_tokens: number;
    audio_tokens: number;
    accepted_prediction_tokens: number;
    rejected_prediction_tokens: number;
  };
};

export function usageBody(usage: Usage): UsageBody {
  return {
    prompt_tokens: usage.promptTokens,
    completion_tokens: usage.completionTokens,
    total_tokens: usage.promptTokens + usage.completionTokens,
    prompt_tokens_details: { cached_tokens: usage.cachedTokens, audio_tokens: 0 },
    completion_tokens_details: {
      reasoning_tokens: usage.reasoningTokens ?? 0,
      audio_tokens: 0,
      accepted_prediction_tokens: 0,
      rejected_prediction_tokens: 0,
    },
  };
}

export type ChatCompletionMessageBody = {
  role: "assistant";
  content: string | null;
  refusal: string | null;
  tool_calls?: ToolCall[];
  annotations: never[];
};

export type ChatCompletionBody = {
  id: string;
  object: "chat.completion";
  created: number;
  model: string;
  choices: { index: number; message: ChatCompletionMessageBody; logprobs: null; finish_reason: FinishReason }[];
  usage: UsageBody;
  service_tier: "default";
  system_fingerprint: string;
};

export function chatCompletionBody(args: { id: string; created: number; model: string; result: ChatResult; systemFingerprint: string }): ChatCompletionBody {
  const { id, created, model, result } = args;
  return {
    id,
    object: "chat.completion",
    created,
    model,
    choices: result.choices.map((choice) => {
      const toolCalls = choice.message.tool_calls;
      // OpenAI omits tool_calls entirely when the model called none, and sends them after content.
      const message: ChatCompletionMessageBody = {
        role: "assistant",
        content: choice.message.content,
        ...(toolCalls && toolCalls.length > 0
          ? { tool_calls: toolCalls.map((c) => ({ id: c.id, type: "function" as const, function: { name: c.function.name, arguments: c.function.arguments } })) }
          : {}),
        refusal: choice.message.refusal ?? null,
        annotations: [],
      };
      return { index: choice.index, message, logprobs: null, finish_reason: choice.finishReason };
    }),
    usage: usageBody(result.usage),
    service_tier: "default",
    system_fingerprint: result.systemFingerprint ?? args.systemFingerprint,
  };
}

export type EmbeddingsBody = {
  object: "list";
  data: { object: "embedding"; index: number; embedding: number[] | string }[];
  model: string;
  usage: { prompt_tokens: number; total_tokens: number };
};

/** Little-endian float32 bytes in base64, what OpenAI sends for encoding_format "base64". */
export function embeddingToBase64(embedding: readonly number[]): string {
  const view = new DataView(new ArrayBuffer(embedding.length * 4));
  embedding.forEach((v, i) => view.setFloat32(i * 4, v, true));
  return Buffer.from(view.buffer).toString("base64");
}

export function embeddingsBody(model: string, embeddings: number[][], encodingFormat: "float" | "base64", promptTokens: number): EmbeddingsBody {
  return {
    object: "list",
    data: embeddings.map((embedding, index) => ({
      object: "embedding",
      index,
      embedding: encodingFormat === "base64" ? embeddingToBase64(embedding) : embedding,
    })),
    model,
    usage: { prompt_tokens: promptTokens, total_tokens: promptTokens },
  };
}

export type ModelBody = { id: string; object: "model"; created: number; owned_by: string };

export function modelObject(m: { id: string; created: number; ownedBy: string }): ModelBody {
  return { id: m.id, object: "model", created: m.created, owned_by: m.ownedBy };
}

export function modelListBody(models: ModelBody[]): { object: "list"; data: ModelBody[] } {
  return { object: "list", data: models };
}
