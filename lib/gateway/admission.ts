import "server-only";
import { getCatalogModel, modelUsableBy, type CatalogModel } from "@/lib/models/catalog";
import { getRateLimiter, rateLimitHeaders, type Admission, type LimitSpec, type Reservation } from "@/lib/limits/rate-limiter";
import { insufficientQuota, invalidRequest, modelNotFound, OpenAIError, overloaded, permissionDenied, rateLimited } from "@/lib/openai/errors";
import { log } from "@/lib/log";
import { confirmSpend, reserveSpend, settleSpend, SpendRefused, type SpendReservation } from "@/lib/billing/spend-guard";
import { parseJsonBody } from "@/lib/openai/schemas";
import { getProvider } from "@/lib/providers/registry";
import type { ModelCapability, Usage } from "@/lib/providers/types";
import { costMicros, isPriced } from "@/lib/usage/cost";
import { recordUsage } from "@/lib/usage/recorder";
import { metrics } from "./metrics";
import { getProjectPolicy, type ProjectPolicy } from "./policy";
import type { GatewayContext } from "./with-api-key";

// The steps every model call shares, in order: read the body, find the model the project may
// use, check it can do this and can be billed, admit it under the rate limits (reserving its
// maximum tokens), and afterwards meter what it really used.

export const MAX_BODY_BYTES = 32 * 1024 * 1024;

export async function readJsonBody(ctx: GatewayContext): Promise<unknown> {
  const tooLarge = () => new OpenAIError(413, `Request body too large: the limit is ${MAX_BODY_BYTES / 1024 / 1024} MB.`, "invalid_request_error");
  const length = Number(ctx.request.headers.get("content-length") ?? "0");
  if (length > MAX_BODY_BYTES) throw tooLarge();
  // Read whole by the API server (node-server.ts) or the route adapter (answer.ts nextRoute).
  if (ctx.body && ctx.body.length > MAX_BODY_BYTES) throw tooLarge();
  return parseJsonBody(ctx.body?.toString("utf8") ?? "");
}

export type AdmittedCall = {
  model: CatalogModel;
  reservations: Reservation[];
  spend: SpendReservation | null;
};

const CAPABILITY_NAMES: Partial<Record<ModelCapability, string>> = {
  chat: "chat completions",
  embeddings: "embeddings",
  tools: "tools (function calling)",
  json_schema: "structured outputs (response_format json_schema)",
  vision: "image inputs",
};

export async function resolveModel(ctx: GatewayContext, modelId: string, needs: ModelCapability[], billing: "chat" | "embeddings") {
  ctx.meter.model = modelId;
  const policy = await getProjectPolicy(ctx.key.projectId);
  const model = await getCatalogModel(modelId);
  // Another project's fine-tuned model does not exist for this one.
  if (!model || (model.projectId !== null && model.projectId !== policy.projectId)) throw modelNotFound(modelId);
  if (!modelUsableBy(model, policy.projectId, policy.allowedModels)) {
    throw permissionDenied(`Project does not have access to model \`${model.id}\`. A project owner can allow it in the project's settings.`, "model_not_allowed");
  }
  for (const need of needs) {
    if (!model.capabilities.includes(need)) {
      throw invalidRequest(`The model \`${model.id}\` does not support ${CAPABILITY_NAMES[need] ?? need}.`, need === "vision" ? "messages" : "model", "model_not_supported");
    }
  }
  if (!isPriced(model, billing)) {
    throw permissionDenied(
      `The model \`${model.id}\` has no price set, so its usage cannot be billed. An administrator must set its price before it can be used.`,
      "model_not_priced",
    );
  }
  const provider = getProvider(model.provider);
  if (!provider) throw new OpenAIError(500, `The model \`${model.id}\` is served by an unknown provider.`, "server_error");
  ctx.meter.provider = model.provider;
  return { model, provider, policy };
}

/**
 * Admits a call of `tokens` (prompt + maximum output) that may cost up to `maxCost`: first
 * under the spend limits (prepaid credit, budgets: 429 insufficient_quota), then under the
 * project's rate limits for the model, then under the key's own limits when it has any. Sets
 * the x-ratelimit-* headers; throws 429.
 */
export async function admit(ctx: GatewayContext, policy: ProjectPolicy, modelId: string, tokens: number, maxCost: bigint): Promise<Omit<AdmittedCall, "model">> {
  const { orgId, projectId } = ctx.key;
  let spend: SpendReservation | null;
  try {
    spend = await reserveSpend({ orgId, projectId, ...policy.spend }, maxCost);
  } catch (err) {
    throw spendRefusal(ctx, modelId, err);
  }
  let reservations: Reservation[];
  try {
    reservations = await admitRate(ctx, policy, modelId, tokens);
  } catch (err) {
    settleSpend(spend, orgId, projectId, 0n);
    throw err;
  }
  // With several instances (Redis), the spend check against the others ran beside the rate limits.
  // (Checked here rather than in confirmSpend so that a request without it does not await.)
  if (spend?.shared) {
    try {
      await confirmSpend(spend, orgId, projectId);
    } catch (err) {
      await releaseTokens(reservations);
      throw spendRefusal(ctx, modelId, err);
    }
  }
  return { reservations, spend };
}

