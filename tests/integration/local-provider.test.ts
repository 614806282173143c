import assert from "node:assert/strict";
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { readGgufFileInfo } from "node-llama-cpp";
import { z } from "zod";
import type { ChatRequest, ChatStreamEvent, ModelEntry } from "@/lib/providers/types";

// The local provider against a real (tiny) GGUF model: it writes children's stories, so these
// tests check shapes, token counts, determinism, limits and errors, never what the text means.

// Small limits, set before the configuration is first read.
process.env.LOCAL_MODEL_QUEUE_SIZE = "2";
process.env.LOCAL_MODEL_THREADS = "1";
process.env.LOCAL_MODEL_IDLE_SECONDS = "600";

const { localProvider, discoverLocalModels, localModelStats, unloadAllLocalModels } = await import("@/lib/providers/local");
const { leaseModel } = await import("@/lib/providers/local/model-pool");
const { StopFilter, TokenTextDecoder, ToolEnvelopeReader } = await import("@/lib/providers/local/output");
const { OpenAIError } = await import("@/lib/openai/errors");
const { getConfig } = await import("@/lib/config");

const MODEL_PATH = process.env.TEST_MODEL_PATH ?? path.resolve("../shared/models/stories260K.gguf");
const MODEL_ID = path.basename(MODEL_PATH, ".gguf");

let entry: ModelEntry;

function request(overrides: Partial<ChatRequest> = {}): ChatRequest {
  return {
    messages: [{ role: "user", content: "Tell me a story about a cat." }],
    maxTokens: 40,
    temperature: 0,
    topP: 1,
    n: 1,
    stop: [],
    presencePenalty: 0,
    frequencyPenalty: 0,
    seed: 1,
    logitBias: null,
    tools: [],
    toolChoice: "none",
    parallelToolCalls: true,
    responseFormat: { type: "text" },
    user: null,
    raw: {},
    ...overrides,
  };
}

const ctx = (signal = new AbortController().signal) => ({ signal, requestId: "test" });

async function collect(req: ChatRequest, signal?: AbortSignal) {
  const events: ChatStreamEvent[] = [];
  for await (const e of localProvider.chatStream(entry, req, ctx(signal))) events.push(e);
  return events;
}

function textOf(events: ChatStreamEvent[], index = 0) {
  return events.map((e) => (e.type === "delta" && e.index === index ? (e.content ?? "") : "")).join("");
}

async function rejectsWithOpenAI(p: Promise<unknown>, expected: { status: number; code?: string | null; param?: string | null }) {
  await assert.rejects(p, (err: unknown) => {
    assert.ok(err instanceof OpenAIError, `expected an OpenAIError, got ${String(err)}`);
    assert.equal(err.status, expected.status, err.message);
    if (expected.code !== undefined) assert.equal(err.code, expected.code, err.message);
    if (expected.param !== undefined) assert.equal(err.param, expected.param, err.message);
    return true;
  });
}

const weatherArgs = z.object({ city: z.string().max(10), unit: z.enum(["c", "f"]) }).strict();
const timeArgs = z.object({ zone: z.enum(["utc", "cet"]) }).strict();
const tools: ChatRequest["tools"] = [
  {
    type: "function",
    function: {
      name: "get_weather",
      description: "Weather in a city",
      parameters: {
        type: "object",
        properties: { city: { type: "string", maxLength: 10 }, unit: { type: "string", enum: ["c", "f"] } },
        required: ["city", "unit"],
        additionalProperties: false,
      },
    },
  },
  { type: "function", function: { name: "get_time", parameters: { type: "object", properties: { zone: { enum: ["utc", "cet"] } }, required: ["zone"] } } },
];
const argsSchemas: Record<string, z.ZodType> = { get_weather: weatherArgs, get_time: timeArgs };

before(async () => {
  const models = await discoverLocalModels(path.dirname(MODEL_PATH));
  const found = models.find((m) => m.path === MODEL_PATH);
  assert.ok(found, `test model not discovered in ${path.dirname(MODEL_PATH)}`);
  entry = { id: found.id, provider: "local", upstreamId: found.path, contextWindow: found.contextWindow, capabilities: found.capabilities };
});

after(() => unloadAllLocalModels());

