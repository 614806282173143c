import type { PlaygroundToolCall, RunError, RunStatus } from "./types";

// Calls the console's chat endpoint and reads its Server-Sent Events by hand: the answer is
// exactly OpenAI's /v1/chat/completions stream, and the page must not pull in an SDK for it.

/** Yields the `data:` payload of each event of an SSE body (events end with a blank line). */
export async function* readSseData(body: ReadableStream<Uint8Array>): AsyncGenerator<string> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let buffer = "";
  const eventOf = (block: string) => {
    const data: string[] = [];
    for (const line of block.split(/\r\n|\r|\n/)) {
      if (line.startsWith("data:")) data.push(line.slice(line[5] === " " ? 6 : 5));
      // Other fields (event:, id:, retry:) and ":" comments carry nothing we use.
    }
    return data.length ? data.join("\n") : null;
  };
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      buffer += decoder.decode(value, { stream: true });
      for (;;) {
        const m = /\r\n\r\n|\n\n|\r\r/.exec(buffer);
        if (!m) break;
        const block = buffer.slice(0, m.index);
        buffer = buffer.slice(m.index + m[0].length);
        const data = eventOf(block);
        if (data !== null) yield data;
      }
    }
    buffer += decoder.decode();
    const data = eventOf(buffer);
    if (data !== null) yield data;
  } finally {
    reader.releaseLock();
  }
}

export type StreamSnapshot = {
  content: string;
  toolCalls: PlaygroundToolCall[];
  finishReason: string | null;
  promptTokens: number | null;
  completionTokens: number | null;
  requestId: string | null;
  ttftMs: number | null;
};

export type StreamResult = StreamSnapshot & {
  status: Exclude<RunStatus, "streaming">;
  error: RunError | null;
  latencyMs: number;
};

type ChunkToolCall = { index?: number; id?: string; type?: string; function?: { name?: string; arguments?: string } };
type Chunk = {
  choices?: { index?: number; delta?: { content?: string | null; refusal?: string | null; tool_calls?: ChunkToolCall[] }; finish_reason?: string | null }[];
  usage?: { prompt_tokens?: number; completion_tokens?: number } | null;
  error?: { message?: string; type?: string; code?: string | number | null; param?: string | null };
};

function errorFrom(status: number | null, body: unknown, headers: Headers | null, fallback?: string): RunError {
  const e = (body && typeof body === "object" && "error" in body ? (body as Chunk).error : null) ?? null;
  const message =
    (e && typeof e.message === "string" && e.message) ||
    fallback ||
    (status ? `The request failed with status ${status}.` : "Could not reach the server. Check your connection and try again.");
  return {
    status,
    message,
    type: e && typeof e.type === "string" ? e.type : null,
    code: e && e.code !== undefined && e.code !== null ? String(e.code) : null,
    param: e && typeof e.param === "string" ? e.param : null,
    retryAfter: headers?.get("retry-after") ?? null,
    resetRequests: headers?.get("x-ratelimit-reset-requests") ?? null,
    resetTokens: headers?.get("x-ratelimit-reset-tokens") ?? null,
    at: Date.now(),
  };
}

function isAbort(err: unknown, signal: AbortSignal) {
  return signal.aborted || (err instanceof DOMException && err.name === "AbortError");
}

/**
 * Streams one chat completion. `onUpdate` gets a fresh snapshot after every chunk (callers
 * throttle rendering). Never throws: aborting resolves with status "stopped" and the partial
 * answer; HTTP, network and in-stream errors resolve with status "error".
 */
