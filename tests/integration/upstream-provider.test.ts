import assert from "node:assert/strict";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { after, afterEach, before, describe, it } from "node:test";
import { setTimeout as delay } from "node:timers/promises";
import { OpenAIError } from "@/lib/openai/errors";
import { countChatPromptTokens, countTextTokens } from "@/lib/openai/tokens";
import { createOpenAICompatibleProvider, openAICompatibleProvider, parseUpstreamModels } from "@/lib/providers/openai-compatible";
import type { ChatMessage, ChatRequest, ChatStreamEvent, FunctionTool, ModelEntry } from "@/lib/providers/types";
import { startLogCapture } from "../helpers/log-capture";

// A real OpenAI-compatible server on a loopback port, scripted per test, and the provider
// talking real HTTP to it.

const KEY = "sk-upstream-test-key-0123456789abcdefXYZ";

type Seen = { url: string; headers: http.IncomingHttpHeaders; body: Record<string, unknown> };
type Handler = (req: http.IncomingMessage, res: http.ServerResponse, body: Record<string, unknown>) => void | Promise<void>;

class FakeUpstream {
  readonly requests: Seen[] = [];
  private handlers: Handler[] = [];
  fallback: Handler = (_req, res) => json(res, 500, { error: { message: "no handler scripted" } });
  private server = http.createServer((req, res) => void this.handle(req, res));

  static async start(port = 0): Promise<FakeUpstream> {
    const f = new FakeUpstream();
    await new Promise<void>((resolve, reject) => {
      f.server.once("error", reject);
      f.server.listen(port, "127.0.0.1", () => resolve());
    });
    return f;
  }

  get port() {
    return (this.server.address() as AddressInfo).port;
  }

  get baseUrl() {
    return `http://127.0.0.1:${this.port}/v1`;
  }

  /** Handlers for the next requests, in order; later requests get `fallback`. */
  script(...handlers: Handler[]) {
    this.handlers = handlers;
    this.requests.length = 0;
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse) {
    let raw = "";
    for await (const chunk of req) raw += chunk;
    const body = raw ? (JSON.parse(raw) as Record<string, unknown>) : {};
    this.requests.push({ url: req.url ?? "", headers: req.headers, body });
    await (this.handlers.shift() ?? this.fallback)(req, res, body);
  }

  async stop() {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

function json(res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
  const text = JSON.stringify(body);
  res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(text), ...headers });
  res.end(text);
}

function sseHead(res: http.ServerResponse) {
  res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache" });
  res.flushHeaders();
}

const chunk = (choices: unknown[], extra: Record<string, unknown> = {}) =>
  `data: ${JSON.stringify({ id: "chatcmpl-1", object: "chat.completion.chunk", created: 1, model: "upstream-model", choices, ...extra })}\n\n`;
const contentChunk = (content: string, index = 0) => chunk([{ index, delta: { content }, finish_reason: null }]);
const finishChunk = (reason: string, index = 0) => chunk([{ index, delta: {}, finish_reason: reason }]);
const usageChunk = (prompt: number, completion: number, cached = 0) =>
  chunk([], { usage: { prompt_tokens: prompt, completion_tokens: completion, total_tokens: prompt + completion, prompt_tokens_details: { cached_tokens: cached } } });

const completion = (message: Record<string, unknown>, finish: string, usage?: Record<string, unknown>) => ({
  id: "chatcmpl-1",
  object: "chat.completion",
  created: 1,
  model: "upstream-model",
  system_fingerprint: "fp_test",
  choices: [{ index: 0, message: { role: "assistant", ...message }, finish_reason: finish, logprobs: null }],
  ...(usage ? { usage } : {}),
});

const MESSAGES: ChatMessage[] = [
  { role: "system", content: "You are terse." },
  { role: "user", content: "Say hello to the whole world, please." },
];
const TOOLS: FunctionTool[] = [
  { type: "function", function: { name: "get_weather", description: "Weather for a city", parameters: { type: "object", properties: { city: { type: "string" } } } } },
];

function chatRequest(raw: Record<string, unknown> = {}, tools: FunctionTool[] = []): ChatRequest {
  return {
    messages: MESSAGES,
    maxTokens: null,
    temperature: 1,
    topP: 1,
    n: 1,
    stop: [],
    presencePenalty: 0,
    frequencyPenalty: 0,
    seed: null,
    logitBias: null,
    tools,
    toolChoice: tools.length ? "auto" : "none",
    parallelToolCalls: true,
    responseFormat: { type: "text" },
    user: null,
    raw: { model: "fast", messages: MESSAGES, ...raw },
  };
}

