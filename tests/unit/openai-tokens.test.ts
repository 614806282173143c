import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { MAX_IMAGE_TOKENS } from "@/lib/openai/images";
import { countChatPromptTokens, countCompletionTokens, countTextTokens, encodingForModel, tokenizerFor } from "@/lib/openai/tokens";
import type { ChatMessage, FunctionTool } from "@/lib/providers/types";

// Expected numbers are OpenAI's own: the cookbook "How to count tokens with tiktoken" prints
// the API's prompt_tokens next to its formula for these exact messages and tools.

const COOKBOOK_MESSAGES: ChatMessage[] = [
  { role: "system", content: "You are a helpful, pattern-following assistant that translates corporate jargon into plain English." },
  { role: "system", name: "example_user", content: "New synergies will help drive top-line growth." },
  { role: "system", name: "example_assistant", content: "Things working well together will increase revenue." },
  { role: "system", name: "example_user", content: "Let's circle back when we have more bandwidth to touch base on opportunities for increased leverage." },
  { role: "system", name: "example_assistant", content: "Let's talk later when we're less busy about how to do better." },
  { role: "user", content: "This late pivot means we don't have time to boil the ocean for the client deliverable." },
];

const WEATHER_TOOLS: FunctionTool[] = [
  {
    type: "function",
    function: {
      name: "get_current_weather",
      description: "Get the current weather in a given location",
      parameters: {
        type: "object",
        properties: {
          location: { type: "string", description: "The city and state, e.g. San Francisco, CA" },
          unit: { type: "string", description: "The unit of temperature to return", enum: ["celsius", "fahrenheit"] },
        },
        required: ["location"],
      },
    },
  },
];

const WEATHER_MESSAGES: ChatMessage[] = [
  { role: "system", content: "You are a helpful assistant that can answer to questions about the weather." },
  { role: "user", content: "What's the weather like in San Francisco?" },
];

describe("encodingForModel", () => {
  const rows: [string, string][] = [
    ["gpt-4o", "o200k_base"],
    ["gpt-4o-mini-2024-07-18", "o200k_base"],
    ["chatgpt-4o-latest", "o200k_base"],
    ["gpt-4.1-nano", "o200k_base"],
    ["o1-mini", "o200k_base"],
    ["o3", "o200k_base"],
    ["o4-mini", "o200k_base"],
    ["gpt-5", "o200k_base"],
    ["ft:gpt-4o-mini:acme::abc123", "o200k_base"],
    ["GPT-4O", "o200k_base"],
    ["gpt-4", "cl100k_base"],
    ["gpt-4-turbo", "cl100k_base"],
    ["gpt-4-0613", "cl100k_base"],
    ["gpt-3.5-turbo", "cl100k_base"],
    ["text-embedding-3-small", "cl100k_base"],
    ["text-embedding-ada-002", "cl100k_base"],
    ["ft:gpt-3.5-turbo-0125:acme::x", "cl100k_base"],
    ["local-llama-3b", "o200k_base"],
    ["stories260K", "o200k_base"],
  ];
  for (const [model, encoding] of rows) it(`${model} → ${encoding}`, () => assert.equal(encodingForModel(model), encoding));
});

describe("countTextTokens", () => {
  it("counts with the model's encoding (cookbook: 9 tokens in cl100k_base, 8 in o200k_base)", async () => {
    assert.equal(await countTextTokens("gpt-4", "お誕生日おめでとう"), 9);
    assert.equal(await countTextTokens("gpt-4o", "お誕生日おめでとう"), 8);
  });

  it("counts plain text and nothing for nothing", async () => {
    assert.equal(await countTextTokens("gpt-4o", "hello world"), 2);
    assert.equal(await countTextTokens("gpt-4o", ""), 0);
  });

  it("counts special-token text as ordinary text instead of failing", async () => {
    const n = await countTextTokens("gpt-4o", "a <|endoftext|> b");
    assert.ok(n > 3, `got ${n}`);
    assert.equal(n, (await tokenizerFor("gpt-4o")).encode("a <|endoftext|> b").length);
  });

  it("loads each encoding once", async () => {
    assert.equal(tokenizerFor("gpt-4o"), tokenizerFor("o3-mini"));
    assert.notEqual(tokenizerFor("gpt-4o"), tokenizerFor("gpt-4"));
  });
});

