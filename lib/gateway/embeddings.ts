import "server-only";
import { OpenAIError } from "@/lib/openai/errors";
import { parseEmbeddingRequest } from "@/lib/openai/schemas";
import { embeddingsBody } from "@/lib/openai/responses";
import { storeBodies } from "@/lib/usage/bodies";
import { maxCostMicros } from "@/lib/usage/cost";
import { admit, countProviderError, finishCall, readJsonBody, resolveModel } from "./admission";
import { Answer } from "./answer";
import type { GatewayContext } from "./with-api-key";

// POST /v1/embeddings.

export async function embeddings(ctx: GatewayContext): Promise<Answer> {
  const body = await readJsonBody(ctx);
  const parsed = parseEmbeddingRequest(body);
  const { model, provider, policy } = await resolveModel(ctx, parsed.model, ["embeddings"], "embeddings");
  if (!provider.embed) throw new OpenAIError(400, `The model \`${model.id}\` does not support embeddings.`, "invalid_request_error", "model", "model_not_supported");

  // Admission needs a token count before the call: text inputs are estimated at one token per
  // 4 characters (the provider's exact count is what gets billed and reconciled).
  const estimate = parsed.request.inputs.reduce((n, i) => n + (typeof i === "string" ? Math.ceil(i.length / 4) : i.length), 0);
  const admitted = await admit(ctx, policy, model.id, estimate, maxCostMicros(model, estimate, 0));
  const call = { model, ...admitted };
  const abort = new AbortController();
  const onClientGone = () => abort.abort();
  ctx.signal.addEventListener("abort", onClientGone, { once: true });
  try {
    const result = await provider.embed(model, parsed.request, { signal: abort.signal, requestId: ctx.requestId });
    const responseBody = embeddingsBody(model.id, result.embeddings, parsed.encodingFormat, result.usage.promptTokens);
    finishCall(ctx, call, {
      usage: { promptTokens: result.usage.promptTokens, completionTokens: 0, cachedTokens: 0 },
      status: 200, errorCode: null, streamed: false, cancelled: false, ttftMs: null,
    });
    if (policy.storeBodies) storeBodies(ctx.requestId, ctx.key.projectId, body, { object: "list", model: model.id, count: result.embeddings.length }, ctx.headers);
    return Answer.json(responseBody);
  } catch (err) {
    countProviderError(model.provider, err);
    finishCall(ctx, call, {
      usage: { promptTokens: 0, completionTokens: 0, cachedTokens: 0 },
      status: err instanceof OpenAIError ? err.status : 500,
      errorCode: err instanceof OpenAIError ? (err.code ?? err.type) : "internal_error",
      streamed: false, cancelled: abort.signal.aborted, ttftMs: null,
    });
    throw err;
  } finally {
    ctx.signal.removeEventListener("abort", onClientGone);
  }
}
