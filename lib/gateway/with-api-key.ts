import "server-only";
import { allows, type Resource } from "@/lib/keys/permissions";
import { markKeyUsed, resolveApiKey, type ResolvedKey, type KeyRejection } from "@/lib/keys/resolve-api-key";
import { bootState } from "@/lib/boot";
import { log } from "@/lib/log";
import { internalError, invalidApiKey, missingApiKey, OpenAIError, overloaded, permissionDenied } from "@/lib/openai/errors";
import { newRequestId } from "@/lib/openai/responses";
import { recordUsage } from "@/lib/usage/recorder";
import { isDraining, requestEnded, requestStarted } from "./lifecycle";
import { observeRequest } from "./metrics";

// The one wrapper of the /v1 surface: request id, API-key authentication, permission check,
// OpenAI-shaped errors for everything (never a stack trace or HTML), common headers, and a
// usage event for every request that could be attributed to a project.

export type Meter = {
  model: string | null;
  provider: string | null;
  /** Set once the handler has recorded the request's usage itself. */
  recorded: boolean;
};

export type GatewayContext = {
  requestId: string;
  startedAt: number;
  key: ResolvedKey;
  request: Request;
  /** Extra response headers (rate limits); merged into whatever the handler answers, errors included. */
  headers: Headers;
  meter: Meter;
  endpoint: string;
};

type Options = { endpoint: string; resource: Resource; access: "read" | "write" };
type RouteContext<P> = { params: Promise<P> };

const REJECTIONS: Record<KeyRejection, string> = {
  malformed: "Incorrect API key provided: {key}. You can find your API keys in the Gatehouse console, under API keys.",
  unknown: "Incorrect API key provided: {key}. You can find your API keys in the Gatehouse console, under API keys.",
  revoked: "The API key {key} has been revoked. Create a new key in the Gatehouse console.",
  expired: "The API key {key} has expired. Create a new key in the Gatehouse console.",
  project_archived: "The project of API key {key} is archived, so its keys no longer work. An organization owner can unarchive it.",
};

/** Shows enough of a presented secret to recognise it, never enough to use it. */
export function redactPresentedKey(secret: string): string {
  const clean = secret.replace(/[^\x21-\x7e]/g, "?");
  if (clean.length <= 8) return "*".repeat(clean.length);
  const head = clean.startsWith("sk-proj-") ? "sk-proj-" : clean.slice(0, 3);
  return `${head}${"*".repeat(Math.min(20, Math.max(4, clean.length - head.length - 4)))}${clean.slice(-4)}`;
}

export function errorResponse(err: OpenAIError, requestId: string, extra?: Headers): Response {
  const headers = new Headers(extra);
  headers.set("content-type", "application/json");
  headers.set("x-request-id", requestId);
  for (const [k, v] of Object.entries(err.headers)) headers.set(k, v);
  return new Response(JSON.stringify(err.body()), { status: err.status, headers });
}

function authenticate(request: Request): string {
  const header = request.headers.get("authorization");
  if (!header) throw missingApiKey();
  const m = /^Bearer\s+(.+)$/i.exec(header.trim());
  if (!m || !m[1].trim()) throw missingApiKey();
  return m[1].trim();
}

const PERMISSION_SCOPES: Record<Resource, string> = {
  models: "api.model.read",
  chat_completions: "model.request",
  embeddings: "model.request",
  files: "api.files.write",
  fine_tuning: "api.fine_tuning.jobs.write",
  assistants: "api.assistants.write",
};

