import "server-only";
import { randomInt } from "node:crypto";
import { LlamaGrammarEvaluationState, TokenBias, type SequenceEvaluateOptions, type Token } from "node-llama-cpp";
import { contextLengthExceeded, invalidRequest, providerError } from "@/lib/openai/errors";
import type {
  CallContext,
  ChatChoice,
  ChatRequest,
  ChatResult,
  ChatStreamEvent,
  FinishReason,
  ModelEntry,
  ToolCall,
} from "@/lib/providers/types";
import { leaseModel, type LoadedModel } from "./model-pool";
import { outputSchemas, planOutput, type OutputPlan } from "./output-plan";
import { classifyAutoOutput, newToolCallId, StopFilter, TokenTextDecoder, ToolEnvelopeReader, TrailingWhitespaceTrimmer } from "./output";
import { renderPrompt, type RenderedPrompt } from "./prompt";

type DeltaEvent = Extract<ChatStreamEvent, { type: "delta" }>;

/**
 * Streams a chat completion: waits for the model's turn, then generates the n choices one after
 * the other. Everything that can refuse the request (overload, context length, schemas, logit
 * bias) happens before the first event, so callers can still answer with a plain error.
 */
export async function* localChatStream(entry: ModelEntry, request: ChatRequest, ctx: CallContext): AsyncGenerator<ChatStreamEvent> {
  const lease = leaseModel(entry);
  const guard: YieldGuard = { atYield: false, evaluation: null, releaseTurn: null };
  // A consumer that stops pulling without closing the stream would otherwise hold the model:
  // on abort while we are parked at a yield, end the evaluation and give the turn away.
  const onAbort = () => {
    if (!guard.atYield) return; // the generation loop sees the abort itself within a token
    void guard.evaluation?.return(undefined);
    guard.releaseTurn?.();
    lease.release();
  };
  ctx.signal.addEventListener("abort", onAbort, { once: true });
  try {
    lease.checkCapacity();
    const loaded = await lease.load();
    const prompt = renderPrompt(loaded, request);
    const window = Math.min(entry.contextWindow > 0 ? entry.contextWindow : Infinity, loaded.contextSize);
    const promptTokens = prompt.tokens.length;
    const requested = promptTokens + (request.maxTokens ?? 0);
    if (requested > window) throw contextLengthExceeded(window, requested);
    const plan = await planOutput(loaded.llama, request);
    const tokenBias = tokenBiasFor(loaded, request.logitBias);
    const budget = Math.min(request.maxTokens ?? Infinity, window - promptTokens);

    guard.releaseTurn = await lease.acquireTurn(ctx.signal);
    let completionTokens = 0;
    for (let index = 0; index < request.n && !ctx.signal.aborted; index++) {
      const result = yield* generateChoice({ loaded, request, prompt, plan, tokenBias, budget, index, signal: ctx.signal, guard });
      completionTokens += result.completionTokens;
      if (result.finishReason) yield* guarded(guard, [{ type: "finish", index, finishReason: result.finishReason }]);
    }
    // Also after an abort: what was generated is what the request cost.
    yield* guarded(guard, [{ type: "usage", usage: { promptTokens, completionTokens, cachedTokens: 0 } }]);
  } finally {
    ctx.signal.removeEventListener("abort", onAbort);
    guard.releaseTurn?.();
    lease.release();
  }
}

/** A chat completion, collected from the stream (one code path for both). */
export async function localChat(entry: ModelEntry, request: ChatRequest, ctx: CallContext): Promise<ChatResult> {
  const choices = new Map<number, { content: string[]; calls: ToolCall[]; finishReason: FinishReason | null }>();
  const choice = (index: number) => {
    let c = choices.get(index);
    if (!c) choices.set(index, (c = { content: [], calls: [], finishReason: null }));
    return c;
  };
  let usage: ChatResult["usage"] | null = null;
  for await (const event of localChatStream(entry, request, ctx)) {
    if (event.type === "usage") usage = event.usage;
    else if (event.type === "finish") choice(event.index).finishReason = event.finishReason;
    else {
      const c = choice(event.index);
      if (event.content) c.content.push(event.content);
      for (const f of event.toolCalls ?? []) {
        if (f.id) c.calls[f.index] = { id: f.id, type: "function", function: { name: f.function.name ?? "", arguments: "" } };
        if (f.function.arguments) c.calls[f.index].function.arguments += f.function.arguments;
      }
    }
  }
  const result: ChatChoice[] = [];
  for (let index = 0; index < request.n; index++) {
    const c = choices.get(index);
    if (!c?.finishReason || !usage) throw ctx.signal.aborted ? abortReason(ctx.signal) : providerError("The local model stopped unexpectedly.");
    const toolCalls = c.calls.filter(Boolean);
    result.push({
      index,
      message: {
        role: "assistant",
        content: toolCalls.length > 0 || c.finishReason === "tool_calls" ? null : c.content.join(""),
        ...(toolCalls.length > 0 ? { tool_calls: toolCalls } : {}),
        refusal: null,
      },
      finishReason: c.finishReason,
    });
  }
  return { choices: result, usage: usage! };
}

