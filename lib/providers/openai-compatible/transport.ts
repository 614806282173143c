import "server-only";
import http from "node:http";
import https from "node:https";
import { urlToHttpOptions } from "node:url";
import { log } from "@/lib/log";
import { OpenAIError, providerError } from "@/lib/openai/errors";

// One POST to an OpenAI-compatible upstream, with the reliability rules every call shares:
// bounded connect / response-header waits, retries with exponential backoff and full jitter on
// transient failures (only while nothing has been handed to the caller), and error mapping to
// OpenAIError. node:http rather than fetch: it gives separate connect, header and idle
// deadlines, and tearing down the socket on abort is immediate and visible to the upstream.

export type Upstream = { baseUrl: string; apiKey: string | null };

export type TransportOptions = {
  /** Connect + time to response headers; for non-streaming calls, also the whole body. */
  timeoutMs: number;
  /** TCP connect alone; a connect timeout is retried like a refused connection. */
  connectTimeoutMs: number;
  /** Longest silence between two chunks of a streamed body. */
  idleTimeoutMs: number;
  maxRetries: number;
  /** First backoff ceiling; doubles per retry up to maxDelayMs (full jitter below the ceiling). */
  baseDelayMs: number;
  maxDelayMs: number;
  /** A retry-after longer than this is not waited for: the error goes to the client with it. */
  maxRetryAfterMs: number;
};

const RETRYABLE_STATUS = new Set([429, 500, 502, 503, 504]);

// Connection failures worth another attempt: refused, reset (incl. a stale keep-alive socket),
// DNS, unreachable networks. TLS certificate errors and the like are permanent and are not here.
const RETRYABLE_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ECONNABORTED",
  "EPIPE",
  "ETIMEDOUT",
  "ENOTFOUND",
  "EAI_AGAIN",
  "EHOSTUNREACH",
  "EHOSTDOWN",
  "ENETUNREACH",
  "ENETDOWN",
  "ERR_STREAM_PREMATURE_CLOSE",
]);

const MAX_ERROR_BODY_BYTES = 1 << 20;

type FailureKind = "network" | "connect_timeout" | "timeout" | "idle_timeout" | "aborted" | "too_large";

/** Why an attempt ended without a usable response (as opposed to an HTTP error status). */
export class AttemptFailure extends Error {
  constructor(
    readonly kind: FailureKind,
    message: string,
    readonly code: string | null = null,
  ) {
    super(message);
    this.name = "AttemptFailure";
  }
}

/** The upstream answered with a non-2xx status. */
class UpstreamStatus extends Error {
  constructor(
    readonly status: number,
    readonly error: { message: string | null; type: string | null; param: string | null; code: string | null },
    readonly retryAfterMs: number | null,
    readonly upstreamRequestId: string | null,
  ) {
    super(`upstream status ${status}`);
  }
}

function classify(err: unknown): AttemptFailure {
  if (err instanceof AttemptFailure) return err;
  const code = typeof (err as { code?: unknown })?.code === "string" ? (err as { code: string }).code : null;
  return new AttemptFailure("network", err instanceof Error ? err.message : String(err), code);
}

/** Aborts the same way fetch does: with the signal's reason. */
export function abortError(signal: AbortSignal): unknown {
  return signal.reason ?? new DOMException("This operation was aborted", "AbortError");
}

/**
 * One HTTP exchange. Every wait on it (connect, headers, body, next chunk) rejects with the
 * exchange's own failure when a deadline fires or the caller's signal aborts.
 */
export class Attempt {
  readonly req: http.ClientRequest;
  res: http.IncomingMessage | null = null;
  failure: AttemptFailure | null = null;
  private timer: NodeJS.Timeout | null = null;
  private readonly responded: Promise<http.IncomingMessage>;
  private readonly onAbort = () => this.fail(new AttemptFailure("aborted", "aborted"));

  constructor(
    target: Target,
    headers: Record<string, string>,
    body: Buffer,
    agent: http.Agent,
    private readonly signal: AbortSignal,
    private readonly options: TransportOptions,
  ) {
    const client = target.protocol === "https:" ? https : http;
    this.req = client.request({ ...target, method: "POST", headers, agent });
    this.responded = new Promise((resolve, reject) => {
      this.req.once("response", (res) => {
        // Errors surface through reads; this keeps a late socket error from being unhandled.
        res.on("error", () => {});
        this.res = res;
        resolve(res);
      });
      this.req.on("error", (err) => reject(this.failure ?? classify(err)));
    });
    this.responded.catch(() => {});
    this.req.on("socket", (socket) => {
      if (!socket.connecting) return; // a kept-alive socket: already connected
      const t = setTimeout(
        () => this.fail(new AttemptFailure("connect_timeout", "connect timeout")),
        options.connectTimeoutMs,
      );
      socket.once("connect", () => clearTimeout(t));
      socket.once("close", () => clearTimeout(t));
    });
    this.setDeadline(options.timeoutMs, "timeout");
    signal.addEventListener("abort", this.onAbort, { once: true });
    if (signal.aborted) this.onAbort();
    this.req.end(body);
  }

