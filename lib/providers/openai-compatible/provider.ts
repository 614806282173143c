import "server-only";
import { getConfig } from "@/lib/config";
import { OpenAIError, providerError } from "@/lib/openai/errors";
import { countChatPromptTokens, countCompletionTokens, countTextTokens } from "@/lib/openai/tokens";
import type {
  CallContext,
  ChatRequest,
  ChatChoice,
  ChatResult,
  ChatStreamEvent,
  EmbeddingRequest,
  EmbeddingResult,
  ModelEntry,
  Provider,
  Usage,
} from "@/lib/providers/types";
import { chatBody, completionEvents, mapCompletion, mapEmbeddings, StreamState, type MappedCompletion } from "./mapping";
import { SseReader, type SseEvent } from "./sse";
import { scrub, Transport, type Attempt, type CallSpec, type TransportOptions, type Upstream } from "./transport";

// The provider for every OpenAI-compatible upstream (OpenAI, vLLM, Ollama, llama.cpp server,
// another Gatehouse): the client's request is forwarded nearly as is, and the answer mapped to
// the provider contract. Streams are passed on chunk by chunk as the upstream sends them.

export type OpenAICompatibleOptions = {
  /** Connect + response headers (and a whole non-streamed body). Default UPSTREAM_TIMEOUT_MS. */
  timeoutMs?: number;
  /** Retries after the first attempt. Default UPSTREAM_MAX_RETRIES. */
  maxRetries?: number;
  /** First backoff ceiling, doubled per retry. Default 500 ms. */
  baseDelayMs?: number;
  /** Longest silence between stream chunks. Default: timeoutMs. */
  idleTimeoutMs?: number;
  /** TCP connect alone. Default: min(timeoutMs, 10 s). */
  connectTimeoutMs?: number;
  /** Backoff ceiling. Default 8 s. */
  maxDelayMs?: number;
  /** Longest retry-after honoured by waiting; longer ones go to the client. Default 20 s. */
  maxRetryAfterMs?: number;
};

// Embedding batches are large JSON (2,048 inputs × 3,072 floats is ~130 MB); beyond this the
// response is not something to buffer.
const MAX_BODY_BYTES = 256 << 20;

function upstreamOf(model: ModelEntry): Upstream {
  if (!model.upstream) {
    throw new OpenAIError(500, `The model \`${model.id}\` has no upstream connection configured.`, "server_error");
  }
  return model.upstream;
}

function parseJson(body: Buffer): unknown {
  try {
    return JSON.parse(body.toString("utf8"));
  } catch {
    throw providerError("The upstream model provider returned a malformed response (not JSON)", 502);
  }
}

/** Usage counted locally, for upstreams that report none (or a stream cut short before they could). */
async function estimateUsage(model: ModelEntry, request: ChatRequest, generated: ChatChoice[]): Promise<Usage> {
  return {
    promptTokens: await countChatPromptTokens(model.upstreamId, request.messages, request.tools),
    completionTokens: await countCompletionTokens(model.upstreamId, generated),
    cachedTokens: 0,
  };
}

type Opened = { kind: "sse"; reader: SseReader; first: SseEvent | null } | { kind: "json"; completion: MappedCompletion };