export async function streamChatCompletion(opts: {
  url: string;
  body: Record<string, unknown>;
  signal: AbortSignal;
  onUpdate: (snapshot: StreamSnapshot) => void;
}): Promise<StreamResult> {
  const started = performance.now();
  const snap: StreamSnapshot = {
    content: "",
    toolCalls: [],
    finishReason: null,
    promptTokens: null,
    completionTokens: null,
    requestId: null,
    ttftMs: null,
  };
  const copy = (): StreamSnapshot => ({ ...snap, toolCalls: snap.toolCalls.map((c) => ({ ...c, function: { ...c.function } })) });
  const finish = (status: StreamResult["status"], error: RunError | null = null): StreamResult => ({
    ...copy(),
    status,
    error,
    latencyMs: Math.round(performance.now() - started),
  });

  let res: Response;
  try {
    res = await fetch(opts.url, {
      method: "POST",
      headers: { "content-type": "application/json", accept: "text/event-stream" },
      body: JSON.stringify(opts.body),
      signal: opts.signal,
      credentials: "same-origin",
    });
  } catch (err) {
    if (isAbort(err, opts.signal)) return finish("stopped");
    return finish("error", errorFrom(null, null, null));
  }
  snap.requestId = res.headers.get("x-request-id");

  const contentType = res.headers.get("content-type") ?? "";
  if (!res.ok || !res.body || !contentType.includes("text/event-stream")) {
    let body: unknown = null;
    try {
      const text = await res.text();
      body = text ? JSON.parse(text) : null;
    } catch (err) {
      if (isAbort(err, opts.signal)) return finish("stopped");
    }
    if (res.ok && body && typeof body === "object" && !("error" in body)) {
      return finish("error", errorFrom(res.status, null, res.headers, "The server answered without a stream."));
    }
    return finish("error", errorFrom(res.status, body, res.headers));
  }

  // Tool call fragments are merged by their index, as OpenAI streams them.
  const byIndex = new Map<number, PlaygroundToolCall>();
  try {
    for await (const data of readSseData(res.body)) {
      if (data.trim() === "[DONE]") break;
      let chunk: Chunk;
      try {
        chunk = JSON.parse(data) as Chunk;
      } catch {
        continue; // a line we cannot read must not end the answer
      }
      // An error after the stream started arrives as an event of its own (the status was 200).
      if (chunk.error) return finish("error", errorFrom(null, chunk, res.headers, "The answer stopped with an error."));
      let produced = false;
      for (const choice of chunk.choices ?? []) {
        if ((choice.index ?? 0) !== 0) continue;
        const delta = choice.delta ?? {};
        if (typeof delta.content === "string" && delta.content) {
          snap.content += delta.content;
          produced = true;
        }
        if (typeof delta.refusal === "string" && delta.refusal) {
          snap.content += delta.refusal;
          produced = true;
        }
        for (const tc of delta.tool_calls ?? []) {
          const index = tc.index ?? 0;
          let call = byIndex.get(index);
          if (!call) {
            call = { id: tc.id ?? `call_${index}`, type: "function", function: { name: "", arguments: "" } };
            byIndex.set(index, call);
          } else if (tc.id) {
            call.id = tc.id;
          }
          if (tc.function?.name) call.function.name += tc.function.name;
          if (tc.function?.arguments) call.function.arguments += tc.function.arguments;
          produced = true;
        }
        if (choice.finish_reason) snap.finishReason = choice.finish_reason;
      }
      if (produced && snap.ttftMs === null) snap.ttftMs = Math.round(performance.now() - started);
      if (chunk.usage) {
        if (typeof chunk.usage.prompt_tokens === "number") snap.promptTokens = chunk.usage.prompt_tokens;
        if (typeof chunk.usage.completion_tokens === "number") snap.completionTokens = chunk.usage.completion_tokens;
      }
      snap.toolCalls = [...byIndex.entries()].sort((a, b) => a[0] - b[0]).map(([, c]) => c);
      opts.onUpdate(copy());
    }
  } catch (err) {
    if (isAbort(err, opts.signal)) return finish("stopped");
    return finish("error", errorFrom(null, null, res.headers, "The connection closed before the answer was complete."));
  }
  if (opts.signal.aborted) return finish("stopped");
  return finish("done");
}