  /** Resolves at the response headers. */
  response(): Promise<http.IncomingMessage> {
    return this.responded;
  }

  fail(failure: AttemptFailure) {
    if (this.failure) return;
    this.failure = failure;
    this.clearDeadline();
    this.res?.destroy(failure);
    this.req.destroy(failure);
  }

  setDeadline(ms: number, kind: "timeout" | "idle_timeout") {
    this.clearDeadline();
    this.timer = setTimeout(() => this.fail(new AttemptFailure(kind, kind)), ms);
  }

  clearDeadline() {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  /** The whole body, under the deadline already running. */
  async readBody(limit: number): Promise<Buffer> {
    const res = await this.responded;
    return new Promise<Buffer>((resolve, reject) => {
      const chunks: Buffer[] = [];
      let size = 0;
      const onData = (chunk: Buffer) => {
        size += chunk.length;
        if (size > limit) {
          this.fail(new AttemptFailure("too_large", `response body over ${limit} bytes`));
          return;
        }
        chunks.push(chunk);
      };
      const onEnd = () => {
        cleanup();
        if (this.failure) reject(this.failure);
        else resolve(chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, size));
      };
      // A failure (deadline, abort, too large) destroys the response; so does a lost connection.
      const onClose = () => {
        cleanup();
        reject(this.failure ?? classify(res.errored ?? new AttemptFailure("network", "the upstream closed the connection before the end of the body", "ERR_STREAM_PREMATURE_CLOSE")));
      };
      const cleanup = () => {
        res.off("data", onData);
        res.off("end", onEnd);
        res.off("close", onClose);
      };
      if (this.failure) return reject(this.failure);
      res.on("data", onData);
      res.once("end", onEnd);
      res.once("close", onClose);
    });
  }

  /** The next body chunk, waiting at most idleTimeoutMs; null at the end of the body. */
  async nextChunk(iterator: AsyncIterator<Buffer>): Promise<Buffer | null> {
    this.setDeadline(this.options.idleTimeoutMs, "idle_timeout");
    try {
      const { value, done } = await iterator.next();
      if (this.failure) throw this.failure;
      return done ? null : value;
    } catch (err) {
      throw this.failure ?? classify(err);
    } finally {
      this.clearDeadline();
    }
  }

  /** Releases timers and listeners; an unfinished exchange is torn down (the upstream sees it close). */
  dispose() {
    this.clearDeadline();
    this.signal.removeEventListener("abort", this.onAbort);
    if (!this.res?.complete) {
      this.res?.destroy();
      this.req.destroy();
    }
  }
}

// ---- error bodies ----

function str(v: unknown): string | null {
  return typeof v === "string" && v !== "" ? v : null;
}

/**
 * Reads an error body in the shapes upstreams use: OpenAI's {"error":{message,type,param,code}},
 * {"error":"text"} (Ollama, llama.cpp), {"object":"error","message",...} (vLLM), or plain text.
 */
export function parseUpstreamError(text: string): UpstreamStatus["error"] {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { message: null, type: null, param: null, code: null };
  }
  if (!json || typeof json !== "object") return { message: null, type: null, param: null, code: null };
  const o = json as Record<string, unknown>;
  const e = o.error && typeof o.error === "object" ? (o.error as Record<string, unknown>) : o;
  return {
    message: str(e.message) ?? str(o.error) ?? str(o.detail),
    type: str(e.type),
    param: str(e.param),
    // Some servers put the HTTP status in `code` as a number; only string codes are meaningful.
    code: str(e.code),
  };
}

/** retry-after-ms (OpenAI) wins over retry-after (seconds or an HTTP date). */
export function parseRetryAfter(headers: http.IncomingHttpHeaders, now = Date.now()): number | null {
  const ms = Number(headers["retry-after-ms"]);
  if (headers["retry-after-ms"] !== undefined && Number.isFinite(ms) && ms >= 0) return ms;
  const value = headers["retry-after"];
  if (value === undefined || value.trim() === "") return null;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return seconds >= 0 ? seconds * 1000 : null;
  const date = Date.parse(value);
  return Number.isNaN(date) ? null : Math.max(0, date - now);
}