export function createOpenAICompatibleProvider(opts: OpenAICompatibleOptions = {}): Provider {
  // Read at call time, not at import: configuration is validated at start-up, after imports.
  const transport = new Transport((): TransportOptions => {
    const config = opts.timeoutMs === undefined || opts.maxRetries === undefined ? getConfig() : null;
    const timeoutMs = opts.timeoutMs ?? config!.UPSTREAM_TIMEOUT_MS;
    return {
      timeoutMs,
      connectTimeoutMs: opts.connectTimeoutMs ?? Math.min(timeoutMs, 10_000),
      idleTimeoutMs: opts.idleTimeoutMs ?? timeoutMs,
      maxRetries: opts.maxRetries ?? config!.UPSTREAM_MAX_RETRIES,
      baseDelayMs: opts.baseDelayMs ?? 500,
      maxDelayMs: opts.maxDelayMs ?? 8_000,
      maxRetryAfterMs: opts.maxRetryAfterMs ?? 20_000,
    };
  });

  const spec = (upstream: Upstream, path: string, body: Record<string, unknown>, accept: string, ctx: CallContext): CallSpec => ({
    upstream,
    path,
    body,
    accept,
    requestId: ctx.requestId,
    signal: ctx.signal,
  });

  return {
    id: "openai",

    async chat(model: ModelEntry, request: ChatRequest, ctx: CallContext): Promise<ChatResult> {
      const upstream = upstreamOf(model);
      const scrubKey = (s: string) => scrub(s, upstream.apiKey);
      const { value: completion, attempt } = await transport.send(
        spec(upstream, "/chat/completions", chatBody(model, request, false), "application/json", ctx),
        async (a) => mapCompletion(parseJson(await a.readBody(MAX_BODY_BYTES)), scrubKey, ctx.requestId),
      );
      attempt.dispose();
      return {
        choices: completion.choices,
        usage: completion.usage ?? (await estimateUsage(model, request, completion.choices)),
        ...(completion.systemFingerprint ? { systemFingerprint: completion.systemFingerprint } : {}),
      };
    },

    async *chatStream(model: ModelEntry, request: ChatRequest, ctx: CallContext): AsyncGenerator<ChatStreamEvent> {
      const upstream = upstreamOf(model);
      const scrubKey = (s: string) => scrub(s, upstream.apiKey);
      const call = spec(upstream, "/chat/completions", chatBody(model, request, true), "text/event-stream", ctx);
      const state = new StreamState(scrubKey, ctx.requestId);
      let attempt: Attempt | null = null;
      let json: MappedCompletion | null = null;
      try {
        // Retries are possible until the first event has been read; after that, events are
        // handed on as they come and a failure ends the stream with an error.
        const opened = await transport.send<Opened>(call, async (a, res) => {
          if (/^application\/json/i.test(String(res.headers["content-type"] ?? ""))) {
            // A server that ignored `stream: true` answered in one piece.
            return { kind: "json", completion: mapCompletion(parseJson(await a.readBody(MAX_BODY_BYTES)), scrubKey, ctx.requestId) };
          }
          const reader = new SseReader(res, a);
          return { kind: "sse", reader, first: await reader.next() };
        });
        attempt = opened.attempt;
        if (opened.value.kind === "json") {
          attempt.dispose();
          json = opened.value.completion;
          for (const event of completionEvents(json)) yield event;
        } else {
          const { reader } = opened.value;
          let event = opened.value.first;
          let done = false;
          // After an abort nothing more is passed on, even events already buffered.
          while (event && !ctx.signal.aborted) {
            if (event.data.trim() === "[DONE]") {
              done = true;
              break;
            }
            for (const e of state.accept(event.data, event.event)) {
              if (ctx.signal.aborted) break;
              yield e;
            }
            event = await reader.next();
          }
          // A body that ends without [DONE] is fine if every choice finished; otherwise the
          // stream was cut (a proxy timeout, a crashed server) and the answer is incomplete.
          if (!done && !ctx.signal.aborted && (state.unfinished() || !state.anyFinished())) {
            throw providerError("The upstream model provider ended the stream before finishing the response", 502);
          }
        }
      } catch (err) {
        // Aborted by the caller: not an error; the usage of what arrived still follows.
        if (!ctx.signal.aborted) throw transport.streamError(err, call);
      } finally {
        attempt?.dispose();
      }
      const usage = json ? json.usage : state.usage;
      yield { type: "usage", usage: usage ?? (await estimateUsage(model, request, json ? json.choices : state.receivedChoices())) };
    },

    async embed(model: ModelEntry, request: EmbeddingRequest, ctx: CallContext): Promise<EmbeddingResult> {
      const upstream = upstreamOf(model);
      const scrubKey = (s: string) => scrub(s, upstream.apiKey);
      const body: Record<string, unknown> = { model: model.upstreamId, input: request.inputs, encoding_format: "float" };
      if (request.dimensions != null) body.dimensions = request.dimensions;
      if (typeof request.raw.user === "string") body.user = request.raw.user;
      const { value, attempt } = await transport.send(spec(upstream, "/embeddings", body, "application/json", ctx), async (a) =>
        mapEmbeddings(parseJson(await a.readBody(MAX_BODY_BYTES)), request.inputs.length, scrubKey),
      );
      attempt.dispose();
      let promptTokens = value.promptTokens;
      if (promptTokens === null) {
        promptTokens = 0;
        for (const input of request.inputs) {
          promptTokens += typeof input === "string" ? await countTextTokens(model.upstreamId, input) : input.length;
        }
      }
      return { embeddings: value.embeddings, usage: { promptTokens } };
    },

    /** An estimate with our tokenizer: the upstream's reported usage is what gets billed. */
    async countPromptTokens(model: ModelEntry, request: ChatRequest): Promise<number> {
      return countChatPromptTokens(model.upstreamId, request.messages, request.tools, { imageSize: (url) => request.imageSizes?.get(url) });
    },
  };
}