describe("discoverLocalModels", () => {
  it("lists each GGUF with its metadata context window, without loading weights", async () => {
    const models = await discoverLocalModels(path.dirname(MODEL_PATH));
    const m = models.find((x) => x.id === MODEL_ID);
    assert.ok(m);
    assert.equal(m.path, MODEL_PATH);
    const info = await readGgufFileInfo(MODEL_PATH, { readTensorInfo: false });
    const trained = (info.architectureMetadata as { context_length: number }).context_length;
    assert.equal(m.contextWindow, Math.min(trained, 8192));
    assert.deepEqual(m.capabilities, ["chat", "embeddings", "tools", "json_schema"]);
    assert.deepEqual(localModelStats().loaded, [], "discovery must not load the model");
  });

  it("skips files that are not GGUF and answers [] for a missing directory", async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), "gh-models-"));
    try {
      await fs.writeFile(path.join(dir, "broken.gguf"), "not a gguf file");
      await fs.writeFile(path.join(dir, "notes.txt"), "hello");
      await fs.symlink(MODEL_PATH, path.join(dir, "tiny-00001-of-00002.gguf"));
      await fs.symlink(MODEL_PATH, path.join(dir, "tiny-00002-of-00002.gguf"));
      const models = await discoverLocalModels(dir);
      assert.deepEqual(models.map((m) => m.id), ["tiny"], "split models appear once, by their first part");
      assert.deepEqual(await discoverLocalModels(path.join(dir, "missing")), []);
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
    }
  });
});

