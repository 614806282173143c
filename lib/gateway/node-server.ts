import "server-only";
import type { IncomingMessage, ServerResponse } from "node:http";
import { promisify } from "node:util";
import { gzip } from "node:zlib";
import { internalError, invalidPathEncoding } from "@/lib/openai/errors";
import { newRequestId } from "@/lib/openai/responses";
import { log } from "@/lib/log";
import {
  chatCompletionsRoute, embeddingsRoute, fileContentRoute, fineTuningJobCancelRoute, fineTuningJobCheckpointsRoute, fineTuningJobEventsRoute,
  fineTuningJobRoute, fineTuningJobsRoute, fileRoute, filesRoute, handlerFor, modelRoute, modelsRoute, preflight, streamsBody, unknownRoute,
  type RouteHandler, type RouteMethods,
} from "./routes";
import { MAX_BODY_BYTES } from "./admission";
import { isStreamed, type Answer, type GatewayRequest, type Transport } from "./answer";
import { requestEnded, requestStarted } from "./lifecycle";
import { errorResponse } from "./with-api-key";

// The API server: /v1 answered straight from node:http, in the same process as the console.
// server.mjs hands every /v1 request here (once instrumentation.ts has registered this
// handler); the framework's request pipeline, which costs about a millisecond per request,
// is left to the console. The endpoints themselves are the same handlers the framework's
// route files export (lib/gateway/routes.ts), called with a GatewayRequest and answering an
// Answer (lib/gateway/answer.ts); this file only adapts node:http to them:
// - the body is read into memory up to the API's limit (JSON endpoints parse it whole), except
//   for uploads, whose endpoint reads the socket as a stream (routes.ts streamsBody);
// - the transport signal aborts when the client goes away before the answer is complete, which
//   cancels generation and is metered as a cancelled request;
// - streamed answers (events, file downloads) are written chunk by chunk with backpressure;
//   other answers are sent whole, gzipped from 1 KB when the client accepts it.

const GZIP_FROM_BYTES = 1024;
const gzipAsync = promisify(gzip);

type Route = { methods: RouteMethods | null; params: Record<string, string> };
const NO_PARAMS: Record<string, string> = {};
const STATIC: Record<string, RouteMethods> = {
  "/v1/chat/completions": chatCompletionsRoute,
  "/v1/embeddings": embeddingsRoute,
  "/v1/models": modelsRoute,
  "/v1/files": filesRoute,
  "/v1/fine_tuning/jobs": fineTuningJobsRoute,
};

const JOB_SUBROUTES: Record<string, RouteMethods> = {
  "/cancel": fineTuningJobCancelRoute,
  "/events": fineTuningJobEventsRoute,
  "/checkpoints": fineTuningJobCheckpointsRoute,
};

/** `pathname` as sent (percent-encoded). One trailing slash is ignored, as the framework does. */
export function matchRoute(pathname: string): Route {
  const path = pathname.length > 4 && pathname.endsWith("/") ? pathname.slice(0, -1) : pathname;
  const methods = STATIC[path];
  if (methods) return { methods, params: NO_PARAMS };
  if (path.startsWith("/v1/models/")) {
    const model = path.slice("/v1/models/".length);
    if (model && !model.includes("/")) return { methods: modelRoute, params: { model } };
  }
  if (path.startsWith("/v1/files/")) {
    const rest = path.slice("/v1/files/".length);
    const slash = rest.indexOf("/");
    if (slash === -1 && rest) return { methods: fileRoute, params: { fileId: rest } };
    if (slash > 0 && rest.slice(slash) === "/content") return { methods: fileContentRoute, params: { fileId: rest.slice(0, slash) } };
  }
  if (path.startsWith("/v1/fine_tuning/jobs/")) {
    const rest = path.slice("/v1/fine_tuning/jobs/".length);
    const slash = rest.indexOf("/");
    if (slash === -1 && rest) return { methods: fineTuningJobRoute, params: { jobId: rest } };
    const sub = slash > 0 ? JOB_SUBROUTES[rest.slice(slash)] : undefined;
    if (sub) return { methods: sub, params: { jobId: rest.slice(0, slash) } };
  }
  return { methods: null, params: NO_PARAMS };
}

function readBody(req: IncomingMessage): Promise<Buffer | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let overflow = false;
    req.on("data", (chunk: Buffer) => {
      if (overflow) return;
      size += chunk.length;
      // Past the limit, keep only enough for the endpoint to see that it is too large.
      if (size > MAX_BODY_BYTES) {
        overflow = true;
        chunks.push(chunk.subarray(0, chunk.length - (size - MAX_BODY_BYTES) + 1));
        resolve(Buffer.concat(chunks));
        return;
      }
      chunks.push(chunk);
    });
    req.on("end", () => resolve(chunks.length === 0 ? null : chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, size)));
    req.on("error", reject);
  });
}

