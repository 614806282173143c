// The contract between the /v1 pipeline and model providers (local GGUF, OpenAI-compatible
// upstreams). Requests arrive here already validated (lib/openai/schemas.ts) and with the
// public model id resolved to a catalog entry; providers never see API keys or projects.

export type ModelCapability = "chat" | "embeddings" | "tools" | "json_schema" | "vision";

/** A catalog entry as providers need it. */
export type ModelEntry = {
  /** Public id clients send as `model`. */
  id: string;
  /** Registry key of the provider serving it, e.g. "local" or "openai". */
  provider: string;
  /** The provider's own name for it: a GGUF path for local models, the upstream model id otherwise. */
  upstreamId: string;
  /** Upstream connection, for OpenAI-compatible providers (key already decrypted). */
  upstream?: { baseUrl: string; apiKey: string | null };
  contextWindow: number;
  capabilities: ModelCapability[];
};

// ---- chat ----

export type ContentPart =
  | { type: "text"; text: string }
  | { type: "image_url"; image_url: { url: string; detail?: "auto" | "low" | "high" } };

export type ToolCall = { id: string; type: "function"; function: { name: string; arguments: string } };

export type ChatMessage =
  | { role: "system" | "developer"; content: string | ContentPart[]; name?: string }
  | { role: "user"; content: string | ContentPart[]; name?: string }
  | { role: "assistant"; content: string | ContentPart[] | null; name?: string; tool_calls?: ToolCall[]; refusal?: string | null }
  | { role: "tool"; content: string | ContentPart[]; tool_call_id: string };

export type FunctionTool = {
  type: "function";
  function: { name: string; description?: string; parameters?: Record<string, unknown>; strict?: boolean | null };
};

export type ToolChoice = "none" | "auto" | "required" | { type: "function"; function: { name: string } };

export type ResponseFormat =
  | { type: "text" }
  | { type: "json_object" }
  | { type: "json_schema"; json_schema: { name: string; description?: string; schema?: Record<string, unknown>; strict?: boolean | null } };

/** A validated chat request, normalized: legacy functions/function_call become tools/tool_choice. */
export type ChatRequest = {
  messages: ChatMessage[];
  /** Max completion tokens (max_tokens or max_completion_tokens); null = up to the context. */
  maxTokens: number | null;
  temperature: number; // 0..2, default 1
  topP: number; // 0..1, default 1
  n: number; // default 1
  stop: string[]; // up to 4
  presencePenalty: number; // -2..2
  frequencyPenalty: number; // -2..2
  seed: number | null;
  logitBias: Record<string, number> | null;
  tools: FunctionTool[];
  toolChoice: ToolChoice; // "none" when there are no tools
  parallelToolCalls: boolean;
  responseFormat: ResponseFormat;
  user: string | null;
  /** The raw request body, for providers that forward it (OpenAI-compatible upstreams). */
  raw: Record<string, unknown>;
  /** Sizes of the image_url parts, by URL, once the gateway has fetched and checked them. */
  imageSizes?: Map<string, { width: number; height: number }>;
};

export type FinishReason = "stop" | "length" | "tool_calls" | "content_filter" | "function_call";

export type Usage = {
  promptTokens: number;
  completionTokens: number;
  cachedTokens: number;
  reasoningTokens?: number;
};

export type ChatChoice = {
  index: number;
  message: { role: "assistant"; content: string | null; tool_calls?: ToolCall[]; refusal: null };
  finishReason: FinishReason;
};

export type ChatResult = { choices: ChatChoice[]; usage: Usage; systemFingerprint?: string };

/**
 * What a streaming provider yields, in order per choice: deltas, then one finish per choice,
 * then exactly one usage event at the end (also when the stream was cut short by `signal`).
 */
export type ChatStreamEvent =
  | {
      type: "delta";
      index: number;
      content?: string;
      /** Tool-call fragments as OpenAI streams them: `index` per call, `id`/`name` on the first fragment. */
      toolCalls?: { index: number; id?: string; type?: "function"; function: { name?: string; arguments?: string } }[];
    }
  | { type: "finish"; index: number; finishReason: FinishReason }
  | { type: "usage"; usage: Usage };

// ---- embeddings ----

export type EmbeddingRequest = {
  /** One entry per input: text, or token ids. */
  inputs: (string | number[])[];
  dimensions: number | null;
  raw: Record<string, unknown>;
};

export type EmbeddingResult = { embeddings: number[][]; usage: { promptTokens: number } };

// ---- provider ----

export type CallContext = {
  /** Aborted when the client disconnects or the request times out: stop work promptly. */
  signal: AbortSignal;
  requestId: string;
};

export interface Provider {
  /** Registry key, e.g. "local". */
  readonly id: string;
  chat(model: ModelEntry, request: ChatRequest, ctx: CallContext): Promise<ChatResult>;
  chatStream(model: ModelEntry, request: ChatRequest, ctx: CallContext): AsyncIterable<ChatStreamEvent>;
  embed?(model: ModelEntry, request: EmbeddingRequest, ctx: CallContext): Promise<EmbeddingResult>;
  /**
   * Exact prompt token count for admission (TPM reservation, context checks). Providers that
   * cannot count exactly may return an estimate; the usage they report afterwards is what is billed.
   */
  countPromptTokens(model: ModelEntry, request: ChatRequest): Promise<number>;
}