describe("chat", () => {
  it("answers with one choice and exact usage", async () => {
    const req = request({ maxTokens: 30 });
    const result = await localProvider.chat(entry, req, ctx());
    assert.equal(result.choices.length, 1);
    const [choice] = result.choices;
    assert.equal(choice.index, 0);
    assert.equal(choice.message.role, "assistant");
    assert.equal(typeof choice.message.content, "string");
    assert.ok(choice.message.content!.length > 0);
    assert.equal(choice.message.refusal, null);
    assert.equal(choice.message.tool_calls, undefined);
    assert.ok(["stop", "length"].includes(choice.finishReason));
    assert.equal(result.usage.promptTokens, await localProvider.countPromptTokens(entry, req));
    assert.ok(result.usage.completionTokens > 0 && result.usage.completionTokens <= 30);
    assert.deepEqual(localModelStats().loaded, [MODEL_ID]);
  });

  it("streams deltas that add up to the non-streamed text, then one finish and one usage event", async () => {
    const req = request({ maxTokens: 50, seed: 7 });
    const events = await collect(req);
    const whole = await localProvider.chat(entry, req, ctx());
    assert.ok(events.filter((e) => e.type === "delta").length > 5, "expected token-by-token deltas");
    assert.equal(textOf(events), whole.choices[0].message.content);
    const finishes = events.filter((e) => e.type === "finish");
    assert.deepEqual(finishes, [{ type: "finish", index: 0, finishReason: whole.choices[0].finishReason }]);
    const last = events.at(-1)!;
    assert.equal(last.type, "usage");
    assert.equal(events.filter((e) => e.type === "usage").length, 1);
    assert.deepEqual(last.type === "usage" && last.usage, whole.usage);
  });

  it("is deterministic for a fixed seed, and the seed matters", async () => {
    const req = request({ temperature: 1, seed: 1234, maxTokens: 40 });
    const a = await localProvider.chat(entry, req, ctx());
    const b = await localProvider.chat(entry, req, ctx());
    assert.deepEqual(a, b);
    const c = await localProvider.chat(entry, { ...req, seed: 4321 }, ctx());
    assert.notEqual(c.choices[0].message.content, a.choices[0].message.content);
  });

  it("stops at maxTokens with finish_reason length and exactly that many tokens", async () => {
    const result = await localProvider.chat(entry, request({ maxTokens: 17, temperature: 0.9, seed: 5 }), ctx());
    assert.equal(result.choices[0].finishReason, "length");
    assert.equal(result.usage.completionTokens, 17);
  });

  it("ends at a stop string, which is not part of the output (streamed or not)", async () => {
    const free = (await localProvider.chat(entry, request({ maxTokens: 60 }), ctx())).choices[0].message.content!;
    const stop = free.slice(20, 26);
    assert.equal(stop.length, 6);
    const req = request({ maxTokens: 60, stop: ["@@never@@", stop] });
    const result = await localProvider.chat(entry, req, ctx());
    assert.equal(result.choices[0].message.content, free.slice(0, free.indexOf(stop)));
    assert.equal(result.choices[0].finishReason, "stop");
    assert.ok(result.usage.completionTokens < 60);
    const streamed = textOf(await collect(req));
    assert.equal(streamed, result.choices[0].message.content);
  });

  it("generates n independent choices; choice 0 matches the single-choice answer", async () => {
    const req = request({ n: 2, temperature: 1, seed: 99, maxTokens: 25 });
    const result = await localProvider.chat(entry, req, ctx());
    assert.deepEqual(result.choices.map((c) => c.index), [0, 1]);
    assert.notEqual(result.choices[0].message.content, result.choices[1].message.content);
    const single = await localProvider.chat(entry, { ...req, n: 1 }, ctx());
    assert.equal(result.choices[0].message.content, single.choices[0].message.content);
    assert.equal(result.usage.promptTokens, single.usage.promptTokens, "the prompt is billed once");
    const events = await collect(req);
    assert.deepEqual(
      events.filter((e) => e.type === "finish").map((e) => e.type === "finish" && e.index),
      [0, 1],
    );
    assert.equal(events.filter((e) => e.type === "usage").length, 1);
    assert.deepEqual((events.at(-1) as { usage: unknown }).usage, result.usage);
  });

  it("applies logit_bias: +100 forces a token, -100 bans it, unknown token ids are refused", async () => {
    const lease = leaseModel(entry);
    try {
      const { model } = await lease.load();
      const [zebra] = model.tokenize("zebra", false, "trimLeadingSpace");
      const forced = await localProvider.chat(entry, request({ maxTokens: 6, logitBias: { [String(zebra)]: 100 } }), ctx());
      assert.equal(forced.choices[0].message.content, model.detokenize(Array(6).fill(zebra)));
      const greedy = await localProvider.chat(entry, request({ maxTokens: 10, logitBias: { [String(zebra)]: 1 } }), ctx());
      const stream = localProvider.chatStream(entry, request({ maxTokens: 1 }), ctx());
      let first = "";
      for await (const e of stream) if (e.type === "delta") first += e.content ?? "";
      const [firstToken] = model.tokenize(first, false, "trimLeadingSpace");
      assert.equal(model.detokenize([firstToken]).trim(), first.trim(), "the first token is one vocabulary entry");
      const banned = await localProvider.chat(entry, request({ maxTokens: 10, logitBias: { [String(firstToken)]: -100 } }), ctx());
      assert.ok(!banned.choices[0].message.content!.startsWith(first), "a banned token is never sampled");
      assert.equal(greedy.choices[0].message.content!.startsWith(first), true, "a small bias keeps the greedy choice");
      await rejectsWithOpenAI(localProvider.chat(entry, request({ logitBias: { "999999": 5 } }), ctx()), { status: 400, param: "logit_bias" });
    } finally {
      lease.release();
    }
  });

  it("refuses prompts that do not fit the context window", async () => {
    const long = request({ messages: [{ role: "user", content: "the cat sat on the mat. ".repeat(400) }], maxTokens: 10 });
    await rejectsWithOpenAI(localProvider.chat(entry, long, ctx()), { status: 400, code: "context_length_exceeded", param: "messages" });
    const prompt = await localProvider.countPromptTokens(entry, request());
    await assert.rejects(localProvider.chat(entry, request({ maxTokens: entry.contextWindow }), ctx()), (err: unknown) => {
      assert.ok(err instanceof OpenAIError);
      assert.equal(err.code, "context_length_exceeded");
      assert.match(err.message, new RegExp(`maximum context length is ${entry.contextWindow} tokens. However, you requested ${prompt + entry.contextWindow} tokens`));
      return true;
    });
    // The stream refuses before its first event, so a gateway can still answer with a status.
    await rejectsWithOpenAI(collect(long), { status: 400, code: "context_length_exceeded" });
  });

  it("without maxTokens, generates until end of text or a full context", async () => {
    // The longest prompt that leaves at least 40 tokens of room (binary search on its length).
    const withWords = (n: number) => request({ messages: [{ role: "user", content: "cat ".repeat(n) }], maxTokens: null, temperature: 1, seed: 2 });
    let [lo, hi] = [0, entry.contextWindow];
    while (lo < hi) {
      const mid = Math.ceil((lo + hi) / 2);
      if ((await localProvider.countPromptTokens(entry, withWords(mid))) <= entry.contextWindow - 40) lo = mid;
      else hi = mid - 1;
    }
    const req = withWords(lo);
    const prompt = await localProvider.countPromptTokens(entry, req);
    assert.ok(prompt <= entry.contextWindow - 40 && prompt > entry.contextWindow - 50, `prompt of ${prompt} tokens`);
    const result = await localProvider.chat(entry, req, ctx());
    // This seed runs into the end of the context (the model writes on past 40 tokens).
    assert.equal(result.choices[0].finishReason, "length");
    assert.equal(prompt + result.usage.completionTokens, entry.contextWindow);
  });

  it("applies presence and frequency penalties", async () => {
    const plain = await localProvider.chat(entry, request({ maxTokens: 60 }), ctx());
    const penalized = await localProvider.chat(entry, request({ maxTokens: 60, frequencyPenalty: 2, presencePenalty: 2 }), ctx());
    assert.notEqual(penalized.choices[0].message.content, plain.choices[0].message.content);
    const again = await localProvider.chat(entry, request({ maxTokens: 60, frequencyPenalty: 2, presencePenalty: 2 }), ctx());
    assert.equal(again.choices[0].message.content, penalized.choices[0].message.content);
  });

  it("stops within about a token when aborted mid-stream and still reports usage", async () => {
    const controller = new AbortController();
    const events: ChatStreamEvent[] = [];
    let deltasAtAbort = 0;
    for await (const e of localProvider.chatStream(entry, request({ maxTokens: 1000, temperature: 1, seed: 3 }), ctx(controller.signal))) {
      events.push(e);
      if (e.type === "delta" && ++deltasAtAbort === 8) controller.abort();
    }
    const usage = events.at(-1);
    assert.equal(usage?.type, "usage");
    assert.equal(events.filter((e) => e.type === "finish").length, 0, "an interrupted choice has no finish");
    const completion = usage?.type === "usage" ? usage.usage.completionTokens : -1;
    assert.ok(completion >= 8 && completion <= 12, `generated ${completion} tokens after abort at 8 deltas`);
    assert.ok(usage?.type === "usage" && usage.usage.promptTokens > 0);
    // The model is free again.
    assert.equal(localModelStats().active[MODEL_ID], 0);
    const next = await localProvider.chat(entry, request({ maxTokens: 5 }), ctx());
    assert.equal(next.usage.completionTokens, 5);
  });
});