/** Replaces the upstream key wherever an upstream echoes it, so it never reaches logs or clients. */
export function scrub(text: string, apiKey: string | null): string {
  if (!apiKey || apiKey.length < 4) return text;
  return text.split(apiKey).join("[redacted]");
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(abortError(signal));
    const onAbort = () => {
      clearTimeout(t);
      reject(abortError(signal));
    };
    const t = setTimeout(() => {
      signal.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal.addEventListener("abort", onAbort, { once: true });
  });
}

// ---- the call ----

export type CallSpec = {
  upstream: Upstream;
  path: string;
  body: Record<string, unknown>;
  accept: string;
  requestId: string;
  signal: AbortSignal;
};

/** Where a request goes, as node:http takes it. */
type Target = { protocol: string; hostname: string; port?: number | string; path: string; auth?: string };

export class Transport {
  private readonly httpAgent = new http.Agent({ keepAlive: true });
  private readonly httpsAgent = new https.Agent({ keepAlive: true });
  /** Parsed once per upstream URL: parsing and converting a URL on every call costs more than the rest of building the request. */
  private readonly targets = new Map<string, { target: Target; host: string } | null>();

  constructor(readonly options: () => TransportOptions) {}

  /**
   * Sends the request, retrying transient failures, until a 2xx response has been `consume`d.
   * `consume` runs inside the retry loop: it reads as much as must be read before anything is
   * handed to the caller (the whole body, or a stream's first event), so a connection lost
   * before then is retried too. The returned attempt is the caller's to dispose.
   */
  async send<T>(spec: CallSpec, consume: (attempt: Attempt, res: http.IncomingMessage) => Promise<T>): Promise<{ value: T; attempt: Attempt }> {
    const options = this.options();
    const resolved = this.targetOf(spec.upstream.baseUrl, spec.path);
    if (!resolved) {
      log.error("upstream base URL is invalid", { requestId: spec.requestId });
      throw new OpenAIError(500, "The upstream connection for this model has an invalid base URL.", "server_error");
    }
    const { target, host } = resolved;
    const body = Buffer.from(JSON.stringify(spec.body), "utf8");
    const headers: Record<string, string> = {
      "content-type": "application/json",
      "content-length": String(body.length),
      accept: spec.accept,
      "user-agent": "Gatehouse",
    };
    if (spec.upstream.apiKey) headers.authorization = `Bearer ${spec.upstream.apiKey}`;
    const agent = target.protocol === "https:" ? this.httpsAgent : this.httpAgent;
    const where = { requestId: spec.requestId, upstream: host, path: spec.path };

    for (let retry = 0; ; retry++) {
      if (spec.signal.aborted) throw abortError(spec.signal);
      const attempt = new Attempt(target, headers, body, agent, spec.signal, options);
      try {
        const res = await attempt.response();
        const status = res.statusCode ?? 0;
        if (status >= 200 && status < 300) {
          return { value: await consume(attempt, res), attempt };
        }
        const text = (await attempt.readBody(MAX_ERROR_BODY_BYTES).catch(() => Buffer.alloc(0))).toString("utf8");
        throw new UpstreamStatus(status, parseUpstreamError(text), parseRetryAfter(res.headers), str(res.headers["x-request-id"]));
      } catch (err) {
        attempt.dispose();
        if (spec.signal.aborted) throw abortError(spec.signal);
        const delay = this.retryDelay(err, retry, options);
        if (delay === null) throw this.toOpenAIError(err, spec, options, where);
        log.warn("upstream request failed; retrying", { ...where, ...describe(err, spec.upstream.apiKey), retry: retry + 1, delayMs: Math.round(delay) });
        await sleep(delay, spec.signal);
      }
    }
  }

  /** node:http's options for baseUrl + path; null when that is not an http(s) URL. */
  private targetOf(baseUrl: string, path: string): { target: Target; host: string } | null {
    const key = `${baseUrl}\n${path}`;
    let resolved = this.targets.get(key);
    if (resolved === undefined) {
      resolved = null;
      try {
        const url = new URL(baseUrl.replace(/\/+$/, "") + path);
        if (url.protocol === "http:" || url.protocol === "https:") {
          const { protocol, hostname, port, path: fullPath, auth } = urlToHttpOptions(url);
          resolved = { target: { protocol: protocol!, hostname: hostname!, path: fullPath!, ...(port ? { port } : {}), ...(auth ? { auth } : {}) }, host: url.host };
        }
      } catch {
        // not a URL
      }
      // Upstreams are few (the catalog's connections); bounded anyway.
      if (this.targets.size >= 1_000) this.targets.clear();
      this.targets.set(key, resolved);
    }
    return resolved;
  }

