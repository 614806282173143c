import "server-only";
import { Readable } from "node:stream";
import { MAX_BODY_BYTES } from "./admission";
import { requestEnded, requestStarted } from "./lifecycle";

// What an API endpoint receives and answers, without the web Request/Response classes: the API
// server (node-server.ts) builds the one from node:http and writes the other straight to the
// socket; the framework's route files (app/v1/**, app/api/**) adapt a standard Request and
// Response at the edge (nextRoute, below). The web classes cost more per request than the rest of
// the adapter (a body stream, an abort signal and validated headers on each), for things the
// endpoints never use.

/** The request as endpoints see it. A standard Request is one. */
export type GatewayRequest = {
  readonly method: string;
  /** Absolute URL, path and query as sent. */
  readonly url: string;
  readonly headers: { get(name: string): string | null };
};

/** A body written chunk by chunk as it is produced (events, downloads); `return()` stops its producer. */
export type StreamedBody = AsyncIterable<Uint8Array | string>;

export type AnswerBody = string | Uint8Array | StreamedBody | null;

/** An endpoint's answer: status, headers (lower-case names) and body. */
export class Answer {
  constructor(
    public status: number,
    public headers: Record<string, string>,
    public body: AnswerBody,
  ) {}

  /** A JSON answer, as Response.json makes one. */
  static json(value: unknown, status = 200, headers?: Record<string, string>): Answer {
    return new Answer(status, { "content-type": "application/json", ...headers }, JSON.stringify(value));
  }
}

export function isStreamed(body: AnswerBody): body is StreamedBody {
  return body !== null && typeof body === "object" && !(body instanceof Uint8Array);
}

/** What the API server has already taken from the connection. */
export type Transport = {
  /** The whole request body, as read from the socket (null: none); undefined when `stream` carries it. */
  body?: Buffer | null;
  /** The request body still on the socket, for endpoints that stream uploads (lib/gateway/routes.ts streamsBody). */
  stream?: Readable;
  /** Aborts when the client goes away before the answer is complete. */
  signal: AbortSignal;
};

/** An endpoint as the API server calls it: params as matched from the path (still percent-encoded). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type GatewayHandler<P = any> = (request: GatewayRequest, params: P, transport: Transport) => Answer | Promise<Answer>;

// ---- the framework's side ----

/** Reads a standard Request's body, keeping only enough past the limit for the endpoint to see that it is too large. */
async function readWebBody(request: Request): Promise<Buffer | null> {
  if (!request.body) return null;
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = request.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    size += value.length;
    if (size > MAX_BODY_BYTES) {
      await reader.cancel().catch(() => {});
      break;
    }
  }
  return size === 0 ? null : Buffer.concat(chunks, size);
}

/** A streamed body as a pull-based web stream: the producer runs only as fast as the client reads. */
function toWebStream(body: StreamedBody, onEnd: () => void): ReadableStream<Uint8Array> {
  const iterator = body[Symbol.asyncIterator]();
  const encoder = new TextEncoder();
  let ended = false;
  const end = () => {
    if (!ended) {
      ended = true;
      onEnd();
    }
  };
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const next = await iterator.next();
        if (next.done) {
          controller.close();
          end();
        } else {
          controller.enqueue(typeof next.value === "string" ? encoder.encode(next.value) : next.value);
        }
      } catch (err) {
        controller.error(err);
        end();
      }
    },
    async cancel() {
      try {
        await iterator.return?.();
      } catch {
        // the client is gone; nothing left to tell it
      } finally {
        end();
      }
    },
  });
}

export function toResponse(answer: Answer, onStreamEnd: () => void = () => {}): Response {
  const { body } = answer;
  const init = { status: answer.status, headers: answer.headers };
  if (isStreamed(body)) return new Response(toWebStream(body, onStreamEnd), init);
  return new Response(body as BodyInit | null, init);
}

/**
 * A gateway endpoint as a framework route handler. `streamsBody`: the endpoint reads the request
 * body as a stream (uploads); otherwise it is read first, as the API server does. A streamed
 * answer counts as a request in flight until it ends or the client goes away (shutdown waits
 * for it; the API server counts its own requests).
 */
export function nextRoute<P>(
  handler: GatewayHandler<P>,
  options: { streamsBody?: boolean } = {},
): (request: Request, route: { params: Promise<P> }) => Promise<Response> {
  return async (request, route) => {
    const bodyless = request.method === "GET" || request.method === "HEAD";
    const transport: Transport = options.streamsBody
      ? { stream: request.body ? Readable.fromWeb(request.body as import("node:stream/web").ReadableStream<Uint8Array>) : Readable.from([]), signal: request.signal }
      : { body: bodyless ? null : await readWebBody(request), signal: request.signal };
    const answer = await handler(request, (route ? await route.params : {}) as P, transport);
    if (!isStreamed(answer.body)) return toResponse(answer);
    if (request.method === "HEAD") {
      void Promise.resolve(answer.body[Symbol.asyncIterator]().return?.()).catch(() => {});
      answer.body = null;
      return toResponse(answer);
    }
    requestStarted();
    let ended = false;
    const end = () => {
      if (!ended) {
        ended = true;
        requestEnded();
      }
    };
    request.signal.addEventListener("abort", end, { once: true });
    return toResponse(answer, end);
  };
}