describe("structured output", () => {
  const person = z
    .object({ name: z.string().max(12), age: z.number().int(), mood: z.enum(["happy", "sad"]), tags: z.array(z.string().max(6)).max(3), ok: z.boolean() })
    .strict();
  const personSchema = {
    type: "object",
    properties: {
      name: { type: "string", maxLength: 12 },
      age: { type: "integer" },
      mood: { enum: ["happy", "sad"] },
      tags: { type: "array", items: { type: "string", maxLength: 6 }, maxItems: 3 },
      ok: { type: "boolean" },
    },
    required: ["name", "age", "mood", "tags", "ok"],
    additionalProperties: false,
  };

  it("json_schema output always parses and validates", async () => {
    for (const seed of [1, 2, 3]) {
      const req = request({ temperature: 1, seed, maxTokens: 300, responseFormat: { type: "json_schema", json_schema: { name: "person", schema: personSchema, strict: true } } });
      const result = await localProvider.chat(entry, req, ctx());
      assert.equal(result.choices[0].finishReason, "stop");
      const content = result.choices[0].message.content!;
      assert.equal(content, content.trim());
      person.parse(JSON.parse(content));
      assert.equal(textOf(await collect(req)), content, "streamed JSON is the same");
    }
  });

  it("supports $defs references, anyOf and nullable types", async () => {
    const pet = z.object({ kind: z.enum(["cat", "dog"]), name: z.string().max(8).nullable() }).strict();
    const schema = {
      type: "object",
      properties: {
        pets: { type: "array", items: { $ref: "#/$defs/Pet" }, minItems: 1, maxItems: 2 },
        owner: { anyOf: [{ type: "string", maxLength: 8 }, { type: "null" }] },
      },
      required: ["pets", "owner"],
      additionalProperties: false,
      $defs: { Pet: { type: "object", properties: { kind: { enum: ["cat", "dog"] }, name: { type: ["string", "null"], maxLength: 8 } }, required: ["kind", "name"] } },
    };
    const validate = z.object({ pets: z.array(pet).min(1).max(2), owner: z.string().max(8).nullable() }).strict();
    for (const seed of [4, 5]) {
      const req = request({ temperature: 1, seed, maxTokens: 300, responseFormat: { type: "json_schema", json_schema: { name: "pets", schema } } });
      const result = await localProvider.chat(entry, req, ctx());
      assert.equal(result.choices[0].finishReason, "stop");
      validate.parse(JSON.parse(result.choices[0].message.content!));
    }
  });

  it("json_object output is a JSON object", async () => {
    const result = await localProvider.chat(entry, request({ temperature: 1, seed: 8, maxTokens: 400, responseFormat: { type: "json_object" } }), ctx());
    assert.equal(result.choices[0].finishReason, "stop");
    const value: unknown = JSON.parse(result.choices[0].message.content!);
    assert.ok(typeof value === "object" && value !== null && !Array.isArray(value));
  });

  it("refuses schema features a grammar cannot enforce", async () => {
    const bad = request({ responseFormat: { type: "json_schema", json_schema: { name: "x", schema: { type: "object", properties: { code: { type: "string", pattern: "^[A-Z]+$" } } } } } });
    await rejectsWithOpenAI(localProvider.chat(entry, bad, ctx()), { status: 400, param: "response_format" });
    await rejectsWithOpenAI(localProvider.countPromptTokens(entry, bad), { status: 400, param: "response_format" });
    const badTool = request({ tools: [{ type: "function", function: { name: "f", parameters: { type: "object", properties: { n: { type: "number", minimum: 0 } } } } }], toolChoice: "required" });
    await rejectsWithOpenAI(localProvider.chat(entry, badTool, ctx()), { status: 400, param: "tools" });
  });
});