describe("countChatPromptTokens", () => {
  it("matches the API on the cookbook conversation: 129 tokens on gpt-4 and gpt-3.5-turbo, 124 on gpt-4o", async () => {
    assert.equal(await countChatPromptTokens("gpt-4", COOKBOOK_MESSAGES), 129);
    assert.equal(await countChatPromptTokens("gpt-3.5-turbo", COOKBOOK_MESSAGES), 129);
    assert.equal(await countChatPromptTokens("gpt-4o", COOKBOOK_MESSAGES), 124);
    assert.equal(await countChatPromptTokens("gpt-4o-mini", COOKBOOK_MESSAGES), 124);
  });

  it("matches the API on the cookbook tool example: 105 tokens on gpt-4, 101 on gpt-4o", async () => {
    assert.equal(await countChatPromptTokens("gpt-4", WEATHER_MESSAGES, WEATHER_TOOLS), 105);
    assert.equal(await countChatPromptTokens("gpt-4o", WEATHER_MESSAGES, WEATHER_TOOLS), 101);
  });

  it("costs 3 per message plus role and content, 1 more per name, and 3 to prime the reply", async () => {
    const one = await countChatPromptTokens("gpt-4o", [{ role: "user", content: "hello world" }]);
    assert.equal(one, 3 + 1 + 2 + 3); // "user" and "hello world" are 1 and 2 tokens
    const named = await countChatPromptTokens("gpt-4o", [{ role: "user", content: "hello world", name: "bob" }]);
    assert.equal(named - one, (await countTextTokens("gpt-4o", "bob")) + 1);
  });

  it("counts text parts like strings", async () => {
    const asString = await countChatPromptTokens("gpt-4o", [{ role: "user", content: "hello world" }]);
    const asParts = await countChatPromptTokens("gpt-4o", [{ role: "user", content: [{ type: "text", text: "hello world" }] }]);
    assert.equal(asParts, asString);
  });

  it("counts images with OpenAI's image rule", async () => {
    const base = await countChatPromptTokens("gpt-4o", [{ role: "user", content: [{ type: "text", text: "what is this?" }] }]);
    const withImage = (detail?: "low" | "high" | "auto") =>
      countChatPromptTokens(
        "gpt-4o",
        [{ role: "user", content: [{ type: "text", text: "what is this?" }, { type: "image_url", image_url: { url: "https://example.com/a.png", ...(detail ? { detail } : {}) } }] }],
        [],
        { imageSize: (url) => (url === "https://example.com/a.png" ? { width: 1024, height: 1024 } : undefined) },
      );
    assert.equal((await withImage("low")) - base, 85);
    assert.equal((await withImage("high")) - base, 765);
    assert.equal((await withImage()) - base, 765);
    const unknownSize = await countChatPromptTokens("gpt-4o", [{ role: "user", content: [{ type: "text", text: "what is this?" }, { type: "image_url", image_url: { url: "https://example.com/b.png" } }] }]);
    assert.equal(unknownSize - base, MAX_IMAGE_TOKENS);
  });

  it("counts tool calls and tool results in the conversation", async () => {
    const call = { id: "call_1", type: "function" as const, function: { name: "get_current_weather", arguments: '{"location":"Paris"}' } };
    const withoutCall = await countChatPromptTokens("gpt-4o", [...WEATHER_MESSAGES, { role: "assistant", content: null }]);
    const withCall = await countChatPromptTokens("gpt-4o", [...WEATHER_MESSAGES, { role: "assistant", content: null, tool_calls: [call] }]);
    const expected = 3 + (await countTextTokens("gpt-4o", call.function.name)) + (await countTextTokens("gpt-4o", call.function.arguments));
    assert.equal(withCall - withoutCall, expected);
    const withResult = await countChatPromptTokens("gpt-4o", [...WEATHER_MESSAGES, { role: "assistant", content: null, tool_calls: [call] }, { role: "tool", tool_call_id: "call_1", content: "18C" }]);
    assert.equal(withResult - withCall, 3 + (await countTextTokens("gpt-4o", "tool")) + (await countTextTokens("gpt-4o", "18C")));
  });

  it("charges nothing for an empty tool list and more for every property", async () => {
    assert.equal(await countChatPromptTokens("gpt-4o", WEATHER_MESSAGES, []), await countChatPromptTokens("gpt-4o", WEATHER_MESSAGES));
    const bare: FunctionTool[] = [{ type: "function", function: { name: "ping" } }];
    const bareCount = await countChatPromptTokens("gpt-4o", WEATHER_MESSAGES, bare);
    // 7 to open the function, "ping:" itself, 12 to close the list.
    assert.equal(bareCount - (await countChatPromptTokens("gpt-4o", WEATHER_MESSAGES)), 7 + (await countTextTokens("gpt-4o", "ping:")) + 12);
  });
});

describe("countCompletionTokens", () => {
  it("adds every choice's text and tool calls", async () => {
    const n = await countCompletionTokens("gpt-4o", [
      { index: 0, message: { role: "assistant", content: "hello world", refusal: null }, finishReason: "stop" },
      { index: 1, message: { role: "assistant", content: null, refusal: null, tool_calls: [{ id: "c", type: "function", function: { name: "ping", arguments: "{}" } }] }, finishReason: "tool_calls" },
    ]);
    assert.equal(n, 2 + (await countTextTokens("gpt-4o", "ping")) + (await countTextTokens("gpt-4o", "{}")));
  });
});