/** Exact prompt tokens: the chat template and our tool/format instructions, tokenized. */
export async function countLocalPromptTokens(entry: ModelEntry, request: ChatRequest): Promise<number> {
  outputSchemas(request); // refuse unusable schemas before any admission work
  const lease = leaseModel(entry);
  try {
    return renderPrompt(await lease.load(), request).tokens.length;
  } finally {
    lease.release();
  }
}

// ---- one choice ----

type YieldGuard = {
  atYield: boolean;
  evaluation: AsyncGenerator<Token, void, void | Token | Token[]> | null;
  releaseTurn: (() => void) | null;
};

/** Yields events, marking the generator as parked while the consumer holds each one. */
async function* guarded<T extends ChatStreamEvent>(guard: YieldGuard, events: T[]): AsyncGenerator<T, void> {
  for (const event of events) {
    guard.atYield = true;
    try {
      yield event;
    } finally {
      guard.atYield = false;
    }
  }
}

type ChoiceArgs = {
  loaded: LoadedModel;
  request: ChatRequest;
  prompt: RenderedPrompt;
  plan: OutputPlan;
  tokenBias: TokenBias | undefined;
  budget: number;
  index: number;
  signal: AbortSignal;
  guard: YieldGuard;
};

type ChoiceResult = { completionTokens: number; finishReason: FinishReason | null };

async function* generateChoice(args: ChoiceArgs): AsyncGenerator<DeltaEvent, ChoiceResult> {
  const { loaded, request, prompt, plan, budget, index, signal, guard } = args;
  const output = new ChoiceOutput(index, plan, prompt.stopTexts, request.stop);
  const decoder = new TokenTextDecoder(loaded.model);
  const stopTokens = new Set(prompt.stopTokens);
  const generated: Token[] = [];
  let finish: "stop" | "length" | null = null;

  if (budget <= 0) finish = "length";
  else {
    // Each choice starts from a clean sequence: reusing the KV cache of the previous one would
    // evaluate the prompt in differently sized batches, and llama.cpp's float results (hence
    // sampling) can then differ in the last bits: a fixed seed must give the same text.
    await loaded.sequence.clearHistory();
    const evaluation = loaded.sequence.evaluate(prompt.tokens, evaluateOptions(args, generated));
    guard.evaluation = evaluation;
    try {
      while (true) {
        const step = await evaluation.next();
        if (step.done) {
          finish = "stop"; // end-of-generation token
          break;
        }
        const token = step.value;
        generated.push(token);
        if (stopTokens.has(token)) {
          finish = "stop";
          break;
        }
        yield* guarded(guard, output.push(decoder.push(token)));
        if (output.stopped) {
          finish = "stop";
          break;
        }
        if (signal.aborted) break;
        if (generated.length >= budget) {
          finish = "length";
          break;
        }
      }
    } finally {
      guard.evaluation = null;
      await evaluation.return(undefined);
    }
  }

  if (finish === null) return { completionTokens: generated.length, finishReason: null };
  yield* guarded(guard, output.end(output.stopped ? "" : decoder.flush()));
  const finishReason: FinishReason = finish === "length" ? "length" : output.mode === "tools" ? "tool_calls" : "stop";
  return { completionTokens: generated.length, finishReason };
}

function evaluateOptions(args: ChoiceArgs, generated: Token[]): SequenceEvaluateOptions {
  const { request, plan, loaded, index, tokenBias } = args;
  const penalize = request.presencePenalty !== 0 || request.frequencyPenalty !== 0;
  return {
    // Temperature 0 is greedy decoding in llama.cpp; OpenAI has no top-k or min-p: disable them.
    temperature: request.temperature,
    topP: request.topP,
    topK: 0,
    minP: 0,
    // Choice i of a seeded request uses seed + i: reproducible, yet the n choices differ.
    seed: request.seed === null ? randomInt(0, 2 ** 32) : uint32(request.seed + index),
    grammarEvaluationState: plan.grammar ? new LlamaGrammarEvaluationState({ model: loaded.model, grammar: plan.grammar }) : undefined,
    tokenBias,
    repeatPenalty: penalize
      ? {
          // OpenAI's penalties: logit -= presence * [count > 0] + frequency * count, over the completion.
          punishTokens: () => generated,
          penalty: 1,
          presencePenalty: request.presencePenalty,
          frequencyPenalty: request.frequencyPenalty,
        }
      : undefined,
  };
}