describe("tool calls", () => {
  const idPattern = /^call_[A-Za-z0-9]{24}$/;

  function checkCalls(calls: { id: string; type: string; function: { name: string; arguments: string } }[]) {
    for (const call of calls) {
      assert.match(call.id, idPattern);
      assert.equal(call.type, "function");
      const schema = argsSchemas[call.function.name];
      assert.ok(schema, `unknown function ${call.function.name}`);
      schema.parse(JSON.parse(call.function.arguments));
    }
  }

  it("tool_choice required with parallel calls: valid arguments, content null, finish tool_calls", async () => {
    for (const seed of [1, 2, 3, 4]) {
      const req = request({ tools, toolChoice: "required", parallelToolCalls: true, temperature: 1, seed, maxTokens: 600 });
      const result = await localProvider.chat(entry, req, ctx());
      const [choice] = result.choices;
      assert.equal(choice.finishReason, "tool_calls");
      assert.equal(choice.message.content, null);
      const calls = choice.message.tool_calls!;
      assert.ok(calls.length >= 1 && calls.length <= 8);
      checkCalls(calls);
      assert.equal(new Set(calls.map((c) => c.id)).size, calls.length);
    }
  });

  it("streams tool calls as OpenAI does: id, type and name first, then argument fragments", async () => {
    const req = request({ tools, toolChoice: "required", temperature: 1, seed: 11, maxTokens: 600 });
    const events = await collect(req);
    const fragments = events.flatMap((e) => (e.type === "delta" ? (e.toolCalls ?? []) : []));
    assert.ok(fragments.length > 2);
    assert.ok(events.every((e) => e.type !== "delta" || e.content === undefined), "no content in a tool call");
    const calls: { id: string; type: string; function: { name: string; arguments: string } }[] = [];
    for (const f of fragments) {
      if (f.id) {
        assert.equal(calls.length, f.index, "calls start in order");
        assert.equal(f.type, "function");
        assert.ok(f.function.name);
        calls.push({ id: f.id, type: "function", function: { name: f.function.name!, arguments: f.function.arguments ?? "" } });
      } else {
        assert.equal(f.function.name, undefined);
        calls[f.index].function.arguments += f.function.arguments ?? "";
      }
    }
    checkCalls(calls);
    assert.deepEqual(events.filter((e) => e.type === "finish"), [{ type: "finish", index: 0, finishReason: "tool_calls" }]);
    const whole = await localProvider.chat(entry, req, ctx());
    assert.deepEqual(
      whole.choices[0].message.tool_calls!.map((c) => c.function),
      calls.map((c) => c.function),
    );
  });

  it("a named tool_choice without parallel calls gives exactly one call of that function", async () => {
    for (const seed of [1, 2]) {
      const req = request({ tools, toolChoice: { type: "function", function: { name: "get_time" } }, parallelToolCalls: false, temperature: 1, seed, maxTokens: 300 });
      const result = await localProvider.chat(entry, req, ctx());
      const calls = result.choices[0].message.tool_calls!;
      assert.equal(calls.length, 1);
      assert.equal(calls[0].function.name, "get_time");
      checkCalls(calls);
    }
    await rejectsWithOpenAI(
      localProvider.chat(entry, request({ tools, toolChoice: { type: "function", function: { name: "nope" } } }), ctx()),
      { status: 400, param: "tool_choice" },
    );
  });

  it("auto lets the first token decide between an answer and a call", async () => {
    const lease = leaseModel(entry);
    try {
      const { model, vocabularySize } = await lease.load();
      // Every token that starts with "{", the envelope's first character.
      const braces = [...Array(vocabularySize).keys()].filter((t) => model.detokenize([t as never]).startsWith("{"));
      assert.ok(braces.length >= 1);
      const biased = (bias: number) =>
        request({ tools, toolChoice: "auto", parallelToolCalls: false, temperature: 0, maxTokens: 300, logitBias: Object.fromEntries(braces.map((t) => [String(t), bias])) });
      const call = await localProvider.chat(entry, biased(100), ctx());
      assert.equal(call.choices[0].finishReason, "tool_calls");
      assert.equal(call.choices[0].message.content, null);
      checkCalls(call.choices[0].message.tool_calls!);
      const answer = await localProvider.chat(entry, biased(-100), ctx());
      assert.equal(answer.choices[0].message.tool_calls, undefined);
      assert.equal(typeof answer.choices[0].message.content, "string");
      assert.ok(["stop", "length"].includes(answer.choices[0].finishReason));
    } finally {
      lease.release();
    }
  });

  it("tool definitions and results are in the prompt, and counted exactly", async () => {
    const plain = request();
    const withTools = request({ tools, toolChoice: "auto" });
    const none = request({ tools, toolChoice: "none" });
    const a = await localProvider.countPromptTokens(entry, plain);
    const b = await localProvider.countPromptTokens(entry, withTools);
    assert.ok(b > a + 10, `tools add to the prompt (${a} → ${b})`);
    assert.equal(await localProvider.countPromptTokens(entry, none), a, "tool_choice none leaves them out");
    const lease = leaseModel(entry);
    try {
      const { model } = await lease.load();
      const asJson = model.tokenize(JSON.stringify(tools.map((t) => t.function)), false).length;
      assert.ok(b - a < asJson / 2, `tool definitions stay compact (${b - a} tokens; ${asJson} as JSON)`);
    } finally {
      lease.release();
    }
    const history = request({
      tools,
      toolChoice: "auto",
      messages: [
        { role: "user", content: "Weather?" },
        { role: "assistant", content: null, tool_calls: [{ id: "call_1", type: "function", function: { name: "get_weather", arguments: '{"city":"Oslo","unit":"c"}' } }] },
        { role: "tool", tool_call_id: "call_1", content: "12 degrees" },
      ],
      maxTokens: 5,
    });
    const counted = await localProvider.countPromptTokens(entry, history);
    const result = await localProvider.chat(entry, history, ctx());
    assert.equal(result.usage.promptTokens, counted);
    assert.ok(counted > (await localProvider.countPromptTokens(entry, request({ tools, toolChoice: "auto", messages: [{ role: "user", content: "Weather?" }] }))) + 20);
  });
});

