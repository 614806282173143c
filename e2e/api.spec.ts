import { expect, test } from "@playwright/test";
import OpenAI from "openai";
import { E2E_API_KEY } from "./support";

// The /v1 API through the official openai SDK, unmodified (only baseURL and apiKey), against
// the running server and the tiny local model. The model writes children's stories: these
// tests check shapes, counts, determinism, limits and errors, never meaning.

const MODEL = "stories260K";

function client(baseURL: string, apiKey = E2E_API_KEY) {
  return new OpenAI({ baseURL: `${baseURL}/v1`, apiKey, maxRetries: 0, timeout: 60_000 });
}

test.describe("OpenAI-compatible API", () => {
  let openai: OpenAI;
  test.beforeAll(({}, testInfo) => {
    openai = client(testInfo.project.use.baseURL!);
  });

  test("models are listed and retrieved; an unknown model is 404 model_not_found", async () => {
    const list = await openai.models.list();
    const ids = list.data.map((m) => m.id);
    expect(ids).toContain(MODEL);
    const m = await openai.models.retrieve(MODEL);
    expect(m).toMatchObject({ id: MODEL, object: "model" });
    expect(typeof m.created).toBe("number");
    const err = await openai.models.retrieve("no-such-model").catch((e) => e);
    expect(err).toBeInstanceOf(OpenAI.NotFoundError);
    expect(err.code).toBe("model_not_found");
  });

  test("chat completion: OpenAI's shape, usage, request id and rate-limit headers", async () => {
    const { data, response } = await openai.chat.completions
      .create({ model: MODEL, messages: [{ role: "user", content: "Once upon a time" }], max_tokens: 12, temperature: 0 })
      .withResponse();
    expect(data.id).toMatch(/^chatcmpl-/);
    expect(data.object).toBe("chat.completion");
    expect(data.model).toBe(MODEL);
    expect(data.choices).toHaveLength(1);
    expect(data.choices[0].message.role).toBe("assistant");
    expect(typeof data.choices[0].message.content).toBe("string");
    expect(["stop", "length"]).toContain(data.choices[0].finish_reason);
    expect(data.usage!.completion_tokens).toBeLessThanOrEqual(12);
    expect(data.usage!.total_tokens).toBe(data.usage!.prompt_tokens + data.usage!.completion_tokens);
    expect(data.usage!.prompt_tokens_details?.cached_tokens).toBe(0);
    expect(response.headers.get("x-request-id")).toMatch(/^req_/);
    expect(Number(response.headers.get("x-ratelimit-limit-requests"))).toBeGreaterThan(0);
    expect(Number(response.headers.get("x-ratelimit-remaining-requests"))).toBeGreaterThanOrEqual(0);
    expect(response.headers.get("x-ratelimit-reset-requests")).toMatch(/^[\d.]+(ms|s|m|h)/);
  });

  test("max_tokens ends with finish_reason length; temperature 0 with a seed is deterministic", async () => {
    const ask = () =>
      openai.chat.completions.create({ model: MODEL, messages: [{ role: "user", content: "The dog" }], max_tokens: 8, temperature: 0, seed: 7 });
    const [a, b] = [await ask(), await ask()];
    expect(a.choices[0].finish_reason).toBe("length");
    expect(a.usage!.completion_tokens).toBe(8);
    expect(a.choices[0].message.content).toBe(b.choices[0].message.content);
  });

  test("n > 1 and stop sequences", async () => {
    const r = await openai.chat.completions.create({ model: MODEL, messages: [{ role: "user", content: "A cat" }], max_tokens: 10, n: 2, seed: 1 });
    expect(r.choices.map((c) => c.index)).toEqual([0, 1]);
    const s = await openai.chat.completions.create({ model: MODEL, messages: [{ role: "user", content: "Once" }], max_tokens: 40, temperature: 0, stop: ["."] });
    expect(s.choices[0].message.content).not.toContain(".");
  });

  test("streaming: chunks arrive with role first, content deltas, finish, and usage last", async () => {
    const stream = await openai.chat.completions.create({
      model: MODEL,
      messages: [{ role: "user", content: "Once upon a time" }],
      max_tokens: 16,
      temperature: 0,
      stream: true,
      stream_options: { include_usage: true },
    });
    const chunks: OpenAI.Chat.Completions.ChatCompletionChunk[] = [];
    for await (const chunk of stream) chunks.push(chunk);
    expect(chunks[0].choices[0].delta.role).toBe("assistant");
    expect(chunks.every((c) => c.object === "chat.completion.chunk" && c.id === chunks[0].id)).toBe(true);
    const text = chunks.flatMap((c) => c.choices.map((ch) => ch.delta.content ?? "")).join("");
    const finish = chunks.flatMap((c) => c.choices.map((ch) => ch.finish_reason)).filter(Boolean);
    expect(finish).toEqual(["length"]);
    const last = chunks.at(-1)!;
    expect(last.choices).toEqual([]);
    expect(last.usage!.completion_tokens).toBe(16);
    // The same request without streaming gives the same text.
    const whole = await openai.chat.completions.create({ model: MODEL, messages: [{ role: "user", content: "Once upon a time" }], max_tokens: 16, temperature: 0 });
    expect(text).toBe(whole.choices[0].message.content);
  });

  test("tools: tool_choice required with parallel calls returns valid arguments", async () => {
    const r = await openai.chat.completions.create({
      model: MODEL,
      messages: [{ role: "user", content: "What is the weather in Paris and in Rome?" }],
      tools: [
        {
          type: "function",
          function: {
            name: "get_weather",
            description: "Current weather for a city",
            parameters: { type: "object", properties: { city: { type: "string" }, unit: { type: "string", enum: ["c", "f"] } }, required: ["city", "unit"], additionalProperties: false },
          },
        },
      ],
      tool_choice: "required",
      parallel_tool_calls: true,
      temperature: 0,
    });
    const choice = r.choices[0];
    expect(choice.finish_reason).toBe("tool_calls");
    expect(choice.message.tool_calls!.length).toBeGreaterThanOrEqual(1);
    for (const call of choice.message.tool_calls!) {
      expect(call.id).toMatch(/^call_/);
      if (call.type !== "function") throw new Error("expected a function call");
      expect(call.function.name).toBe("get_weather");
      const args = JSON.parse(call.function.arguments);
      expect(typeof args.city).toBe("string");
      expect(["c", "f"]).toContain(args.unit);
    }
  });

  test("legacy functions/function_call get the legacy answer shape", async ({ request }) => {
    const res = await request.post("/v1/chat/completions", {
      headers: { authorization: `Bearer ${E2E_API_KEY}` },
      data: {
        model: MODEL,
        messages: [{ role: "user", content: "Weather in Oslo?" }],
        functions: [{ name: "get_weather", parameters: { type: "object", properties: { city: { type: "string" } }, required: ["city"] } }],
        function_call: { name: "get_weather" },
        temperature: 0,
      },
    });
    expect(res.status()).toBe(200);
    const choice = (await res.json()).choices[0];
    expect(choice.finish_reason).toBe("function_call");
    expect(choice.message.tool_calls).toBeUndefined();
    expect(choice.message.function_call.name).toBe("get_weather");
    expect(typeof JSON.parse(choice.message.function_call.arguments).city).toBe("string");
  });

  test("/metrics exposes request, token and latency series", async ({ request }) => {
    await openai.models.list();
    const text = await (await request.get("/metrics")).text();
    expect(text).toMatch(/gatehouse_requests_total\{endpoint="models.list",status="200"\} \d+/);
    expect(text).toContain("gatehouse_request_duration_seconds_bucket");
    expect(text).toMatch(/gatehouse_tokens_total\{model="stories260K",kind="completion"\} \d+/);
    expect(text).toContain("gatehouse_local_queue_depth");
    expect(text).not.toContain(E2E_API_KEY);
  });

  test("response_format json_schema yields JSON valid for the schema", async () => {
    const r = await openai.chat.completions.create({
      model: MODEL,
      messages: [{ role: "user", content: "Describe a pet." }],
      response_format: {
        type: "json_schema",
        json_schema: {
          name: "pet",
          strict: true,
          schema: { type: "object", properties: { name: { type: "string" }, legs: { type: "integer" } }, required: ["name", "legs"], additionalProperties: false },
        },
      },
      max_tokens: 100,
      temperature: 0,
    });
    const value = JSON.parse(r.choices[0].message.content!);
    expect(typeof value.name).toBe("string");
    expect(Number.isInteger(value.legs)).toBe(true);
  });

  test("embeddings: float, base64 and dimensions", async () => {
    const f = await openai.embeddings.create({ model: MODEL, input: ["a cat", "a dog"], encoding_format: "float" });
    expect(f.object).toBe("list");
    expect(f.data.map((d) => d.index)).toEqual([0, 1]);
    const dims = f.data[0].embedding.length;
    expect(dims).toBeGreaterThan(0);
    expect(f.usage.prompt_tokens).toBeGreaterThan(0);
    // base64 asked for explicitly: the SDK hands back the string, little-endian float32s.
    const b = await openai.embeddings.create({ model: MODEL, input: ["a cat", "a dog"], encoding_format: "base64" });
    const raw = b.data[0].embedding as unknown as string;
    expect(typeof raw).toBe("string");
    const bytes = Buffer.from(raw, "base64");
    const decoded = Array.from({ length: bytes.length / 4 }, (_, i) => bytes.readFloatLE(i * 4));
    expect(decoded).toHaveLength(dims);
    decoded.forEach((v, i) => expect(v).toBeCloseTo(f.data[0].embedding[i], 5));
    // Left to the SDK (its default), base64 travels on the wire and arrives decoded.
    const sdkDefault = await openai.embeddings.create({ model: MODEL, input: "a cat" });
    sdkDefault.data[0].embedding.forEach((v, i) => expect(v).toBeCloseTo(f.data[0].embedding[i], 5));
    const small = await openai.embeddings.create({ model: MODEL, input: "a cat", dimensions: 16 });
    const v = small.data[0].embedding;
    expect(v).toHaveLength(16);
    expect(Math.hypot(...v)).toBeCloseTo(1, 4);
  });

  test("errors are OpenAI's: status, type, param, code, JSON body and request id", async ({ request }) => {
    const post = (data: unknown, headers: Record<string, string> = { authorization: `Bearer ${E2E_API_KEY}` }) =>
      request.post("/v1/chat/completions", { data: typeof data === "string" ? data : JSON.stringify(data), headers: { "content-type": "application/json", ...headers } });
    const cases: { body: unknown; headers?: Record<string, string>; status: number; param?: string | null; code?: string | null; type?: string }[] = [
      { body: { model: MODEL, messages: [{ role: "user", content: "x" }] }, headers: {}, status: 401, type: "invalid_request_error" },
      { body: { model: MODEL, messages: [{ role: "user", content: "x" }] }, headers: { authorization: "Bearer sk-proj-nope" }, status: 401, code: "invalid_api_key" },
      { body: "{not json", status: 400, type: "invalid_request_error" },
      { body: { model: MODEL, messages: [] }, status: 400, param: "messages" },
      { body: { model: MODEL, messages: [{ role: "user", content: "x" }], temperature: 3 }, status: 400, param: "temperature" },
      { body: { model: MODEL, messages: [{ role: "user", content: "x" }], temperature: "hot" }, status: 400, param: "temperature" },
      { body: { model: MODEL, messages: [{ role: "bogus", content: "x" }] }, status: 400, param: "messages[0].role" },
      { body: { model: "no-such-model", messages: [{ role: "user", content: "x" }] }, status: 404, code: "model_not_found" },
      { body: { model: MODEL, messages: [{ role: "user", content: "word ".repeat(2000) }], max_tokens: 10 }, status: 400, code: "context_length_exceeded" },
    ];
    for (const c of cases) {
      const res = await post(c.body, c.headers);
      const label = JSON.stringify(c.body).slice(0, 60);
      expect(res.status(), label).toBe(c.status);
      expect(res.headers()["content-type"], label).toContain("application/json");
      expect(res.headers()["x-request-id"], label).toMatch(/^req_/);
      const body = await res.json();
      expect(Object.keys(body.error).sort(), label).toEqual(["code", "message", "param", "type"]);
      expect(body.error.message.length, label).toBeGreaterThan(10);
      if (c.param !== undefined) expect(body.error.param, label).toBe(c.param);
      if (c.code !== undefined) expect(body.error.code, label).toBe(c.code);
      if (c.type !== undefined) expect(body.error.type, label).toBe(c.type);
    }
    const notFound = await request.get("/v1/no/such/route", { headers: { authorization: `Bearer ${E2E_API_KEY}` } });
    expect(notFound.status()).toBe(404);
    expect((await notFound.json()).error.message).toContain("/v1/no/such/route");
  });
});
