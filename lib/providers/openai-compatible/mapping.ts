import "server-only";
import { z } from "zod";
import { OpenAIError, providerError } from "@/lib/openai/errors";
import type { ChatChoice, ChatRequest, ChatStreamEvent, FinishReason, ModelEntry, ToolCall, Usage } from "@/lib/providers/types";

// Upstream JSON → the provider contract. Schemas are lenient where OpenAI-compatible servers
// differ (nulls vs missing fields, Ollama without tool-call indexes, vLLM extras) and strict
// only where a wrong shape would make the answer meaningless.

// ---- request ----

/** The client's body as the upstream should see it. */
export function chatBody(model: ModelEntry, request: ChatRequest, stream: boolean): Record<string, unknown> {
  const body: Record<string, unknown> = { ...request.raw, model: model.upstreamId };
  delete body.stream_options;
  // Legacy function calling is normalized to tools by validation, and the gateway converts the
  // answer back; upstreams then always answer with tool_calls, which the contract can carry.
  if ("functions" in body || "function_call" in body) {
    delete body.functions;
    delete body.function_call;
    if (request.tools.length > 0) {
      body.tools = request.tools;
      body.tool_choice = request.toolChoice;
    }
  }
  body.stream = stream;
  if (stream) body.stream_options = { include_usage: true };
  return body;
}

// ---- shared pieces ----

const usageSchema = z.object({
  prompt_tokens: z.number().int().nonnegative().nullish(),
  completion_tokens: z.number().int().nonnegative().nullish(),
  prompt_tokens_details: z.object({ cached_tokens: z.number().int().nonnegative().nullish() }).nullish(),
  completion_tokens_details: z.object({ reasoning_tokens: z.number().int().nonnegative().nullish() }).nullish(),
});

export function mapUsage(u: z.infer<typeof usageSchema> | null | undefined): Usage | null {
  if (!u || u.prompt_tokens == null) return null;
  const usage: Usage = {
    promptTokens: u.prompt_tokens,
    completionTokens: u.completion_tokens ?? 0,
    cachedTokens: u.prompt_tokens_details?.cached_tokens ?? 0,
  };
  const reasoning = u.completion_tokens_details?.reasoning_tokens;
  if (reasoning != null) usage.reasoningTokens = reasoning;
  return usage;
}

const FINISH_REASONS = new Set<FinishReason>(["stop", "length", "tool_calls", "content_filter", "function_call"]);

/**
 * Servers invent their own reasons ("eos", "abort"): anything unknown ends like a normal stop.
 * Some (llama.cpp, older vLLM) say "stop" after calling tools; clients loop on "tool_calls".
 */
function mapFinishReason(reason: string | null | undefined, hasToolCalls: boolean): FinishReason {
  const known = reason && FINISH_REASONS.has(reason as FinishReason) ? (reason as FinishReason) : "stop";
  return known === "stop" && hasToolCalls ? "tool_calls" : known;
}

const errorSchema = z.object({
  message: z.string().nullish(),
  type: z.string().nullish(),
  param: z.string().nullish(),
  code: z.union([z.string(), z.number()]).nullish(),
});

/** An error the upstream reported inside a 200 response (in a stream, or as the body). */
function upstreamReportedError(e: unknown, apiKeyScrub: (s: string) => string): OpenAIError {
  const parsed = typeof e === "string" ? { message: e } : errorSchema.safeParse(e).data ?? {};
  const message = parsed.message ? apiKeyScrub(parsed.message) : "unknown error";
  return new OpenAIError(
    502,
    `The upstream model provider reported an error: ${message}`,
    ("type" in parsed && parsed.type) || "server_error",
    ("param" in parsed && parsed.param) || null,
    "code" in parsed && typeof parsed.code === "string" ? parsed.code : null,
  );
}

function malformed(what: string) {
  return providerError(`The upstream model provider returned a malformed ${what}`, 502);
}

/** Content as text: some servers send an array of parts even for assistant output. */
function contentText(content: unknown): string | null {
  if (typeof content === "string") return content;
  if (Array.isArray(content)) {
    return content.map((p) => (p && typeof p === "object" && typeof (p as { text?: unknown }).text === "string" ? (p as { text: string }).text : "")).join("");
  }
  return null;
}

/** Tool arguments must be a JSON string; a few servers send the object itself. */
function argumentsText(args: unknown): string {
  if (typeof args === "string") return args;
  if (args == null) return "";
  return JSON.stringify(args);
}

// ---- non-streaming ----

const toolCallSchema = z.object({
  id: z.string().nullish(),
  type: z.string().nullish(),
  function: z.object({ name: z.string(), arguments: z.unknown() }),
});

const completionSchema = z.object({
  choices: z.array(
    z.object({
      index: z.number().int().nonnegative().nullish(),
      message: z.object({
        content: z.unknown(),
        refusal: z.string().nullish(),
        tool_calls: z.array(toolCallSchema).nullish(),
        function_call: z.object({ name: z.string(), arguments: z.unknown() }).nullish(),
      }),
      finish_reason: z.string().nullish(),
    }),
  ),
  usage: usageSchema.nullish(),
  system_fingerprint: z.string().nullish(),
});