describe("embeddings", () => {
  const norm = (v: number[]) => Math.hypot(...v);

  it("returns unit vectors; dimensions truncates and renormalizes", async () => {
    const full = await localProvider.embed!(entry, { inputs: ["a happy cat", [10, 20, 30]], dimensions: null, raw: {} }, ctx());
    assert.equal(full.embeddings.length, 2);
    for (const v of full.embeddings) {
      assert.equal(v.length, 64);
      assert.ok(Math.abs(norm(v) - 1) < 1e-6);
    }
    const short = await localProvider.embed!(entry, { inputs: ["a happy cat"], dimensions: 16, raw: {} }, ctx());
    assert.equal(short.embeddings[0].length, 16);
    assert.ok(Math.abs(norm(short.embeddings[0]) - 1) < 1e-6);
    const head = full.embeddings[0].slice(0, 16);
    const expected = head.map((x) => x / norm(head));
    short.embeddings[0].forEach((x, i) => assert.ok(Math.abs(x - expected[i]) < 1e-6));
    // Usage is the sum of the inputs' tokens.
    const one = await localProvider.embed!(entry, { inputs: [[10, 20, 30]], dimensions: null, raw: {} }, ctx());
    assert.equal(full.usage.promptTokens, short.usage.promptTokens + one.usage.promptTokens);
    assert.ok(one.usage.promptTokens >= 3);
  });

  it("accepts inputs up to the context window, start token included", async () => {
    const fits = await localProvider.embed!(entry, { inputs: [Array(entry.contextWindow - 1).fill(10)], dimensions: null, raw: {} }, ctx());
    assert.equal(fits.usage.promptTokens, entry.contextWindow);
    await rejectsWithOpenAI(localProvider.embed!(entry, { inputs: [Array(entry.contextWindow).fill(10)], dimensions: null, raw: {} }, ctx()), {
      status: 400,
      code: "context_length_exceeded",
      param: "input",
    });
  });

  it("refuses larger dimensions, bad token ids and inputs longer than the context", async () => {
    await rejectsWithOpenAI(localProvider.embed!(entry, { inputs: ["x"], dimensions: 65, raw: {} }, ctx()), { status: 400, param: "dimensions" });
    await rejectsWithOpenAI(localProvider.embed!(entry, { inputs: [[1, 100000]], dimensions: null, raw: {} }, ctx()), { status: 400, param: "input" });
    await assert.rejects(
      localProvider.embed!(entry, { inputs: ["short", "the cat sat on the mat. ".repeat(400)], dimensions: null, raw: {} }, ctx()),
      (err: unknown) => {
        assert.ok(err instanceof OpenAIError);
        assert.equal(err.status, 400);
        assert.equal(err.param, "input");
        assert.equal(err.code, "context_length_exceeded");
        assert.match(err.message, /maximum context length is \d+ tokens, however you requested \d+ tokens/);
        return true;
      },
    );
  });
});