/** node:http's parsed headers behind the one method endpoints use. */
class NodeHeaders {
  constructor(private readonly headers: IncomingMessage["headers"]) {}

  /** As Headers.get: null when absent, repeated headers joined with ", ". */
  get(name: string): string | null {
    const value = this.headers[name.toLowerCase()];
    if (value === undefined) return null;
    return Array.isArray(value) ? value.join(", ") : value;
  }
}

function acceptsGzip(req: IncomingMessage): boolean {
  const accept = req.headers["accept-encoding"];
  return typeof accept === "string" && /\bgzip\b/i.test(accept) && !/\bgzip\s*;\s*q\s*=\s*0(?:\.0*)?\s*(?:,|$)/i.test(accept);
}

function waitForDrain(res: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      res.off("drain", done);
      res.off("close", done);
      resolve();
    };
    res.on("drain", done);
    res.on("close", done);
  });
}

async function writeAnswer(req: IncomingMessage, res: ServerResponse, answer: Answer): Promise<void> {
  res.statusCode = answer.status;
  for (const name in answer.headers) res.setHeader(name, answer.headers[name]);
  const body = answer.body;
  if (isStreamed(body)) {
    const iterator = body[Symbol.asyncIterator]();
    if (req.method === "HEAD") {
      await Promise.resolve(iterator.return?.()).catch(() => {});
      res.end();
      return;
    }
    // The client went away: stop the producer, whose finally blocks (stop generation, meter
    // what was generated) run at its next step. Returning an ended producer again is harmless.
    const stop = () => void Promise.resolve(iterator.return?.()).catch(() => {});
    res.once("close", stop);
    if ((answer.headers["content-type"] ?? "").startsWith("text/event-stream")) res.flushHeaders();
    let ended = false;
    try {
      for (;;) {
        const { done, value } = await iterator.next();
        if (done) {
          ended = true;
          break;
        }
        if (res.destroyed) break;
        if (!res.write(value)) await waitForDrain(res);
      }
      if (ended) res.end();
    } finally {
      res.off("close", stop);
      // Gone before its 'close' event was seen here, or the write failed.
      if (!ended) stop();
    }
    return;
  }
  if (body === null || req.method === "HEAD") {
    res.end();
    return;
  }
  let bytes: Buffer = typeof body === "string" ? Buffer.from(body, "utf8") : Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  if (bytes.length >= GZIP_FROM_BYTES && !answer.headers["content-encoding"] && acceptsGzip(req)) {
    bytes = await gzipAsync(bytes);
    res.setHeader("content-encoding", "gzip");
    res.setHeader("vary", "Accept-Encoding");
  }
  res.setHeader("content-length", bytes.length);
  res.end(bytes);
}

/** Answers one /v1 request (server.mjs decides which: `/v1` and everything under it). Never throws; never leaves the client hanging. */
export async function serveV1(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const method = req.method ?? "GET";
  const rawUrl = req.url ?? "/v1";
  const query = rawUrl.indexOf("?");
  const pathname = query === -1 ? rawUrl : rawUrl.slice(0, query);
  const aborter = new AbortController();
  // Every request counts as in flight until its answer is written or the client is gone, so
  // that shutdown waits for it (lib/gateway/lifecycle.ts); one that goes away before the whole
  // answer was written has the work behind it cancelled.
  requestStarted();
  res.once("close", () => {
    requestEnded();
    if (!res.writableFinished) aborter.abort();
  });
  try {
    try {
      decodeURIComponent(pathname);
    } catch {
      req.resume();
      await writeAnswer(req, res, errorResponse(invalidPathEncoding(method, pathname), newRequestId()));
      return;
    }
    const route = matchRoute(pathname);
    const handler: RouteHandler = route.methods ? handlerFor(route.methods, method) : method === "OPTIONS" ? preflight : unknownRoute;
    const hasBody = method !== "GET" && method !== "HEAD";
    // Uploads are streamed by their endpoint; every other body is read whole first.
    const streamed = hasBody && streamsBody(handler);
    const body = hasBody && !streamed ? await readBody(req) : null;
    if (!hasBody) req.resume();
    const host = req.headers.host && /^[\w.:[\]-]+$/.test(req.headers.host) ? req.headers.host : "localhost";
    const request: GatewayRequest = { method, url: `http://${host}${rawUrl}`, headers: new NodeHeaders(req.headers) };
    const transport: Transport = streamed ? { stream: req, signal: aborter.signal } : { body, signal: aborter.signal };
    await writeAnswer(req, res, await handler(request, route.params, transport));
  } catch (err) {
    const requestId = newRequestId();
    log.error("unhandled error in the API server", { requestId, error: (err as Error)?.stack ?? String(err) });
    if (!res.headersSent) {
      await writeAnswer(req, res, errorResponse(internalError(requestId), requestId)).catch(() => res.destroy());
    } else {
      res.destroy();
    }
  }
}