export function withApiKey<P = Record<string, never>>(
  options: Options,
  handler: (ctx: GatewayContext, params: P) => Promise<Response>,
) {
  return async (request: Request, route: RouteContext<P>): Promise<Response> => {
    const requestId = newRequestId();
    const startedAt = performance.now();
    const headers = new Headers();
    let ctx: GatewayContext | null = null;
    let response: Response;
    try {
      if (!bootState().ready) throw overloaded("Gatehouse is starting up. Retry in a few seconds.", 5);
      if (isDraining()) throw overloaded("Gatehouse is shutting down. Retry in a few seconds.", 5);
      const secret = authenticate(request);
      const resolution = await resolveApiKey(secret);
      if (!resolution.ok) throw invalidApiKey(REJECTIONS[resolution.reason].replace("{key}", redactPresentedKey(secret)));
      const key = resolution.key;
      markKeyUsed(key.keyId);
      ctx = { requestId, startedAt, key, request, headers, meter: { model: null, provider: null, recorded: false }, endpoint: options.endpoint };
      if (!allows(key.permissions, options.resource, options.access)) {
        throw permissionDenied(
          `You have insufficient permissions for this operation. Missing scopes: ${PERMISSION_SCOPES[options.resource]}. Check that your API key has ${options.access} access to ${options.resource.replace("_", " ")} (restricted and read-only keys are set in the Gatehouse console).`,
        );
      }
      response = await handler(ctx, (await route.params) as P);
    } catch (err) {
      let e: OpenAIError;
      if (err instanceof OpenAIError) e = err;
      else {
        log.error("unhandled error in /v1", { requestId, endpoint: options.endpoint, error: (err as Error)?.stack ?? String(err) });
        e = internalError(requestId);
      }
      response = errorResponse(e, requestId, headers);
      if (ctx && !ctx.meter.recorded) {
        recordUsage({
          requestId, orgId: ctx.key.orgId, projectId: ctx.key.projectId, apiKeyId: ctx.key.keyId,
          userId: ctx.key.ownerUserId, endpoint: options.endpoint, model: ctx.meter.model ?? "", provider: ctx.meter.provider,
          promptTokens: 0, cachedTokens: 0, completionTokens: 0, costMicros: 0n,
          latencyMs: Math.round(performance.now() - startedAt), ttftMs: null, status: e.status,
          errorCode: e.code ?? e.type, streamed: false, cancelled: false,
        });
      }
    }
    // Count a streamed answer as running until its body is fully sent or abandoned (other
    // answers are complete once returned; HEAD bodies are never read).
    let body = response.body;
    const streamed = request.method !== "HEAD" && (response.headers.get("content-type") ?? "").startsWith("text/event-stream");
    if (body && streamed) {
      requestStarted();
      let ended = false;
      const end = () => {
        if (!ended) {
          ended = true;
          requestEnded();
        }
      };
      body = body.pipeThrough(new TransformStream({ flush: end }));
      request.signal.addEventListener("abort", end, { once: true });
    }
    const out = new Headers(response.headers);
    headers.forEach((v, k) => {
      if (!out.has(k)) out.set(k, v);
    });
    out.set("x-request-id", requestId);
    if (request.headers.get("origin")) out.set("access-control-allow-origin", "*");
    out.set("openai-version", "2020-10-01");
    out.set("openai-processing-ms", String(Math.round(performance.now() - startedAt)));
    observeRequest(options.endpoint, response.status, performance.now() - startedAt);
    // One access line per request: ids and counts only, never the key, prompt or answer.
    log.info("api request", {
      requestId, endpoint: options.endpoint, status: response.status, ms: Math.round(performance.now() - startedAt),
      projectId: ctx?.key.projectId, keyId: ctx?.key.keyId, model: ctx?.meter.model ?? undefined,
    });
    return new Response(body, { status: response.status, statusText: response.statusText, headers: out });
  };
}

/** The public /v1 404 for unknown routes (OpenAI answers JSON, never HTML). */
export function unknownRoute(request: Request): Response {
  const url = new URL(request.url);
  const err = new OpenAIError(404, `Invalid URL (${request.method} ${url.pathname})`, "invalid_request_error", null, null);
  return errorResponse(err, newRequestId());
}

/** CORS preflight: browsers may call the API directly with a key (as OpenAI allows). */
export function preflight(request: Request): Response {
  return new Response(null, {
    status: 204,
    headers: {
      "x-request-id": newRequestId(),
      "access-control-allow-origin": request.headers.get("origin") ?? "*",
      "access-control-allow-methods": "GET, POST, DELETE, OPTIONS",
      "access-control-allow-headers": request.headers.get("access-control-request-headers") ?? "authorization, content-type",
      "access-control-max-age": "600",
    },
  });
}

/** A known /v1 path called with a method it does not serve. */
export function wrongMethod(request: Request): Response {
  const url = new URL(request.url);
  const err = new OpenAIError(405, `Invalid method for URL (${request.method} ${url.pathname})`, "invalid_request_error", null, null);
  return errorResponse(err, newRequestId());
}