describe("queue", () => {
  it("bounds waiting requests per model (503 overloaded), and an aborted waiter leaves at once", async () => {
    // A stream that is not read holds the model's turn: a deterministic "busy" model.
    const holder = localProvider.chatStream(entry, request({ maxTokens: 200 }), ctx())[Symbol.asyncIterator]();
    assert.equal((await holder.next()).value?.type, "delta");
    assert.equal(localModelStats().active[MODEL_ID], 1);

    const abortB = new AbortController();
    const b = localProvider.chatStream(entry, request({ maxTokens: 5 }), ctx(abortB.signal))[Symbol.asyncIterator]();
    const c = localProvider.chatStream(entry, request({ maxTokens: 5 }), ctx())[Symbol.asyncIterator]();
    const bNext = b.next();
    const cNext = c.next();
    bNext.catch(() => {});
    await waitFor(() => localModelStats().queueDepth[MODEL_ID] === 2);

    await assert.rejects(localProvider.chat(entry, request({ maxTokens: 5 }), ctx()), (err: unknown) => {
      assert.ok(err instanceof OpenAIError);
      assert.equal(err.status, 503);
      assert.equal(err.code, "overloaded");
      assert.ok(Number(err.headers["retry-after"]) >= 1);
      return true;
    });

    abortB.abort();
    await assert.rejects(bNext);
    assert.equal(localModelStats().queueDepth[MODEL_ID], 1, "the aborted request left the queue");

    await holder.return!(undefined);
    const first = await cNext;
    assert.equal(first.value?.type, "delta");
    let completion = 0;
    for (let e = await c.next(); !e.done; e = await c.next()) if (e.value.type === "usage") completion = e.value.usage.completionTokens;
    assert.equal(completion, 5);
    assert.equal(localModelStats().queueDepth[MODEL_ID], 0);
    assert.equal(localModelStats().active[MODEL_ID], 0);
  });
});

describe("model lifecycle under abandoned streams", () => {
  it("a stream nobody reads any more gives the model back when its request is aborted", async () => {
    const controller = new AbortController();
    const parked = localProvider.chatStream(entry, request({ maxTokens: 200 }), ctx(controller.signal))[Symbol.asyncIterator]();
    assert.equal((await parked.next()).value?.type, "delta");
    assert.equal(localModelStats().active[MODEL_ID], 1);
    controller.abort(); // and never call next() or return() again
    assert.equal(localModelStats().active[MODEL_ID], 0);
    const next = await localProvider.chat(entry, request({ maxTokens: 5 }), ctx());
    assert.equal(next.usage.completionTokens, 5);
  });
});

