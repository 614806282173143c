import "server-only";
import { OpenAIError } from "@/lib/openai/errors";
import { parseChatRequest } from "@/lib/openai/schemas";
import { chatCompletionBody, newChatCompletionId } from "@/lib/openai/responses";
import { chatChunksFromEvents, sseBody } from "@/lib/openai/sse";
import type { ChatRequest, ChatStreamEvent, ModelCapability, Usage } from "@/lib/providers/types";
import { storeBodies } from "@/lib/usage/bodies";
import { maxCostMicros } from "@/lib/usage/cost";
import { measureImages } from "./images";
import { readAhead } from "./read-ahead";
import { toLegacyChunks, toLegacyCompletion, usesLegacyFunctions } from "./legacy-functions";
import { admit, countProviderError, finishCall, readJsonBody, resolveModel } from "./admission";
import { Answer } from "./answer";
import type { GatewayContext } from "./with-api-key";

// POST /v1/chat/completions: validate → model → admit → provider → meter, streamed or not.

const FINGERPRINT = "fp_gatehouse";
/** Output tokens reserved against TPM when the request sets no max_tokens (bounded by the context). */
const DEFAULT_OUTPUT_RESERVATION = 4_096;

function needsOf(request: ChatRequest): ModelCapability[] {
  const needs: ModelCapability[] = ["chat"];
  if (request.tools.length) needs.push("tools");
  if (request.responseFormat.type === "json_schema") needs.push("json_schema");
  const hasImage = request.messages.some((m) => Array.isArray(m.content) && m.content.some((p) => p.type === "image_url"));
  if (hasImage) needs.push("vision");
  return needs;
}

export async function chatCompletions(ctx: GatewayContext): Promise<Answer> {
  const body = await readJsonBody(ctx);
  const parsed = parseChatRequest(body);
  const { request } = parsed;
  const legacy = usesLegacyFunctions(request.raw);
  const needs = needsOf(request);
  const { model, provider, policy } = await resolveModel(ctx, parsed.model, needs, "chat");
  if (needs.includes("vision")) await measureImages(request, ctx.signal);

  const promptTokens = await provider.countPromptTokens(model, request);
  const maxOutput = request.maxTokens ?? Math.max(1, Math.min(DEFAULT_OUTPUT_RESERVATION, model.contextWindow - promptTokens));
  const admitted = await admit(ctx, policy, model.id, promptTokens + maxOutput * request.n, maxCostMicros(model, promptTokens, maxOutput * request.n));
  const call = { model, ...admitted };

  const id = newChatCompletionId();
  const created = Math.floor(Date.now() / 1000);
  const abort = new AbortController();
  const onClientGone = () => abort.abort();
  ctx.signal.addEventListener("abort", onClientGone, { once: true });
  const callCtx = { signal: abort.signal, requestId: ctx.requestId };

  if (!parsed.stream) {
    try {
      const result = await provider.chat(model, request, callCtx);
      const built = chatCompletionBody({ id, created, model: model.id, result, systemFingerprint: result.systemFingerprint ?? FINGERPRINT });
      const responseBody = legacy ? toLegacyCompletion(built) : built;
      finishCall(ctx, call, { usage: result.usage, status: 200, errorCode: null, streamed: false, cancelled: false, ttftMs: null });
      if (policy.storeBodies) storeBodies(ctx.requestId, ctx.key.projectId, body, responseBody, ctx.headers);
      return Answer.json(responseBody);
    } catch (err) {
      countProviderError(model.provider, err);
      const cancelled = abort.signal.aborted;
      finishCall(ctx, call, {
        usage: { promptTokens: cancelled ? promptTokens : 0, completionTokens: 0, cachedTokens: 0 },
        status: err instanceof OpenAIError ? err.status : 500,
        errorCode: cancelled ? "client_closed_request" : err instanceof OpenAIError ? (err.code ?? err.type) : "internal_error",
        streamed: false, cancelled, ttftMs: null,
      });
      throw err;
    } finally {
      ctx.signal.removeEventListener("abort", onClientGone);
    }
  }

  // Streaming: start the provider before answering, so a failure before the first token is an
  // ordinary JSON error with its status rather than a broken stream.
  const events = readAhead(provider.chatStream(model, request, callCtx)[Symbol.asyncIterator]());
  let first: IteratorResult<ChatStreamEvent>;
  try {
    first = await events.next();
  } catch (err) {
    countProviderError(model.provider, err);
    ctx.signal.removeEventListener("abort", onClientGone);
    finishCall(ctx, call, {
      usage: { promptTokens: 0, completionTokens: 0, cachedTokens: 0 },
      status: err instanceof OpenAIError ? err.status : 500,
      errorCode: err instanceof OpenAIError ? (err.code ?? err.type) : "internal_error",
      streamed: true, cancelled: abort.signal.aborted, ttftMs: null,
    });
    throw err;
  }
  const ttftMs = Math.round(performance.now() - ctx.startedAt);

  let usage: Usage | null = null;
  let failure: OpenAIError | null = null;
  const contentParts: string[] = [];
  const see = (event: ChatStreamEvent) => {
    if (event.type === "delta" && event.content) contentParts.push(event.content);
    if (event.type === "usage") usage = event.usage;
  };
  async function* tracked(): AsyncGenerator<ChatStreamEvent> {
    let done = false;
    try {
      if (!first.done) {
        see(first.value);
        yield first.value;
      }
      while (true) {
        const next = await events.next();
        if (next.done) {
          done = true;
          return;
        }
        see(next.value);
        yield next.value;
      }
    } catch (err) {
      done = true;
      failure = err instanceof OpenAIError ? err : new OpenAIError(500, "The model failed while streaming.", "server_error");
      countProviderError(model.provider, err);
      throw failure;
    } finally {
      if (!done) await drainAfterCancel();
    }
  }
  // The client went away mid-stream: stop the provider and read on to its final usage event,
  // so what was generated is billed (bounded, in case a provider ignores the abort).
  async function drainAfterCancel() {
    abort.abort();
    const deadline = Date.now() + 5_000;
    try {
      while (Date.now() < deadline) {
        const next = await events.next();
        if (next.done) return;
        see(next.value);
      }
    } catch {
      // The provider ended with an error after the abort: keep what was counted.
    } finally {
      await events.return?.();
    }
  }
  const chunks = chatChunksFromEvents(tracked(), {
    id, created, model: model.id, systemFingerprint: FINGERPRINT, includeUsage: parsed.includeUsage, n: request.n,
  });
  let finished = false;
  const finish = () => {
    if (finished) return;
    finished = true;
    ctx.signal.removeEventListener("abort", onClientGone);
    const cancelled = abort.signal.aborted && !failure;
    const f = failure as OpenAIError | null;
    finishCall(ctx, call, {
      usage: usage ?? { promptTokens, completionTokens: 0, cachedTokens: 0 },
      status: f ? f.status : cancelled ? 499 : 200,
      errorCode: f ? (f.code ?? f.type) : cancelled ? "client_closed_request" : null,
      streamed: true, cancelled, ttftMs,
    });
    if (policy.storeBodies) storeBodies(ctx.requestId, ctx.key.projectId, body, { streamed: true, content: contentParts.join("") }, ctx.headers);
  };
  const stream = sseBody(legacy ? toLegacyChunks(chunks) : chunks, { onClose: finish, onCancel: () => abort.abort() });
  // no-transform keeps the response compressor from buffering and gzipping each event.
  return new Answer(
    200,
    { "content-type": "text/event-stream; charset=utf-8", "cache-control": "no-cache, no-transform", connection: "keep-alive", "x-accel-buffering": "no" },
    stream,
  );
}