function spendRefusal(ctx: GatewayContext, modelId: string, err: unknown): OpenAIError {
  if (!(err instanceof SpendRefused)) {
    // The credit or budget could not be read (the database is unreachable): refuse for now
    // rather than let spend through unchecked.
    log.warn("spend check failed", { requestId: ctx.requestId, error: (err as Error).message });
    return overloaded("Gatehouse cannot check your organization's credit and budgets right now. Retry in a few seconds.", 5);
  }
  metrics().rateLimited.inc({ model: modelId, kind: "quota" });
  // Retrying will not help until someone adds credit or raises the budget.
  ctx.headers["x-should-retry"] = "false";
  return insufficientQuota(err.message);
}

/** Gives back the tokens of reservations made for a request that will not run (its request slots stay counted). */
async function releaseTokens(reservations: Reservation[]): Promise<void> {
  const limiter = getRateLimiter();
  await Promise.all(reservations.map((r) => limiter.reconcile(r, 0)));
}

async function admitRate(ctx: GatewayContext, policy: ProjectPolicy, modelId: string, tokens: number): Promise<Reservation[]> {
  const limiter = getRateLimiter();
  const scopes: [string, LimitSpec][] = [[`p:${ctx.key.projectId}:${modelId}`, policy.limitsFor(modelId)]];
  if (ctx.key.rpmLimit !== null || ctx.key.tpmLimit !== null) {
    scopes.push([`k:${ctx.key.keyId}:${modelId}`, { rpm: ctx.key.rpmLimit, tpm: ctx.key.tpmLimit, rpd: null }]);
  }
  const reservations: Reservation[] = [];
  let shown: Admission | null = null;
  for (const [scope, limits] of scopes) {
    if (limits.rpm === null && limits.tpm === null && limits.rpd === null) continue;
    const a = await limiter.admit(scope, limits, tokens);
    if (!shown || tighterState(a, shown)) shown = a;
    if (!a.allowed) {
      // Give back the tokens already reserved under a wider scope (the request slot stays counted).
      await releaseTokens(reservations);
      Object.assign(ctx.headers, rateLimitHeaders(a.state));
      metrics().rateLimited.inc({ model: modelId, kind: a.kind });
      // A request larger than the limit itself will never fit: tell clients not to retry.
      if (a.tooLarge) ctx.headers["x-should-retry"] = "false";
      throw rateLimited(a.message, a.retryAfterMs / 1000, a.kind);
    }
    reservations.push(a.reservation);
  }
  if (shown) Object.assign(ctx.headers, rateLimitHeaders(shown.state));
  return reservations;
}

function tighterState(a: Admission, b: Admission) {
  const ra = a.state.remainingRequests ?? Infinity;
  const rb = b.state.remainingRequests ?? Infinity;
  return ra < rb;
}

export type Outcome = {
  usage: Usage;
  status: number;
  errorCode: string | null;
  streamed: boolean;
  cancelled: boolean;
  ttftMs: number | null;
};

/** Meters a finished call: cost at the model's prices, a usage event, limiter and spend reconciliation. */
export function finishCall(ctx: GatewayContext, call: AdmittedCall, outcome: Outcome) {
  const { usage } = outcome;
  const cost = costMicros(call.model, usage);
  ctx.meter.recorded = true;
  settleSpend(call.spend, ctx.key.orgId, ctx.key.projectId, cost);
  recordUsage({
    requestId: ctx.requestId,
    orgId: ctx.key.orgId,
    projectId: ctx.key.projectId,
    apiKeyId: ctx.key.keyId,
    userId: ctx.key.ownerUserId,
    endpoint: ctx.endpoint,
    model: call.model.id,
    provider: call.model.provider,
    promptTokens: usage.promptTokens,
    cachedTokens: usage.cachedTokens,
    completionTokens: usage.completionTokens,
    costMicros: cost,
    latencyMs: Math.round(performance.now() - ctx.startedAt),
    ttftMs: outcome.ttftMs,
    status: outcome.status,
    errorCode: outcome.errorCode,
    streamed: outcome.streamed,
    cancelled: outcome.cancelled,
  });
  const m = metrics();
  m.tokens.inc({ model: call.model.id, kind: "prompt" }, usage.promptTokens);
  m.tokens.inc({ model: call.model.id, kind: "completion" }, usage.completionTokens);
  if (outcome.ttftMs !== null) m.ttft.observe({ model: call.model.id }, outcome.ttftMs / 1000);
  // After the answer is written: with Redis, each reconcile is a round trip whose sending and
  // answer would otherwise compete with the answer for the socket and the CPU.
  const total = usage.promptTokens + usage.completionTokens;
  if (call.reservations.length) {
    setImmediate(() => {
      const limiter = getRateLimiter();
      for (const r of call.reservations) void limiter.reconcile(r, total).catch(() => undefined);
    });
  }
  return cost;
}

/** Provider errors are counted for /metrics and passed on unchanged. */
export function countProviderError(provider: string, err: unknown) {
  if (err instanceof OpenAIError && err.status >= 500) metrics().providerErrors.inc({ provider, status: String(err.status) });
}