describe("text plumbing", () => {
  it("decodes multi-byte characters split across tokens", async () => {
    const lease = leaseModel(entry);
    try {
      const { model } = await lease.load();
      const text = "Tom saw a café, 日本 and 👋 too.";
      const tokens = model.tokenize(text, false);
      assert.ok(tokens.length > [...text].length / 2);
      const decoder = new TokenTextDecoder(model);
      const pieces = tokens.map((t) => decoder.push(t));
      pieces.push(decoder.flush());
      assert.ok(pieces.every((p) => !p.includes("\uFFFD")), JSON.stringify(pieces));
      assert.equal(pieces.join(""), model.detokenize(tokens));
      assert.ok(pieces.includes(""), "some tokens were partial characters");
    } finally {
      lease.release();
    }
  });

  it("never streams a stop string, even split across chunks", () => {
    const f = new StopFilter(["END", "xyz"]);
    // "E" and "EN" are held while they could become END, "x" while it could become xyz.
    assert.deepEqual(["abc E", "N", "x", "D mor", "x"].map((t) => f.push(t)), ["abc ", "", "EN", "xD mor", ""]);
    assert.equal(f.matched, false);
    assert.equal(f.flush(), "x");
    const g = new StopFilter(["END"]);
    assert.equal(g.push("story EN") + g.push("D and more"), "story ");
    assert.ok(g.matched);
  });

  it("reads the tool-call envelope incrementally", () => {
    const reader = new ToolEnvelopeReader();
    const text = '{ "tool_calls": [ { "name": "a", "arguments": { "s": "}{\\"", "n": [1, {"x": 2}] } }, {"name":"b","arguments":{}} ] }\n\n\n\n';
    const fragments = [...text].flatMap((ch) => reader.feed(ch));
    const starts = fragments.filter((f) => f.kind === "start");
    assert.deepEqual(starts, [{ kind: "start", index: 0, name: "a" }, { kind: "start", index: 1, name: "b" }]);
    const args = [0, 1].map((i) => fragments.filter((f) => f.kind === "arguments" && f.index === i).map((f) => (f as { text: string }).text).join(""));
    assert.deepEqual(JSON.parse(args[0]), { s: '}{"', n: [1, { x: 2 }] });
    assert.equal(args[1], "{}");
    assert.ok(reader.done);
  });
});

describe("lifecycle", () => {
  it("unloads a model after LOCAL_MODEL_IDLE_SECONDS without requests", async () => {
    const config = getConfig();
    const idle = config.LOCAL_MODEL_IDLE_SECONDS;
    config.LOCAL_MODEL_IDLE_SECONDS = 0;
    try {
      await localProvider.chat(entry, request({ maxTokens: 3 }), ctx());
      await waitFor(() => localModelStats().loaded.length === 0);
    } finally {
      config.LOCAL_MODEL_IDLE_SECONDS = idle;
    }
  });

  it("keeps loaded models within LOCAL_MODEL_MEMORY_MB, unloading the least recently used idle one", async () => {
    // Two catalog entries backed by links to the same file: two models as far as the pool knows.
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), "gatehouse-budget-"));
    const config = getConfig();
    const budget = config.LOCAL_MODEL_MEMORY_MB;
    try {
      const paths = ["first", "second"].map((n) => path.join(dir, `${n}.gguf`));
      for (const p of paths) await fs.symlink(MODEL_PATH, p);
      const [first, second] = paths.map((p, i) => ({ ...entry, id: `budget-${i}`, upstreamId: p }));
      await unloadAllLocalModels();
      const size = (await fs.stat(MODEL_PATH)).size;
      config.LOCAL_MODEL_MEMORY_MB = Math.ceil((size * 1.5) / 1048576); // room for one, not two
      await localProvider.chat(first, request({ maxTokens: 2 }), ctx());
      assert.deepEqual(localModelStats().loaded, ["budget-0"]);
      await localProvider.chat(second, request({ maxTokens: 2 }), ctx());
      assert.deepEqual(localModelStats().loaded, ["budget-1"]);
      config.LOCAL_MODEL_MEMORY_MB = undefined; // no budget: both stay
      await localProvider.chat(first, request({ maxTokens: 2 }), ctx());
      assert.deepEqual(localModelStats().loaded.sort(), ["budget-0", "budget-1"]);
    } finally {
      config.LOCAL_MODEL_MEMORY_MB = budget;
      await unloadAllLocalModels();
      await fs.rm(dir, { recursive: true, force: true });
    }
  });

  it("unloads every model on request", async () => {
    await localProvider.chat(entry, request({ maxTokens: 3 }), ctx());
    assert.deepEqual(localModelStats().loaded, [MODEL_ID]);
    await unloadAllLocalModels();
    assert.deepEqual(localModelStats().loaded, []);
    // And loads again on the next use.
    const again = await localProvider.chat(entry, request({ maxTokens: 3 }), ctx());
    assert.equal(again.usage.completionTokens, 3);
  });
});

async function waitFor(condition: () => boolean, timeoutMs = 5000) {
  const start = Date.now();
  while (!condition()) {
    if (Date.now() - start > timeoutMs) throw new Error("timed out waiting for condition");
    await new Promise((r) => setTimeout(r, 5));
  }
}