function ctx(signal = new AbortController().signal) {
  return { signal, requestId: "req_test" };
}

async function collect(events: AsyncIterable<ChatStreamEvent>) {
  const out: ChatStreamEvent[] = [];
  for await (const e of events) out.push(e);
  return out;
}

async function rejection(promise: Promise<unknown>): Promise<OpenAIError> {
  try {
    await promise;
  } catch (err) {
    assert.ok(err instanceof OpenAIError, `expected an OpenAIError, got ${String(err)}`);
    assert.ok(!err.message.includes(KEY), "the upstream key must never appear in an error");
    return err;
  }
  assert.fail("expected the call to fail");
}

// Quick retries for tests; everything else as in production.
const provider = createOpenAICompatibleProvider({ timeoutMs: 5_000, maxRetries: 2, baseDelayMs: 5 });

describe("OpenAI-compatible upstream provider", () => {
  let upstream: FakeUpstream;
  let model: ModelEntry;
  let logLines: string[] = [];
  let capture: ReturnType<typeof startLogCapture>;

  before(async () => {
    upstream = await FakeUpstream.start();
    model = {
      id: "fast",
      provider: "openai",
      upstreamId: "upstream-model",
      upstream: { baseUrl: upstream.baseUrl, apiKey: KEY },
      contextWindow: 8192,
      capabilities: ["chat", "tools", "embeddings"],
    };
    // The provider logs retries and failures: keep them to check that the key never leaks.
    capture = startLogCapture();
    logLines = capture.lines;
  });

  after(async () => {
    capture.stop();
    await upstream.stop();
  });

  afterEach(() => {
    const lines = logLines.splice(0);
    for (const line of lines) assert.ok(!line.includes(KEY), `the upstream key leaked into a log line: ${line}`);
  });

  it("forwards the client's body with the upstream model id and maps the answer, usage included", async () => {
    upstream.script((_req, res) =>
      json(
        res,
        200,
        completion({ content: "Hello, world!" }, "stop", {
          prompt_tokens: 21,
          completion_tokens: 4,
          total_tokens: 25,
          prompt_tokens_details: { cached_tokens: 16 },
          completion_tokens_details: { reasoning_tokens: 2 },
        }),
      ),
    );
    const result = await provider.chat(model, chatRequest({ temperature: 0.2, stream: true, stream_options: { include_usage: true }, metadata: { a: "b" } }), ctx());
    assert.deepEqual(result, {
      choices: [{ index: 0, message: { role: "assistant", content: "Hello, world!", refusal: null }, finishReason: "stop" }],
      usage: { promptTokens: 21, completionTokens: 4, cachedTokens: 16, reasoningTokens: 2 },
      systemFingerprint: "fp_test",
    });
    const [seen] = upstream.requests;
    assert.equal(upstream.requests.length, 1);
    assert.equal(seen.url, "/v1/chat/completions");
    assert.equal(seen.headers.authorization, `Bearer ${KEY}`);
    assert.equal(seen.body.model, "upstream-model");
    assert.equal(seen.body.stream, false);
    assert.equal("stream_options" in seen.body, false);
    assert.equal(seen.body.temperature, 0.2);
    assert.deepEqual(seen.body.metadata, { a: "b" });
    assert.deepEqual(seen.body.messages, MESSAGES);
  });

  it("maps tool calls of a complete answer, and turns legacy functions into tools for the upstream", async () => {
    upstream.script((_req, res) =>
      json(
        res,
        200,
        completion(
          {
            content: null,
            tool_calls: [
              { id: "call_a", type: "function", function: { name: "get_weather", arguments: '{"city":"Paris"}' } },
              { id: "call_b", type: "function", function: { name: "get_weather", arguments: '{"city":"Oslo"}' } },
            ],
          },
          "tool_calls",
          { prompt_tokens: 50, completion_tokens: 30, total_tokens: 80 },
        ),
      ),
    );
    const request = chatRequest({ functions: TOOLS.map((t) => t.function), function_call: "auto" }, TOOLS);
    const result = await provider.chat(model, request, ctx());
    assert.equal(result.choices[0].finishReason, "tool_calls");
    assert.equal(result.choices[0].message.content, null);
    assert.deepEqual(result.choices[0].message.tool_calls, [
      { id: "call_a", type: "function", function: { name: "get_weather", arguments: '{"city":"Paris"}' } },
      { id: "call_b", type: "function", function: { name: "get_weather", arguments: '{"city":"Oslo"}' } },
    ]);
    assert.deepEqual(result.usage, { promptTokens: 50, completionTokens: 30, cachedTokens: 0 });
    const sent = upstream.requests[0].body;
    assert.equal("functions" in sent, false);
    assert.equal("function_call" in sent, false);
    assert.deepEqual(sent.tools, TOOLS);
    assert.equal(sent.tool_choice, "auto");
  });

  it("streams deltas as the upstream sends them, then finish and the upstream's usage", async () => {
    let lastChunkSentAt = 0;
    upstream.script(async (_req, res) => {
      sseHead(res);
      res.write(chunk([{ index: 0, delta: { role: "assistant", content: "" }, finish_reason: null }]));
      for (const piece of ["Hel", "lo", " world"]) {
        res.write(contentChunk(piece));
        await delay(120);
      }
      res.write(finishChunk("stop"));
      await delay(120);
      lastChunkSentAt = Date.now();
      res.write(usageChunk(12, 3, 4));
      res.end("data: [DONE]\n\n");
    });
    const arrivals: { event: ChatStreamEvent; at: number }[] = [];
    for await (const event of provider.chatStream(model, chatRequest(), ctx())) arrivals.push({ event, at: Date.now() });

    assert.deepEqual(
      arrivals.map((a) => a.event),
      [
        { type: "delta", index: 0, content: "Hel" },
        { type: "delta", index: 0, content: "lo" },
        { type: "delta", index: 0, content: " world" },
        { type: "finish", index: 0, finishReason: "stop" },
        { type: "usage", usage: { promptTokens: 12, completionTokens: 3, cachedTokens: 4 } },
      ],
    );
    assert.ok(arrivals[0].at < lastChunkSentAt - 300, "the first delta must arrive while the upstream is still streaming");
    const sent = upstream.requests[0].body;
    assert.equal(sent.stream, true);
    assert.deepEqual(sent.stream_options, { include_usage: true });
    assert.equal(sent.model, "upstream-model");
  });

  it("parses events split across packets, CRLF line ends, comments and multi-line data", async () => {
    upstream.script(async (_req, res) => {
      sseHead(res);
      const multiLine = `data: {"choices":\ndata: [{"index":0,"delta":{"content":"!"}}]}\n\n`;
      const text =
        contentChunk("Hé").replace(/\n/g, "\r\n") + ": keep-alive\n\n" + contentChunk("llo") + multiLine + finishChunk("length") + "data: [DONE]\n\n";
      const bytes = Buffer.from(text, "utf8");
      // Cut inside the multi-byte "é", inside "\r\n" and inside field names.
      const cuts = [10, bytes.indexOf(Buffer.from("é")) + 1, bytes.indexOf("\r") + 1, 140, 151, bytes.length - 3];
      let from = 0;
      for (const cut of [...cuts.sort((a, b) => a - b), bytes.length]) {
        res.write(bytes.subarray(from, cut));
        from = cut;
        await delay(15);
      }
      res.end();
    });
    const events = await collect(provider.chatStream(model, chatRequest(), ctx()));
    assert.deepEqual(events.slice(0, 4), [
      { type: "delta", index: 0, content: "Hé" },
      { type: "delta", index: 0, content: "llo" },
      { type: "delta", index: 0, content: "!" },
      { type: "finish", index: 0, finishReason: "length" },
    ]);
    assert.equal(events.at(-1)?.type, "usage");
  });

  it("passes tool-call fragments on as they stream", async () => {
    upstream.script(async (_req, res) => {
      sseHead(res);
      const tc = (calls: unknown[]) => chunk([{ index: 0, delta: { tool_calls: calls }, finish_reason: null }]);
      res.write(tc([{ index: 0, id: "call_a", type: "function", function: { name: "get_weather", arguments: "" } }]));
      res.write(tc([{ index: 0, function: { arguments: '{"city":' } }]));
      res.write(tc([{ index: 0, function: { arguments: '"Paris"}' } }]));
      res.write(tc([{ index: 1, id: "call_b", type: "function", function: { name: "get_weather", arguments: '{"city":"Oslo"}' } }]));
      // llama.cpp-style "stop" after tool calls: clients expect "tool_calls".
      res.write(finishChunk("stop"));
      res.write(usageChunk(40, 20));
      res.end("data: [DONE]\n\n");
    });
    const events = await collect(provider.chatStream(model, chatRequest({ tools: TOOLS }, TOOLS), ctx()));
    assert.deepEqual(events, [
      { type: "delta", index: 0, toolCalls: [{ index: 0, id: "call_a", type: "function", function: { name: "get_weather", arguments: "" } }] },
      { type: "delta", index: 0, toolCalls: [{ index: 0, function: { arguments: '{"city":' } }] },
      { type: "delta", index: 0, toolCalls: [{ index: 0, function: { arguments: '"Paris"}' } }] },
      { type: "delta", index: 0, toolCalls: [{ index: 1, id: "call_b", type: "function", function: { name: "get_weather", arguments: '{"city":"Oslo"}' } }] },
      { type: "finish", index: 0, finishReason: "tool_calls" },
      { type: "usage", usage: { promptTokens: 40, completionTokens: 20, cachedTokens: 0 } },
    ]);
  });

  it("retries a 503 and succeeds, counting attempts", async () => {
    const unavailable: Handler = (_req, res) => json(res, 503, { error: { message: "overloaded", type: "server_error" } });
    upstream.script(unavailable, unavailable, (_req, res) =>
      json(res, 200, completion({ content: "ok" }, "stop", { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 })),
    );
    const result = await provider.chat(model, chatRequest(), ctx());
    assert.equal(result.choices[0].message.content, "ok");
    assert.equal(upstream.requests.length, 3);

    // One retry allowed: the second 503 is final and becomes a 502 naming the status.
    upstream.script(unavailable, unavailable, unavailable);
    const oneRetry = createOpenAICompatibleProvider({ timeoutMs: 5_000, maxRetries: 1, baseDelayMs: 5 });
    const err = await rejection(oneRetry.chat(model, chatRequest(), ctx()));
    assert.equal(err.status, 502);
    assert.equal(err.type, "server_error");
    assert.match(err.message, /upstream model provider .*\(status 503\)/);
    assert.equal(upstream.requests.length, 2);
  });

  it("retries a complete answer cut off before its end, and refuses one over the size limit", async () => {
    const ok = completion({ content: "whole" }, "stop", { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 });
    const cut: Handler = (_req, res) => {
      const body = JSON.stringify(ok);
      res.writeHead(200, { "content-type": "application/json", "content-length": String(body.length) });
      res.write(body.slice(0, 10), () => res.destroy());
    };
    upstream.script(cut, (_req, res) => json(res, 200, ok));
    const result = await provider.chat(model, chatRequest(), ctx());
    assert.equal(result.choices[0].message.content, "whole");
    assert.equal(upstream.requests.length, 2);

    // Cut every time: after the retries, a 502 rather than a hang or a half-parsed answer.
    upstream.script(cut, cut, cut);
    const err = await rejection(provider.chat(model, chatRequest(), ctx()));
    assert.equal(err.status, 502);
    assert.equal(upstream.requests.length, 3);
  });

  it("waits as long as retry-after asks before retrying", async () => {
    const ok: Handler = (_req, res) => json(res, 200, completion({ content: "ok" }, "stop", { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 }));
    upstream.script((_req, res) => json(res, 429, { error: { message: "slow down", type: "requests" } }, { "retry-after-ms": "400" }), ok);
    let started = Date.now();
    await provider.chat(model, chatRequest(), ctx());
    assert.ok(Date.now() - started >= 390, "retry-after-ms must be waited out"); // timers may round by a ms
    assert.equal(upstream.requests.length, 2);

    upstream.script((_req, res) => json(res, 503, { error: { message: "busy" } }, { "retry-after": "1" }), ok);
    started = Date.now();
    await provider.chat(model, chatRequest(), ctx());
    assert.ok(Date.now() - started >= 990, "retry-after in seconds must be waited out");
    assert.equal(upstream.requests.length, 2);
  });

  it("retries a refused connection until the upstream comes up", async () => {
    const probe = await FakeUpstream.start();
    const port = probe.port;
    await probe.stop(); // nothing listens on this port now
    const down: ModelEntry = { ...model, upstream: { baseUrl: `http://127.0.0.1:${port}/v1`, apiKey: KEY } };

    const noRetry = createOpenAICompatibleProvider({ timeoutMs: 5_000, maxRetries: 0 });
    const refused = await rejection(noRetry.chat(down, chatRequest(), ctx()));
    assert.equal(refused.status, 502);
    assert.match(refused.message, /could not be reached \(ECONNREFUSED\)/);

    const patient = createOpenAICompatibleProvider({ timeoutMs: 5_000, maxRetries: 6, baseDelayMs: 100, maxDelayMs: 200 });
    const started = Date.now();
    let late: FakeUpstream | undefined;
    const opening = delay(250).then(async () => {
      late = await FakeUpstream.start(port);
      late.script((_req, res) => json(res, 200, completion({ content: "up" }, "stop", { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 })));
    });
    try {
      const result = await patient.chat(down, chatRequest(), ctx());
      assert.equal(result.choices[0].message.content, "up");
      assert.ok(Date.now() - started >= 240, "it only succeeded once the upstream was up");
      assert.equal(late?.requests.length, 1);
    } finally {
      await opening;
      await late?.stop();
    }
  });

  it("does not retry once the first event has been passed on: a broken stream ends with an error", async () => {
    upstream.script(async (req, res) => {
      sseHead(res);
      res.write(contentChunk("partial"));
      await delay(50);
      req.socket.destroy();
    });
    const seen: ChatStreamEvent[] = [];
    const err = await rejection(
      (async () => {
        for await (const e of provider.chatStream(model, chatRequest(), ctx())) seen.push(e);
      })(),
    );
    assert.deepEqual(seen, [{ type: "delta", index: 0, content: "partial" }]);
    assert.equal(err.status, 502);
    assert.equal(upstream.requests.length, 1, "no retry after the first byte");
  });

  it("retries a stream that broke before its first event, since nothing was passed on yet", async () => {
    upstream.script(
      (req, res) => {
        sseHead(res);
        setTimeout(() => req.socket.destroy(), 20);
      },
      async (_req, res) => {
        sseHead(res);
        res.write(contentChunk("second try"));
        res.write(finishChunk("stop"));
        res.end("data: [DONE]\n\n");
      },
    );
    const events = await collect(provider.chatStream(model, chatRequest(), ctx()));
    assert.deepEqual(events[0], { type: "delta", index: 0, content: "second try" });
    assert.equal(upstream.requests.length, 2);
  });

  it("replays a complete answer as events when the upstream ignores stream: true", async () => {
    upstream.script((_req, res) =>
      json(res, 200, completion({ content: "all at once" }, "stop", { prompt_tokens: 9, completion_tokens: 3, total_tokens: 12 })),
    );
    assert.deepEqual(await collect(provider.chatStream(model, chatRequest(), ctx())), [
      { type: "delta", index: 0, content: "all at once" },
      { type: "finish", index: 0, finishReason: "stop" },
      { type: "usage", usage: { promptTokens: 9, completionTokens: 3, cachedTokens: 0 } },
    ]);
  });

  it("passes an upstream 400 through with its message, type, param and code, without retrying", async () => {
    upstream.script((_req, res) =>
      json(res, 400, {
        error: { message: "Invalid value for 'temperature': must be at most 2.", type: "invalid_request_error", param: "temperature", code: "invalid_value" },
      }),
    );
    const err = await rejection(provider.chat(model, chatRequest({ temperature: 3 }), ctx()));
    assert.deepEqual(
      { status: err.status, message: err.message, type: err.type, param: err.param, code: err.code },
      { status: 400, message: "Invalid value for 'temperature': must be at most 2.", type: "invalid_request_error", param: "temperature", code: "invalid_value" },
    );
    assert.equal(upstream.requests.length, 1);

    // Not OpenAI-shaped: a clear message naming the status.
    upstream.script((_req, res) => {
      res.writeHead(404, { "content-type": "text/html" });
      res.end("<h1>Not Found</h1>");
    });
    const notFound = await rejection(provider.chat(model, chatRequest(), ctx()));
    assert.equal(notFound.status, 404);
    assert.match(notFound.message, /upstream model provider .*\(status 404\)/);

    // Ollama-style {"error": "text"}.
    upstream.script((_req, res) => json(res, 404, { error: "model 'upstream-model' not found" }));
    assert.equal((await rejection(provider.chat(model, chatRequest(), ctx()))).message, "model 'upstream-model' not found");
  });

  it("answers 429 after the retries with the upstream's type, code and retry-after", async () => {
    const limited: Handler = (_req, res) =>
      json(res, 429, { error: { message: "Rate limit reached for tokens per min", type: "tokens", param: null, code: "rate_limit_exceeded" } }, { "retry-after-ms": "30" });
    upstream.script(limited, limited, limited);
    const err = await rejection(provider.chat(model, chatRequest(), ctx()));
    assert.equal(upstream.requests.length, 3, "two retries, then give up");
    assert.deepEqual(
      { status: err.status, type: err.type, code: err.code, message: err.message, headers: err.headers },
      { status: 429, type: "tokens", code: "rate_limit_exceeded", message: "Rate limit reached for tokens per min", headers: { "retry-after": "1" } },
    );

    // A retry-after longer than the gateway will wait goes to the client at once.
    upstream.script((_req, res) => json(res, 429, { error: { message: "Try later", type: "requests", code: "rate_limit_exceeded" } }, { "retry-after": "120" }));
    const long = await rejection(provider.chat(model, chatRequest(), ctx()));
    assert.equal(upstream.requests.length, 1);
    assert.equal(long.headers["retry-after"], "120");

    // Out of quota upstream: retrying cannot help.
    upstream.script((_req, res) => json(res, 429, { error: { message: "You exceeded your current quota", type: "insufficient_quota", code: "insufficient_quota" } }));
    const quota = await rejection(provider.chat(model, chatRequest(), ctx()));
    assert.equal(upstream.requests.length, 1);
    assert.equal(quota.code, "insufficient_quota");
  });

  it("times out a silent upstream with 504, and a stream that stalls", async () => {
    let closed = false;
    upstream.script((req) => {
      req.socket.once("close", () => (closed = true)); // never answers
    });
    const quick = createOpenAICompatibleProvider({ timeoutMs: 300, maxRetries: 2, baseDelayMs: 5 });
    const started = Date.now();
    const err = await rejection(quick.chat(model, chatRequest(), ctx()));
    assert.equal(err.status, 504);
    assert.match(err.message, /did not answer within 0\.3 s/);
    assert.ok(Date.now() - started < 2_000);
    assert.equal(upstream.requests.length, 1, "a timeout is not retried");
    await delay(50);
    assert.ok(closed, "the upstream connection is closed on timeout");

    upstream.script(async (_req, res) => {
      sseHead(res);
      res.write(contentChunk("then silence"));
    });
    const idle = createOpenAICompatibleProvider({ timeoutMs: 5_000, idleTimeoutMs: 300, maxRetries: 0 });
    const seen: ChatStreamEvent[] = [];
    const stalled = await rejection(
      (async () => {
        for await (const e of idle.chatStream(model, chatRequest(), ctx())) seen.push(e);
      })(),
    );
    assert.equal(stalled.status, 504);
    assert.match(stalled.message, /sent nothing for 0\.3 s/);
    assert.deepEqual(seen, [{ type: "delta", index: 0, content: "then silence" }]);
  });

  it("stops the upstream request on abort and still reports usage for what arrived", async () => {
    let upstreamClosed!: () => void;
    const closed = new Promise<void>((resolve) => (upstreamClosed = resolve));
    let sent = 0;
    upstream.script(async (_req, res) => {
      res.on("close", () => {
        if (!res.writableFinished) upstreamClosed();
      });
      sseHead(res);
      for (let i = 0; i < 200 && !res.destroyed; i++) {
        res.write(contentChunk(" word"));
        sent++;
        await delay(20);
      }
      res.end("data: [DONE]\n\n");
    });
    const controller = new AbortController();
    const events: ChatStreamEvent[] = [];
    for await (const e of provider.chatStream(model, chatRequest(), ctx(controller.signal))) {
      events.push(e);
      if (events.length === 3) controller.abort();
    }
    await Promise.race([closed, delay(2_000).then(() => assert.fail("the upstream did not see the connection close"))]);
    assert.ok(sent < 50, "the upstream stopped being read early");
    const deltas = events.filter((e) => e.type === "delta");
    assert.equal(deltas.length, 3);
    const last = events.at(-1);
    assert.equal(last?.type, "usage");
    assert.equal(events.length, 4, "exactly one usage event after the deltas");
    if (last?.type !== "usage") return;
    assert.equal(last.usage.promptTokens, await countChatPromptTokens(model.upstreamId, MESSAGES, []));
    assert.equal(last.usage.completionTokens, await countTextTokens(model.upstreamId, " word word word"));
  });

  it("counts usage itself when the upstream reports none", async () => {
    upstream.script(async (_req, res) => {
      sseHead(res);
      res.write(contentChunk("Hello there, "));
      res.write(contentChunk("general reader."));
      res.write(finishChunk("stop"));
      res.end("data: [DONE]\n\n");
    });
    const events = await collect(provider.chatStream(model, chatRequest({ tools: TOOLS }, TOOLS), ctx()));
    const expectedPrompt = await countChatPromptTokens(model.upstreamId, MESSAGES, TOOLS);
    assert.ok(expectedPrompt > 0);
    assert.deepEqual(events.at(-1), {
      type: "usage",
      usage: { promptTokens: expectedPrompt, completionTokens: await countTextTokens(model.upstreamId, "Hello there, general reader."), cachedTokens: 0 },
    });

    upstream.script((_req, res) => json(res, 200, completion({ content: "No usage here." }, "stop")));
    const result = await provider.chat(model, chatRequest(), ctx());
    assert.deepEqual(result.usage, {
      promptTokens: await countChatPromptTokens(model.upstreamId, MESSAGES, []),
      completionTokens: await countTextTokens(model.upstreamId, "No usage here."),
      cachedTokens: 0,
    });
    assert.equal(await provider.countPromptTokens(model, chatRequest()), await countChatPromptTokens(model.upstreamId, MESSAGES, []));
  });

  it("ends a stream cut before any finish with an error rather than a silent truncation", async () => {
    upstream.script(async (_req, res) => {
      sseHead(res);
      res.write(contentChunk("half an ans"));
      res.end();
    });
    const err = await rejection(collect(provider.chatStream(model, chatRequest(), ctx())));
    assert.equal(err.status, 502);
    assert.match(err.message, /ended the stream before finishing/);
  });

  it("passes an error the upstream reports mid-stream on as an OpenAIError", async () => {
    upstream.script(async (_req, res) => {
      sseHead(res);
      res.write(contentChunk("so far"));
      res.end(`data: ${JSON.stringify({ error: { message: "The server had an error while processing your request.", type: "server_error" } })}\n\n`);
    });
    const err = await rejection(collect(provider.chatStream(model, chatRequest(), ctx())));
    assert.equal(err.status, 502);
    assert.match(err.message, /reported an error: The server had an error/);
  });

  it("sends the key as a Bearer token and keeps it out of errors and logs", async () => {
    upstream.script((_req, res) =>
      json(res, 400, { error: { message: `Invalid key ${KEY} for this model`, type: "invalid_request_error", param: null, code: null } }),
    );
    const echoed = await rejection(provider.chat(model, chatRequest(), ctx()));
    assert.equal(echoed.message, "Invalid key [redacted] for this model");
    assert.equal(upstream.requests[0].headers.authorization, `Bearer ${KEY}`);

    // The upstream refusing the gateway's key is not the client's 401.
    upstream.script((_req, res) => json(res, 401, { error: { message: `Incorrect API key provided: ${KEY}`, type: "invalid_request_error", code: "invalid_api_key" } }));
    const refused = await rejection(provider.chat(model, chatRequest(), ctx()));
    assert.equal(refused.status, 502);
    assert.match(refused.message, /rejected the gateway's credentials \(status 401\)/);
    assert.ok(logLines.some((l) => l.includes("[redacted]")), "the failure was logged, with the key scrubbed");

    // No key configured (e.g. a local vLLM): no Authorization header at all.
    upstream.script((_req, res) => json(res, 200, completion({ content: "ok" }, "stop", { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 })));
    await provider.chat({ ...model, upstream: { baseUrl: upstream.baseUrl, apiKey: null } }, chatRequest(), ctx());
    assert.equal(upstream.requests[0].headers.authorization, undefined);
  });

  it("embeds through /embeddings, in input order, with usage", async () => {
    upstream.script((_req, res, body) =>
      json(res, 200, {
        object: "list",
        model: "upstream-embedder",
        // Out of order on purpose: the index decides.
        data: [
          { object: "embedding", index: 1, embedding: [0.4, 0.5, 0.6] },
          { object: "embedding", index: 0, embedding: [0.1, 0.2, 0.3] },
        ],
        usage: { prompt_tokens: (body.input as unknown[]).length * 3, total_tokens: 6 },
      }),
    );
    const embedder: ModelEntry = { ...model, upstreamId: "upstream-embedder" };
    const result = await provider.embed!(embedder, { inputs: ["first text", [1, 2, 3]], dimensions: 3, raw: { model: "fast", input: ["first text", [1, 2, 3]], user: "u-1" } }, ctx());
    assert.deepEqual(result, { embeddings: [[0.1, 0.2, 0.3], [0.4, 0.5, 0.6]], usage: { promptTokens: 6 } });
    const seen = upstream.requests[0];
    assert.equal(seen.url, "/v1/embeddings");
    assert.deepEqual(seen.body, { model: "upstream-embedder", input: ["first text", [1, 2, 3]], encoding_format: "float", dimensions: 3, user: "u-1" });

    // Usage counted here when the upstream gives none; base64 answers decoded.
    const floats = Buffer.alloc(8);
    floats.writeFloatLE(0.5, 0);
    floats.writeFloatLE(-2, 4);
    upstream.script((_req, res) => json(res, 200, { object: "list", data: [{ index: 0, embedding: floats.toString("base64") }] }));
    const counted = await provider.embed!(embedder, { inputs: ["count these words"], dimensions: null, raw: {} }, ctx());
    assert.deepEqual(counted.embeddings, [[0.5, -2]]);
    assert.equal(counted.usage.promptTokens, await countTextTokens("upstream-embedder", "count these words"));
    assert.equal("dimensions" in upstream.requests[0].body, false);
  });

  it("the registry's instance is the \"openai\" provider", () => {
    assert.equal(openAICompatibleProvider.id, "openai");
    assert.equal(typeof openAICompatibleProvider.embed, "function");
  });
});

describe("parseUpstreamModels", () => {
  it("reads plain ids and alias=upstream pairs, trimming spaces", () => {
    assert.deepEqual(parseUpstreamModels("gpt-4o-mini,gpt-4o,fast=gpt-3.5-turbo"), [
      { id: "gpt-4o-mini", upstreamId: "gpt-4o-mini" },
      { id: "gpt-4o", upstreamId: "gpt-4o" },
      { id: "fast", upstreamId: "gpt-3.5-turbo" },
    ]);
    assert.deepEqual(parseUpstreamModels("  llama = meta-llama/Llama-3.1-8B-Instruct ,  qwen2.5:0.5b "), [
      { id: "llama", upstreamId: "meta-llama/Llama-3.1-8B-Instruct" },
      { id: "qwen2.5:0.5b", upstreamId: "qwen2.5:0.5b" },
    ]);
    assert.deepEqual(parseUpstreamModels("ft:gpt-4o-mini:acme::abc123"), [{ id: "ft:gpt-4o-mini:acme::abc123", upstreamId: "ft:gpt-4o-mini:acme::abc123" }]);
    assert.deepEqual(parseUpstreamModels("   "), []);
  });

  it("rejects empty entries, duplicates and bad ids, naming the entry", () => {
    assert.throws(() => parseUpstreamModels("gpt-4o,,gpt-4o-mini"), /UPSTREAM_MODELS entry 2 is empty/);
    assert.throws(() => parseUpstreamModels("gpt-4o,"), /entry 2 is empty/);
    assert.throws(() => parseUpstreamModels("gpt-4o, fast=gpt-4o-mini, fast=gpt-3.5-turbo"), /entry 3 "fast=gpt-3.5-turbo" repeats the model id "fast"/);
    assert.throws(() => parseUpstreamModels("gpt 4o"), /entry 1 "gpt 4o" has an invalid model id/);
    assert.throws(() => parseUpstreamModels("fast="), /entry 1 "fast=" has an invalid upstream model id ""/);
    assert.throws(() => parseUpstreamModels("=gpt-4o"), /entry 1 "=gpt-4o" has an invalid model id ""/);
    assert.throws(() => parseUpstreamModels("a=b=c"), /entry 1 "a=b=c" has more than one "="/);
    assert.throws(() => parseUpstreamModels("-leading-dash"), /invalid model id "-leading-dash"/);
  });
});