  /** Milliseconds to wait before the next attempt, or null when this failure is final. */
  private retryDelay(err: unknown, retry: number, options: TransportOptions): number | null {
    if (retry >= options.maxRetries) return null;
    if (err instanceof UpstreamStatus) {
      if (!RETRYABLE_STATUS.has(err.status)) return null;
      // Out of credit upstream: waiting does not help.
      if (err.error.code === "insufficient_quota" || err.error.type === "insufficient_quota") return null;
      if (err.retryAfterMs !== null) return err.retryAfterMs <= options.maxRetryAfterMs ? err.retryAfterMs : null;
    } else if (err instanceof AttemptFailure) {
      const transient = err.kind === "connect_timeout" || (err.kind === "network" && err.code !== null && RETRYABLE_CODES.has(err.code));
      if (!transient) return null;
    } else {
      return null;
    }
    // Full jitter: uniform in [0, min(cap, base·2^retry)], so synchronized clients spread out.
    return Math.random() * Math.min(options.maxDelayMs, options.baseDelayMs * 2 ** retry);
  }

  private toOpenAIError(err: unknown, spec: CallSpec, options: TransportOptions, where: Record<string, unknown>): unknown {
    const apiKey = spec.upstream.apiKey;
    const details = { ...where, ...describe(err, apiKey) };
    if (err instanceof UpstreamStatus) {
      const { status, error } = err;
      const message = error.message ? scrub(error.message, apiKey) : null;
      if (status === 429) {
        log.warn("upstream rate limited the request", details);
        const seconds = err.retryAfterMs === null ? 1 : Math.max(1, Math.ceil(err.retryAfterMs / 1000));
        return new OpenAIError(
          429,
          message ?? "The upstream model provider is rate limiting requests. Please retry after a short wait.",
          error.type ?? "requests",
          error.param,
          error.code ?? "rate_limit_exceeded",
          { "retry-after": String(seconds) },
        );
      }
      if (status === 401) {
        // The upstream refused Gatehouse's own credentials: passing a 401 on would tell the
        // client its key is wrong, which it is not.
        log.error("upstream rejected its API key", details);
        return providerError(`The upstream model provider rejected the gateway's credentials (status ${status})`, 502);
      }
      if (status >= 400 && status < 500) {
        log.info("upstream refused the request", details);
        return new OpenAIError(
          status,
          message ?? `The upstream model provider refused the request (status ${status})`,
          error.type ?? "invalid_request_error",
          error.param,
          error.code,
        );
      }
      log.error("upstream request failed", details);
      return providerError(
        status >= 500
          ? `The upstream model provider failed to process the request (status ${status})`
          : `The upstream model provider answered with an unexpected status (status ${status})`,
        502,
      );
    }
    if (err instanceof AttemptFailure) {
      log.error("upstream request failed", details);
      switch (err.kind) {
        case "timeout":
          return providerError(`The upstream model provider did not answer within ${seconds(options.timeoutMs)}`, 504);
        case "idle_timeout":
          return providerError(`The upstream model provider sent nothing for ${seconds(options.idleTimeoutMs)}`, 504);
        case "connect_timeout":
          return providerError(`The upstream model provider did not accept a connection within ${seconds(options.connectTimeoutMs)}`, 504);
        case "too_large":
          return providerError("The upstream model provider sent a response too large to handle", 502);
        case "aborted":
          return abortError(spec.signal);
        case "network":
          return providerError(`The upstream model provider could not be reached (${err.code ?? "connection failed"})`, 502);
      }
    }
    if (err instanceof OpenAIError) log.error("upstream answer unusable", details);
    return err;
  }

  /** Maps a failure while reading an accepted response (nothing retried after the first event). */
  streamError(err: unknown, spec: CallSpec): unknown {
    if (err instanceof OpenAIError) return err;
    const options = this.options();
    if (err instanceof AttemptFailure && err.kind === "network") {
      log.error("upstream stream broke", { requestId: spec.requestId, ...describe(err, spec.upstream.apiKey) });
      return providerError("The upstream model provider closed the connection before finishing the response", 502);
    }
    return this.toOpenAIError(err, spec, options, { requestId: spec.requestId, path: spec.path });
  }
}

function seconds(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${(ms / 1000).toFixed(1)} s`;
}

/** Log fields for a failure: never the key, never the request body. */
function describe(err: unknown, apiKey: string | null): Record<string, unknown> {
  if (err instanceof UpstreamStatus) {
    return {
      status: err.status,
      upstreamRequestId: err.upstreamRequestId,
      error: err.error.message ? scrub(err.error.message, apiKey).slice(0, 500) : null,
      code: err.error.code,
    };
  }
  if (err instanceof AttemptFailure) return { failure: err.kind, code: err.code, error: scrub(err.message, apiKey).slice(0, 200) };
  if (err instanceof OpenAIError) return { status: err.status, error: scrub(err.message, apiKey).slice(0, 200) };
  return { error: err instanceof Error ? scrub(err.message, apiKey).slice(0, 200) : String(err) };
}