function uint32(n: number): number {
  const m = Math.trunc(n) % 2 ** 32;
  return m < 0 ? m + 2 ** 32 : m;
}

function tokenBiasFor(loaded: LoadedModel, logitBias: Record<string, number> | null): TokenBias | undefined {
  if (!logitBias || Object.keys(logitBias).length === 0) return undefined;
  const bias = new TokenBias(loaded.model.tokenizer);
  for (const [key, value] of Object.entries(logitBias)) {
    const token = /^\d+$/.test(key) ? Number(key) : NaN;
    if (!Number.isSafeInteger(token) || token >= loaded.vocabularySize) {
      throw invalidRequest(`Invalid key in 'logit_bias': '${key}' is not a token id of this model (0 to ${loaded.vocabularySize - 1}).`, "logit_bias");
    }
    // -100 bans the token, as with OpenAI; other values shift its logit.
    bias.set(token as Token, value <= -100 ? "never" : { logit: value });
  }
  return bias;
}

function abortReason(signal: AbortSignal): unknown {
  return signal.reason ?? new DOMException("This operation was aborted", "AbortError");
}

// ---- routing generated text ----

/**
 * Sends one choice's text where it belongs: template stop strings first (they end every kind of
 * output), then either the answer (client stop strings, JSON trimming) or the tool-call envelope.
 * With tool_choice "auto" the text is held until it is clear which of the two the model writes.
 */
class ChoiceOutput {
  mode: "content" | "tools" | "undecided";
  private readonly templateStops: StopFilter;
  private readonly contentStops: StopFilter;
  private readonly toolStops: StopFilter;
  private readonly trimmer: TrailingWhitespaceTrimmer | null;
  private readonly reader = new ToolEnvelopeReader();
  private readonly callIds: string[] = [];
  private undecided = "";

  constructor(
    private readonly index: number,
    private readonly plan: OutputPlan,
    templateStops: string[],
    clientStops: string[],
  ) {
    this.mode = plan.mode === "auto" ? "undecided" : plan.mode;
    this.templateStops = new StopFilter(templateStops);
    this.contentStops = new StopFilter([...clientStops, ...plan.contentStops]);
    this.toolStops = new StopFilter(plan.toolStops);
    this.trimmer = plan.contentIsJson ? new TrailingWhitespaceTrimmer() : null;
  }

  get stopped(): boolean {
    return this.templateStops.matched || this.contentStops.matched || this.toolStops.matched;
  }

  push(text: string): DeltaEvent[] {
    return text ? this.route(this.templateStops.push(text)) : [];
  }

  /** Generation ended: release held text (unless a stop string ended it). */
  end(rest: string): DeltaEvent[] {
    const events = this.route(this.templateStops.push(rest) + this.templateStops.flush());
    if (this.mode === "undecided") {
      this.mode = "content";
      events.push(...this.route(this.undecided));
      this.undecided = "";
    }
    if (this.mode === "content") events.push(...this.content(this.contentStops.flush()));
    else events.push(...this.tools(this.toolStops.flush()));
    return events;
  }

  private route(text: string): DeltaEvent[] {
    if (!text) return [];
    if (this.mode === "undecided") {
      this.undecided += text;
      const kind = classifyAutoOutput(this.undecided, this.plan.contentIsJson);
      if (kind === "undecided") return [];
      this.mode = kind;
      text = this.undecided;
      this.undecided = "";
    }
    return this.mode === "content" ? this.content(this.contentStops.push(text)) : this.tools(this.toolStops.push(text));
  }

  private content(text: string): DeltaEvent[] {
    const out = this.trimmer ? this.trimmer.push(text) : text;
    return out ? [{ type: "delta", index: this.index, content: out }] : [];
  }

  private tools(text: string): DeltaEvent[] {
    const events: DeltaEvent[] = [];
    for (const f of this.reader.feed(text)) {
      if (f.kind === "start") {
        const id = (this.callIds[f.index] = newToolCallId());
        events.push({ type: "delta", index: this.index, toolCalls: [{ index: f.index, id, type: "function", function: { name: f.name, arguments: "" } }] });
      } else {
        events.push({ type: "delta", index: this.index, toolCalls: [{ index: f.index, function: { arguments: f.text } }] });
      }
    }
    return events;
  }
}
