import { OpenAIError } from "@/lib/openai/errors";
import { usageBody, type UsageBody } from "@/lib/openai/responses";
import type { ChatStreamEvent, FinishReason, Usage } from "@/lib/providers/types";

// Server-sent events for streamed chat completions, chunk for chunk as OpenAI streams them.

export const SSE_DONE = "data: [DONE]\n\n";

export function sseEvent(obj: unknown): string {
  return `data: ${JSON.stringify(obj)}\n\n`;
}

type ToolCallDelta = { index: number; id?: string; type?: "function"; function: { name?: string; arguments?: string } };

export type ChunkDelta = {
  role?: "assistant";
  content?: string | null;
  refusal?: string | null;
  tool_calls?: ToolCallDelta[];
};

export type ChatCompletionChunkBody = {
  id: string;
  object: "chat.completion.chunk";
  created: number;
  model: string;
  service_tier: "default";
  system_fingerprint: string;
  choices: { index: number; delta: ChunkDelta; logprobs: null; finish_reason: FinishReason | null }[];
  /** Present on every chunk only when the client asked for stream_options.include_usage. */
  usage?: UsageBody | null;
};

export type ChunkOptions = {
  id: string;
  created: number;
  model: string;
  systemFingerprint: string;
  includeUsage: boolean;
  n: number;
  /** Gets the final usage as soon as the provider reports it (for metering), whether or not the client asked for it. */
  onUsage?: (usage: Usage) => void;
};

/**
 * Turns provider events into OpenAI's chunk sequence: per choice a first chunk carrying the
 * role, then content and tool-call deltas, then an empty delta with the finish reason; with
 * include_usage, `usage: null` on every chunk and a last chunk with no choices and the usage.
 * A choice's first chunk is sent when its first event arrives, so a provider that fails before
 * producing anything fails before the first byte and can still be answered with a plain error.
 */
export async function* chatChunksFromEvents(events: AsyncIterable<ChatStreamEvent>, options: ChunkOptions): AsyncGenerator<ChatCompletionChunkBody> {
  const started = new Set<number>();
  const chunk = (choices: ChatCompletionChunkBody["choices"]): ChatCompletionChunkBody => {
    const c: ChatCompletionChunkBody = {
      id: options.id,
      object: "chat.completion.chunk",
      created: options.created,
      model: options.model,
      service_tier: "default",
      system_fingerprint: options.systemFingerprint,
      choices,
    };
    if (options.includeUsage) c.usage = null;
    return c;
  };
  const choice = (index: number, delta: ChunkDelta, finishReason: FinishReason | null = null) => ({ index, delta, logprobs: null, finish_reason: finishReason });
  function* start(index: number) {
    if (started.has(index)) return;
    started.add(index);
    yield chunk([choice(index, { role: "assistant", content: "", refusal: null })]);
  }

  let usage: Usage | null = null;
  for await (const event of events) {
    switch (event.type) {
      case "delta": {
        yield* start(event.index);
        const delta: ChunkDelta = {};
        if (event.content) delta.content = event.content;
        if (event.toolCalls?.length) {
          delta.tool_calls = event.toolCalls.map((t) => {
            const fn: ToolCallDelta["function"] = {};
            if (t.function.name !== undefined) fn.name = t.function.name;
            if (t.function.arguments !== undefined) fn.arguments = t.function.arguments;
            // OpenAI names the type on a call's first fragment, the one that carries its id.
            const first = t.type !== undefined || t.id !== undefined;
            return {
              index: t.index,
              ...(t.id !== undefined ? { id: t.id } : {}),
              ...(first ? { type: "function" as const } : {}),
              function: fn,
            };
          });
        }
        if (delta.content === undefined && delta.tool_calls === undefined) break;
        yield chunk([choice(event.index, delta)]);
        break;
      }
      case "finish":
        yield* start(event.index);
        yield chunk([choice(event.index, {}, event.finishReason)]);
        break;
      case "usage":
        usage = event.usage;
        options.onUsage?.(event.usage);
        break;
    }
  }
  if (options.includeUsage && usage) {
    yield { ...chunk([]), usage: usageBody(usage) };
  }
}

export type SseStreamOptions = {
  /** Maps an error that is not an OpenAIError (and may log it); the default is a generic server_error. */
  onError?: (err: unknown) => OpenAIError | void;
  /** Called once when the stream ends for any reason: finished, failed or cancelled. */
  onClose?: () => void;
  /** Called when the client goes away before the end. */
  onCancel?: () => void;
};

function streamError(err: unknown, onError: SseStreamOptions["onError"]): OpenAIError {
  if (err instanceof OpenAIError) return err;
  return onError?.(err) ?? new OpenAIError(500, "The server had an error while processing your request. Sorry about that!", "server_error", null, null);
}

/**
 * Each chunk as an SSE event and then `data: [DONE]`. An error mid-stream is written as
 * `data: {"error": {...}}` (which the SDKs raise as an APIError) and ends the stream without
 * [DONE], as OpenAI does. Pull-based, so a slow client slows the producer instead of buffering;
 * `return()` (the client went away) stops the producer.
 */
export async function* sseBody(chunks: AsyncIterable<unknown>, options: SseStreamOptions = {}): AsyncGenerator<string, void, undefined> {
  const iterator = chunks[Symbol.asyncIterator]();
  let ended = false;
  try {
    for (;;) {
      let next: IteratorResult<unknown>;
      try {
        next = await iterator.next();
      } catch (err) {
        ended = true;
        yield sseEvent(streamError(err, options.onError).body());
        return;
      }
      if (next.done) {
        ended = true;
        yield SSE_DONE;
        return;
      }
      yield sseEvent(next.value);
    }
  } finally {
    // Returned early: the client went away before the end.
    if (!ended) {
      options.onCancel?.();
      try {
        // Lets the producer's finally blocks run (stop generation, release the model).
        await iterator.return?.();
      } catch {
        // The client is gone; nothing left to tell it.
      }
    }
    options.onClose?.();
  }
}