export type MappedCompletion = { choices: ChatChoice[]; usage: Usage | null; systemFingerprint?: string };

export function mapCompletion(json: unknown, scrubKey: (s: string) => string, requestId: string): MappedCompletion {
  if (json && typeof json === "object" && "error" in json && (json as { error: unknown }).error) {
    throw upstreamReportedError((json as { error: unknown }).error, scrubKey);
  }
  const parsed = completionSchema.safeParse(json);
  if (!parsed.success) throw malformed("chat completion");
  const choices = parsed.data.choices.map((c, position): ChatChoice => {
    let toolCalls: ToolCall[] | undefined = c.message.tool_calls?.map((t, i) => ({
      id: t.id || `call_${requestId}_${position}_${i}`,
      type: "function" as const,
      function: { name: t.function.name, arguments: argumentsText(t.function.arguments) },
    }));
    // A server answering in the legacy shape: carry it as the single tool call it is.
    if (!toolCalls?.length && c.message.function_call) {
      const f = c.message.function_call;
      toolCalls = [{ id: `call_${requestId}_${position}_0`, type: "function", function: { name: f.name, arguments: argumentsText(f.arguments) } }];
    }
    // The contract has no refusal text; a refusal is the answer, so it travels as content.
    const content = contentText(c.message.content) ?? c.message.refusal ?? null;
    return {
      index: c.index ?? position,
      message: { role: "assistant", content, ...(toolCalls?.length ? { tool_calls: toolCalls } : {}), refusal: null },
      finishReason: mapFinishReason(c.finish_reason, !!toolCalls?.length),
    };
  });
  if (choices.length === 0) throw malformed("chat completion (no choices)");
  return { choices, usage: mapUsage(parsed.data.usage), systemFingerprint: parsed.data.system_fingerprint ?? undefined };
}

// ---- streaming ----

const chunkSchema = z.object({
  choices: z
    .array(
      z.object({
        index: z.number().int().nonnegative().nullish(),
        delta: z
          .object({
            content: z.string().nullish(),
            refusal: z.string().nullish(),
            tool_calls: z
              .array(
                z.object({
                  index: z.number().int().nonnegative().nullish(),
                  id: z.string().nullish(),
                  type: z.string().nullish(),
                  function: z.object({ name: z.string().nullish(), arguments: z.unknown() }).nullish(),
                }),
              )
              .nullish(),
            function_call: z.object({ name: z.string().nullish(), arguments: z.string().nullish() }).nullish(),
          })
          .nullish(),
        finish_reason: z.string().nullish(),
      }),
    )
    .nullish(),
  usage: usageSchema.nullish(),
});

/**
 * Turns stream chunks into contract events and remembers what it saw: the generated text per
 * choice (to count tokens when the upstream sends no usage), finished choices and the usage.
 */
export class StreamState {
  usage: Usage | null = null;
  private readonly received = new Map<number, { content: string; calls: Map<number, { name: string; arguments: string }> }>();
  private readonly started = new Set<number>();
  private readonly finished = new Set<number>();
  private readonly toolCallSeen = new Set<string>();

  constructor(
    private readonly scrubKey: (s: string) => string,
    private readonly requestId: string,
  ) {}

  /** Events for one `data:` payload (already known not to be "[DONE]"). */
  accept(data: string, eventName: string): ChatStreamEvent[] {
    let json: unknown;
    try {
      json = JSON.parse(data);
    } catch {
      if (eventName === "error") throw upstreamReportedError(data, this.scrubKey);
      throw malformed("stream chunk");
    }
    // Errors mid-stream: OpenAI sends {"error":{...}}, vLLM {"object":"error",...}, some an `event: error`.
    if (json && typeof json === "object") {
      const o = json as Record<string, unknown>;
      if (o.error) throw upstreamReportedError(o.error, this.scrubKey);
      if (o.object === "error" || eventName === "error") throw upstreamReportedError(o, this.scrubKey);
    } else if (eventName === "error") {
      throw upstreamReportedError(String(json), this.scrubKey);
    }
    const parsed = chunkSchema.safeParse(json);
    if (!parsed.success) throw malformed("stream chunk");
    const events: ChatStreamEvent[] = [];
    for (const [position, c] of (parsed.data.choices ?? []).entries()) {
      const index = c.index ?? position;
      const d = c.delta;
      const content = (d?.content ?? "") + (d?.refusal ?? "");
      let toolCalls = d?.tool_calls?.map((t, i) => {
        const callIndex = t.index ?? i;
        const key = `${index}:${callIndex}`;
        const first = !this.toolCallSeen.has(key);
        this.toolCallSeen.add(key);
        const args = t.function?.arguments == null ? undefined : argumentsText(t.function.arguments);
        return {
          index: callIndex,
          // The contract promises id/name on a call's first fragment; invent an id if the server has none.
          ...(t.id ? { id: t.id } : first ? { id: `call_${this.requestId}_${index}_${callIndex}` } : {}),
          ...(first || t.type ? { type: "function" as const } : {}),
          function: {
            ...(t.function?.name ? { name: t.function.name } : {}),
            ...(args !== undefined ? { arguments: args } : {}),
          },
        };
      });
      if (!toolCalls?.length && d?.function_call) {
        const first = !this.toolCallSeen.has(`${index}:0`);
        this.toolCallSeen.add(`${index}:0`);
        const f = d.function_call;
        toolCalls = [
          {
            index: 0,
            ...(first ? { id: `call_${this.requestId}_${index}_0`, type: "function" as const } : {}),
            function: { ...(f.name ? { name: f.name } : {}), ...(f.arguments != null ? { arguments: f.arguments } : {}) },
          },
        ];
      }
      if (content || toolCalls?.length) {
        this.started.add(index);
        this.remember(index, content, toolCalls ?? []);
        events.push({ type: "delta", index, ...(content ? { content } : {}), ...(toolCalls?.length ? { toolCalls } : {}) });
      }
      if (c.finish_reason && !this.finished.has(index)) {
        this.started.add(index);
        this.finished.add(index);
        events.push({ type: "finish", index, finishReason: mapFinishReason(c.finish_reason, this.hasToolCalls(index)) });
      }
    }
    const usage = mapUsage(parsed.data.usage);
    if (usage) this.usage = usage; // some servers repeat running totals: the last one counts
    return events;
  }

