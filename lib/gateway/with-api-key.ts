import "server-only";
import { allows, type Resource } from "@/lib/keys/permissions";
import { markKeyUsed, resolveApiKey, type ResolvedKey, type KeyRejection } from "@/lib/keys/resolve-api-key";
import { bootState } from "@/lib/boot";
import { log } from "@/lib/log";
import { internalError, invalidApiKey, missingApiKey, OpenAIError, overloaded, permissionDenied } from "@/lib/openai/errors";
import { newRequestId } from "@/lib/openai/responses";
import { recordUsage } from "@/lib/usage/recorder";
import { isDraining } from "./lifecycle";
import { observeRequest } from "./metrics";
import { Answer, type GatewayHandler, type GatewayRequest } from "./answer";

// The wrapper of every API call (/v1 with an API key, the console playground with a session):
// request id, authentication, permission check,
// OpenAI-shaped errors for everything (never a stack trace or HTML), common headers, and a
// usage event for every request that could be attributed to a project.

export type Meter = {
  model: string | null;
  provider: string | null;
  /** Set once the handler has recorded the request's usage itself. */
  recorded: boolean;
};

/**
 * Who makes an API call: an API key, or a signed-in console user in the playground (keyId
 * null, the user as owner, no key limits). Everything after authentication treats both alike.
 */
export type Caller = Omit<ResolvedKey, "keyId"> & { keyId: string | null };

export type GatewayContext = {
  requestId: string;
  startedAt: number;
  key: Caller;
  request: GatewayRequest;
  /** Aborts when the client goes away before the answer is complete. */
  signal: AbortSignal;
  /** The whole request body (null: none); undefined for endpoints that stream it. */
  body: Buffer | null | undefined;
  /** The request body as a stream (uploads), for the endpoints that take it so (routes.ts streamsBody). */
  stream: import("node:stream").Readable | undefined;
  /** Extra response headers (rate limits), lower-case names; merged into whatever the handler answers, errors included. */
  headers: Record<string, string>;
  meter: Meter;
  endpoint: string;
};

type Options = { endpoint: string; resource: Resource; access: "read" | "write" };

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

export function errorResponse(err: OpenAIError, requestId: string, extra?: Record<string, string>): Answer {
  const headers: Record<string, string> = { ...extra, "content-type": "application/json", "x-request-id": requestId };
  for (const [k, v] of Object.entries(err.headers)) headers[k.toLowerCase()] = v;
  return new Answer(err.status, headers, JSON.stringify(err.body()));
}

function authenticate(request: GatewayRequest): string {
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

/** Authenticates a request: the caller, or an OpenAIError (401/403/404) to answer. */
export type Authenticate = (request: GatewayRequest) => Promise<Caller>;

async function apiKeyCaller(request: GatewayRequest): Promise<Caller> {
  const secret = authenticate(request);
  const resolution = await resolveApiKey(secret);
  if (!resolution.ok) throw invalidApiKey(REJECTIONS[resolution.reason].replace("{key}", redactPresentedKey(secret)));
  markKeyUsed(resolution.key.keyId);
  return resolution.key;
}

/** An endpoint of /v1, called with an API key (`Authorization: Bearer sk-…`). */
export function withApiKey<P = Record<string, never>>(options: Options, handler: (ctx: GatewayContext, params: P) => Promise<Answer>): GatewayHandler<P> {
  return withCaller(options, apiKeyCaller, handler);
}

/**
 * The one pipeline of every API call, whoever the caller: request id, authentication,
 * permission check, OpenAI-shaped errors for everything (never a stack trace or HTML), common
 * headers, and a usage event for every request that could be attributed to a project.
 */
export function withCaller<P = Record<string, never>>(
  options: Options,
  identify: Authenticate,
  handler: (ctx: GatewayContext, params: P) => Promise<Answer>,
): GatewayHandler<P> {
  return async (request, params, transport) => {
    const requestId = newRequestId();
    const startedAt = performance.now();
    const headers: Record<string, string> = {};
    let ctx: GatewayContext | null = null;
    let answer: Answer;
    try {
      if (!bootState().ready) throw overloaded("Gatehouse is starting up. Retry in a few seconds.", 5);
      if (isDraining()) throw overloaded("Gatehouse is shutting down. Retry in a few seconds.", 5);
      const key = await identify(request);
      ctx = { requestId, startedAt, key, request, signal: transport.signal, body: transport.body, stream: transport.stream, headers, meter: { model: null, provider: null, recorded: false }, endpoint: options.endpoint };
      if (!allows(key.permissions, options.resource, options.access)) {
        throw permissionDenied(
          `You have insufficient permissions for this operation. Missing scopes: ${PERMISSION_SCOPES[options.resource].replace(/\.write$/, `.${options.access}`)}. Check that your API key has ${options.access} access to ${options.resource.replace("_", " ")} (restricted and read-only keys are set in the Gatehouse console).`,
        );
      }
      answer = await handler(ctx, params);
    } catch (err) {
      let e: OpenAIError;
      if (err instanceof OpenAIError) e = err;
      else {
        log.error("unhandled error in /v1", { requestId, endpoint: options.endpoint, error: (err as Error)?.stack ?? String(err) });
        e = internalError(requestId);
      }
      answer = errorResponse(e, requestId, headers);
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
    const ms = performance.now() - startedAt;
    const out = answer.headers;
    for (const k in headers) if (out[k] === undefined) out[k] = headers[k];
    out["x-request-id"] = requestId;
    if (request.headers.get("origin")) out["access-control-allow-origin"] = "*";
    out["openai-version"] = "2020-10-01";
    out["openai-processing-ms"] = String(Math.round(ms));
    const status = answer.status;
    const access = { requestId, endpoint: options.endpoint, status, ms: Math.round(ms), projectId: ctx?.key.projectId, keyId: ctx?.key.keyId, model: ctx?.meter.model ?? undefined };
    // After the answer is on its way: the line and the histogram cost the client nothing then.
    setImmediate(() => {
      observeRequest(options.endpoint, status, ms);
      // One access line per request: ids and counts only, never the key, prompt or answer.
      log.info("api request", access);
    });
    return answer;
  };
}

/** The public /v1 404 for unknown routes (OpenAI answers JSON, never HTML). */
export const unknownRoute: GatewayHandler = (request) => {
  const url = new URL(request.url);
  const err = new OpenAIError(404, `Invalid URL (${request.method} ${url.pathname})`, "invalid_request_error", null, null);
  return errorResponse(err, newRequestId());
};

/** CORS preflight: browsers may call the API directly with a key (as OpenAI allows). */
export const preflight: GatewayHandler = (request) =>
  new Answer(
    204,
    {
      "x-request-id": newRequestId(),
      "access-control-allow-origin": request.headers.get("origin") ?? "*",
      "access-control-allow-methods": "GET, POST, DELETE, OPTIONS",
      "access-control-allow-headers": request.headers.get("access-control-request-headers") ?? "authorization, content-type",
      "access-control-max-age": "600",
    },
    null,
  );

/** A known /v1 path called with a method it does not serve. */
export const wrongMethod: GatewayHandler = (request) => {
  const url = new URL(request.url);
  const err = new OpenAIError(405, `Invalid method for URL (${request.method} ${url.pathname})`, "invalid_request_error", null, null);
  return errorResponse(err, newRequestId());
};