  /** True when a choice produced output but never finished: the stream was cut. */
  unfinished(): boolean {
    return [...this.started].some((i) => !this.finished.has(i));
  }

  /** What each choice has generated so far, for counting completion tokens locally. */
  receivedChoices(): ChatChoice[] {
    return [...this.received].map(([index, r]) => ({
      index,
      message: {
        role: "assistant",
        content: r.content,
        tool_calls: [...r.calls].map(([i, c]) => ({ id: String(i), type: "function" as const, function: { ...c } })),
        refusal: null,
      },
      finishReason: "stop",
    }));
  }

  private remember(index: number, content: string, toolCalls: { index: number; function: { name?: string; arguments?: string } }[]) {
    let r = this.received.get(index);
    if (!r) this.received.set(index, (r = { content: "", calls: new Map() }));
    r.content += content;
    for (const t of toolCalls) {
      let call = r.calls.get(t.index);
      if (!call) r.calls.set(t.index, (call = { name: "", arguments: "" }));
      call.name += t.function.name ?? "";
      call.arguments += t.function.arguments ?? "";
    }
  }

  anyFinished(): boolean {
    return this.finished.size > 0;
  }

  private hasToolCalls(index: number): boolean {
    for (const key of this.toolCallSeen) if (key.startsWith(`${index}:`)) return true;
    return false;
  }
}

/** A complete answer replayed as stream events, for servers that ignore `stream: true`. */
export function completionEvents(c: MappedCompletion): ChatStreamEvent[] {
  const events: ChatStreamEvent[] = [];
  for (const choice of c.choices) {
    const toolCalls = choice.message.tool_calls?.map((t, i) => ({ index: i, id: t.id, type: t.type, function: { ...t.function } }));
    if (choice.message.content || toolCalls?.length) {
      events.push({
        type: "delta",
        index: choice.index,
        ...(choice.message.content ? { content: choice.message.content } : {}),
        ...(toolCalls?.length ? { toolCalls } : {}),
      });
    }
    events.push({ type: "finish", index: choice.index, finishReason: choice.finishReason });
  }
  return events;
}

// ---- embeddings ----

const embeddingsSchema = z.object({
  data: z.array(z.object({ index: z.number().int().nonnegative().nullish(), embedding: z.union([z.array(z.number()), z.string()]) })),
  usage: z.object({ prompt_tokens: z.number().int().nonnegative().nullish() }).nullish(),
});

export function mapEmbeddings(json: unknown, inputs: number, scrubKey: (s: string) => string): { embeddings: number[][]; promptTokens: number | null } {
  if (json && typeof json === "object" && "error" in json && (json as { error: unknown }).error) {
    throw upstreamReportedError((json as { error: unknown }).error, scrubKey);
  }
  const parsed = embeddingsSchema.safeParse(json);
  if (!parsed.success) throw malformed("embeddings response");
  const out: number[][] = new Array(inputs);
  for (const [position, d] of parsed.data.data.entries()) {
    const index = d.index ?? position;
    if (index >= inputs || out[index]) throw malformed("embeddings response (index out of range)");
    out[index] = typeof d.embedding === "string" ? decodeBase64Floats(d.embedding) : d.embedding;
  }
  if (parsed.data.data.length !== inputs) throw malformed(`embeddings response (${parsed.data.data.length} vectors for ${inputs} inputs)`);
  return { embeddings: out, promptTokens: parsed.data.usage?.prompt_tokens ?? null };
}

/** Servers that answer base64 despite encoding_format "float": little-endian float32s. */
function decodeBase64Floats(b64: string): number[] {
  const bytes = Buffer.from(b64, "base64");
  if (bytes.length % 4 !== 0) throw malformed("embedding");
  const out: number[] = [];
  for (let i = 0; i < bytes.length; i += 4) out.push(bytes.readFloatLE(i));
  return out;
}
