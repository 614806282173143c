import assert from "node:assert/strict";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { Readable } from "node:stream";
import { after, before, describe, it } from "node:test";
import OpenAI from "openai";
import type { ChatCompletion, ChatCompletionChunk } from "openai/resources/chat/completions";
import type { CreateEmbeddingResponse } from "openai/resources/embeddings";
import type { Model } from "openai/resources/models";
import { invalidRequest, OpenAIError } from "@/lib/openai/errors";
import { chatCompletionBody, embeddingsBody, modelListBody, modelObject, newChatCompletionId, newRequestId, usageBody } from "@/lib/openai/responses";
import { parseChatRequest, parseEmbeddingRequest, parseJsonBody } from "@/lib/openai/schemas";
import { chatChunksFromEvents, SSE_DONE, sseBody, sseEvent } from "@/lib/openai/sse";
import type { ChatResult, ChatStreamEvent, Usage } from "@/lib/providers/types";

// The /v1 wire format: request validation with OpenAI's exact errors, the normalized requests
// providers get, the response bodies and the SSE chunk sequence, and finally the official SDK
// talking to all of it over HTTP.

const PNG_DATA_URL =
  "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==";
const DELETE = Symbol("delete");
const TOOL = { type: "function", function: { name: "f", parameters: { type: "object", properties: {} } } };

function chatBody(fragment: Record<string, unknown>): Record<string, unknown> {
  const body: Record<string, unknown> = { model: "gpt-4o", messages: [{ role: "user", content: "ping" }], ...fragment };
  for (const [k, v] of Object.entries(body)) if (v === DELETE) delete body[k];
  return body;
}

type Expected = { message: string; param: string | null; code: string | null };

function rejects(fn: () => unknown, expected: Expected) {
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof OpenAIError, `expected an OpenAIError, got ${String(e)}`);
    assert.equal(e.status, 400);
    assert.equal(e.type, "invalid_request_error");
    assert.equal(e.message, expected.message);
    assert.equal(e.param, expected.param);
    assert.equal(e.code, expected.code);
    return true;
  });
}

const u = (content: unknown) => ({ role: "user", content });
const assistantCalls = (...ids: string[]) => ({
  role: "assistant",
  content: null,
  tool_calls: ids.map((id) => ({ id, type: "function", function: { name: "f", arguments: "{}" } })),
});

const CHAT_REJECTIONS: [string, Record<string, unknown>, Expected][] = [
  // Presence and order: the model first, then messages, then unknown parameters, then the rest.
  ["no model", { model: DELETE }, { message: "you must provide a model parameter", param: null, code: null }],
  ["a missing model beats an unknown key", { model: DELETE, foo: 1 }, { message: "you must provide a model parameter", param: null, code: null }],
  ["a non-string model", { model: 7 }, { message: "Invalid type for 'model': expected a string, but got an integer instead.", param: "model", code: "invalid_type" }],
  ["no messages", { messages: DELETE }, { message: "Missing required parameter: 'messages'.", param: "messages", code: "missing_required_parameter" }],
  ["an unknown parameter", { foo: 1 }, { message: "Unknown parameter: 'foo'.", param: "foo", code: "unknown_parameter" }],
  ["an unknown key beats a bad type", { foo: 1, n: "abc" }, { message: "Unknown parameter: 'foo'.", param: "foo", code: "unknown_parameter" }],
  ["an unknown key beats an empty messages array", { foo: 1, messages: [] }, { message: "Unknown parameter: 'foo'.", param: "foo", code: "unknown_parameter" }],
  // Messages.
  ["a string messages", { messages: "ping" }, { message: "Invalid type for 'messages': expected an array of objects, but got a string instead.", param: "messages", code: "invalid_type" }],
  ["an empty messages array", { messages: [] }, { message: "Invalid 'messages': empty array. Expected an array with minimum length 1, but got an empty array instead.", param: "messages", code: "empty_array" }],
  ["a non-object message", { messages: ["ping"] }, { message: "Invalid type for 'messages[0]': expected an object, but got a string instead.", param: "messages[0]", code: "invalid_type" }],
  ["a message without a role", { messages: [{ content: "ping" }] }, { message: "Missing required parameter: 'messages[0].role'.", param: "messages[0].role", code: "missing_required_parameter" }],
  ["an unknown role", { messages: [{ role: "bogus", content: "ping" }] }, { message: "Invalid value: 'bogus'. Supported values are: 'system', 'assistant', 'user', 'function', 'tool', and 'developer'.", param: "messages[0].role", code: "invalid_value" }],
  ["a numeric content", { messages: [u(7)] }, { message: "Invalid type for 'messages[0].content': expected one of a string or array of objects, but got an integer instead.", param: "messages[0].content", code: "invalid_type" }],
  ["an unknown message field", { messages: [{ role: "user", content: "a", reasoning: "x" }] }, { message: "Unknown parameter: 'messages[0].reasoning'.", param: "messages[0].reasoning", code: "unknown_parameter" }],
  ["a developer message without content", { messages: [u("a"), { role: "developer" }] }, { message: "Missing required parameter: 'messages[1].content'.", param: "messages[1].content", code: "missing_required_parameter" }],
  ["a developer message with null content", { messages: [u("a"), { role: "developer", content: null }] }, { message: "Invalid type for 'messages[1].content': expected one of a string or array of objects, but got null instead.", param: "messages[1].content", code: "invalid_type" }],
  ["a user message with null content", { messages: [u(null)] }, { message: "Invalid value for 'content': expected a string, got null.", param: "messages.[0].content", code: null }],
  ["a null refusal is no substitute for content", { messages: [u("a"), { role: "assistant", refusal: null }] }, { message: "Invalid value for 'content': expected a string, got null.", param: "messages.[1].content", code: null }],
  ["a type fault at a later index beats missing content earlier", { messages: [{ role: "user" }, u(7)] }, { message: "Invalid type for 'messages[1].content': expected one of a string or array of objects, but got an integer instead.", param: "messages[1].content", code: "invalid_type" }],
  ["an empty tool_calls", { messages: [u("a"), { role: "assistant", content: "x", tool_calls: [] }] }, { message: "Invalid 'messages[1].tool_calls': empty array. Expected an array with minimum length 1, but got an empty array instead.", param: "messages[1].tool_calls", code: "empty_array" }],
  ["a tool call without arguments", { messages: [u("a"), { role: "assistant", tool_calls: [{ id: "c", type: "function", function: { name: "f" } }] }] }, { message: "Missing required parameter: 'messages[1].tool_calls[0].function.arguments'.", param: "messages[1].tool_calls[0].function.arguments", code: "missing_required_parameter" }],
  ["a tool message without tool_call_id", { messages: [u("a"), { role: "tool", content: "r" }] }, { message: "Missing required parameter: 'messages[1].tool_call_id'.", param: "messages[1].tool_call_id", code: "missing_required_parameter" }],
  ["a tool message answering nothing", { messages: [u("a"), { role: "tool", tool_call_id: "c", content: "r" }] }, { message: "Invalid parameter: messages with role 'tool' must be a response to a preceeding message with 'tool_calls'.", param: "messages.[1].role", code: null }],
  ["a tool message after the tool group ended", { messages: [u("a"), assistantCalls("c1"), { role: "tool", tool_call_id: "c1", content: "r" }, u("b"), { role: "tool", tool_call_id: "c1", content: "r" }] }, { message: "Invalid parameter: messages with role 'tool' must be a response to a preceeding message with 'tool_calls'.", param: "messages.[4].role", code: null }],
  ["a tool message with an unknown id", { messages: [u("a"), assistantCalls("c1"), { role: "tool", tool_call_id: "zz", content: "r" }] }, { message: "Invalid parameter: 'tool_call_id' of 'zz' not found in 'tool_calls' of previous message.", param: "messages.[2].tool_call_id", code: null }],
  ["tool calls left unanswered", { messages: [u("a"), assistantCalls("c1", "c2"), { role: "tool", tool_call_id: "c1", content: "r" }, u("b")] }, { message: "An assistant message with 'tool_calls' must be followed by tool messages responding to each 'tool_call_id'. The following tool_call_ids did not have response messages: c2", param: "messages.[1].role", code: null }],
  ["tool calls unanswered at the end", { messages: [u("a"), assistantCalls("c1")] }, { message: "An assistant message with 'tool_calls' must be followed by tool messages responding to each 'tool_call_id'. The following tool_call_ids did not have response messages: c1", param: "messages.[1].role", code: null }],
  ["a message name with a space", { messages: [{ role: "user", name: "Jo Doe", content: "a" }] }, { message: "Invalid 'messages[0].name': string does not match pattern. Expected a string that matches the pattern '^[a-zA-Z0-9_-]+$'.", param: "messages[0].name", code: "invalid_value" }],
  ["a function message without a name", { messages: [u("a"), { role: "function", content: "r" }] }, { message: "Missing required parameter: 'messages[1].name'.", param: "messages[1].name", code: "missing_required_parameter" }],
  // Content parts.
  ["an unknown part type", { messages: [u([{ type: "bogus" }])] }, { message: "Invalid value: 'bogus'. Supported values are: 'text', 'image_url', 'input_audio', 'refusal', 'audio', and 'file'.", param: "messages[0].content[0].type", code: "invalid_value" }],
  ["a part without a type", { messages: [u([{ text: "a" }])] }, { message: "Missing required parameter: 'messages[0].content[0].type'.", param: "messages[0].content[0].type", code: "missing_required_parameter" }],
  ["an unknown part field", { messages: [u([{ type: "text", text: "a", cache_control: { type: "ephemeral" } }])] }, { message: "Unknown parameter: 'messages[0].content[0].cache_control'.", param: "messages[0].content[0].cache_control", code: "unknown_parameter" }],
  ["a text part without text", { messages: [u([{ type: "text" }])] }, { message: "Missing required parameter: 'messages[0].content[0].text'.", param: "messages[0].content[0].text", code: "missing_required_parameter" }],
  ["an image in a system message", { messages: [{ role: "system", content: [{ type: "image_url", image_url: { url: PNG_DATA_URL } }] }] }, { message: "Invalid value: 'image_url'. Supported values are: 'text'.", param: "messages[0].content[0].type", code: "invalid_value" }],
  ["an audio part", { messages: [u([{ type: "input_audio", input_audio: { data: "AAAA", format: "wav" } }])] }, { message: "Unsupported value: 'messages[0].content[0].type' does not support 'input_audio' with this model.", param: "messages[0].content[0].type", code: "unsupported_value" }],
  ["an image_url given as a string", { messages: [u([{ type: "text", text: "a" }, { type: "image_url", image_url: "https://example.com/a.png" }])] }, { message: "Invalid type for 'messages[0].content[1].image_url': expected an object, but got a string instead.", param: "messages[0].content[1].image_url", code: "invalid_type" }],
  ["an image without a url", { messages: [u([{ type: "image_url", image_url: {} }])] }, { message: "Missing required parameter: 'messages[0].content[0].image_url.url'.", param: "messages[0].content[0].image_url.url", code: "missing_required_parameter" }],
  ["an ftp image URL", { messages: [u([{ type: "text", text: "a" }, { type: "image_url", image_url: { url: "ftp://example.com/a.png" } }])] }, { message: "Invalid image URL: 'messages[0].content[1].image_url.url'. Expected a valid URL, but got a value with an invalid format.", param: "messages[0].content[1].image_url.url", code: "invalid_value" }],
  ["a data URL of an unsupported type", { messages: [u([{ type: "image_url", image_url: { url: "data:image/bmp;base64,Qk0=" } }])] }, { message: "Invalid image URL: 'messages[0].content[0].image_url.url'. Expected a base64-encoded data URL with an image MIME type (e.g. 'data:image/png;base64,aW1nIGJ5dGVzIGhlcmU='), but got unsupported MIME type 'image/bmp'.", param: "messages[0].content[0].image_url.url", code: "invalid_value" }],
  ["a data URL that is not base64", { messages: [u([{ type: "image_url", image_url: { url: "data:image/png,rawbytes" } }])] }, { message: "Invalid image URL: 'messages[0].content[0].image_url.url'. Expected a base64-encoded data URL with an image MIME type (e.g. 'data:image/png;base64,aW1nIGJ5dGVzIGhlcmU='), but got a value without the ';base64' separator.", param: "messages[0].content[0].image_url.url", code: "invalid_value" }],
  ["a data URL with broken base64", { messages: [u([{ type: "image_url", image_url: { url: "data:image/png;base64,@@@@" } }])] }, { message: "Invalid image URL: 'messages[0].content[0].image_url.url'. Expected a base64-encoded data URL with an image MIME type (e.g. 'data:image/png;base64,aW1nIGJ5dGVzIGhlcmU='), but got an invalid base64-encoded value.", param: "messages[0].content[0].image_url.url", code: "invalid_value" }],
  ["an unknown image detail", { messages: [u([{ type: "image_url", image_url: { url: PNG_DATA_URL, detail: "ultra" } }])] }, { message: "Invalid value: 'ultra'. Supported values are: 'auto', 'low', and 'high'.", param: "messages[0].content[0].image_url.detail", code: "invalid_value" }],
  // Types and ranges.
  ["a string temperature", { temperature: "hot" }, { message: "Invalid type for 'temperature': expected a decimal, but got a string instead.", param: "temperature", code: "invalid_type" }],
  ["temperature above 2", { temperature: 2.5 }, { message: "Invalid 'temperature': decimal above maximum value. Expected a value <= 2, but got 2.5 instead.", param: "temperature", code: "decimal_above_max_value" }],
  ["temperature below 0", { temperature: -0.5 }, { message: "Invalid 'temperature': decimal below minimum value. Expected a value >= 0, but got -0.5 instead.", param: "temperature", code: "decimal_below_min_value" }],
  ["top_p above 1", { top_p: 1.5 }, { message: "Invalid 'top_p': decimal above maximum value. Expected a value <= 1, but got 1.5 instead.", param: "top_p", code: "decimal_above_max_value" }],
  ["presence_penalty below -2", { presence_penalty: -3 }, { message: "Invalid 'presence_penalty': decimal below minimum value. Expected a value >= -2, but got -3 instead.", param: "presence_penalty", code: "decimal_below_min_value" }],
  ["frequency_penalty above 2", { frequency_penalty: 3 }, { message: "Invalid 'frequency_penalty': decimal above maximum value. Expected a value <= 2, but got 3 instead.", param: "frequency_penalty", code: "decimal_above_max_value" }],
  ["n of 0", { n: 0 }, { message: "Invalid 'n': integer below minimum value. Expected a value >= 1, but got 0 instead.", param: "n", code: "integer_below_min_value" }],
  ["n above 128", { n: 129 }, { message: "Invalid 'n': integer above maximum value. Expected a value <= 128, but got 129 instead.", param: "n", code: "integer_above_max_value" }],
  ["a string n", { n: "2" }, { message: "Invalid type for 'n': expected an integer, but got a string instead.", param: "n", code: "invalid_type" }],
  ["n is reported before temperature", { temperature: "hot", n: "abc" }, { message: "Invalid type for 'n': expected an integer, but got a string instead.", param: "n", code: "invalid_type" }],
  ["a decimal seed", { seed: 1.5 }, { message: "Invalid type for 'seed': expected an integer, but got a decimal number instead.", param: "seed", code: "invalid_type" }],
  ["max_tokens of 0", { max_tokens: 0 }, { message: "Invalid 'max_tokens': integer below minimum value. Expected a value >= 1, but got 0 instead.", param: "max_tokens", code: "integer_below_min_value" }],
  ["max_completion_tokens of 0", { max_completion_tokens: 0 }, { message: "Invalid 'max_completion_tokens': integer below minimum value. Expected a value >= 1, but got 0 instead.", param: "max_completion_tokens", code: "integer_below_min_value" }],
  ["an object user", { user: { a: 1 } }, { message: "Invalid type for 'user': expected a string, but got an object instead.", param: "user", code: "invalid_type" }],
  ["a string stream", { stream: "yes" }, { message: "Invalid type for 'stream': expected a boolean, but got a string instead.", param: "stream", code: "invalid_type" }],
  ["five stop sequences", { stop: ["a", "b", "c", "d", "e"] }, { message: "Invalid 'stop': array too long. Expected an array with maximum length 4, but got an array with length 5 instead.", param: "stop", code: "array_above_max_length" }],
  ["a numeric stop sequence", { stop: ["a", 1] }, { message: "Invalid type for 'stop[1]': expected a string, but got an integer instead.", param: "stop[1]", code: "invalid_type" }],
  ["a logit_bias key that is no token id", { logit_bias: { AI: 10 } }, { message: "Invalid key in 'logit_bias': AI. You should only be submitting non-negative integers.", param: "logit_bias", code: null }],
  ["a logit_bias above 100", { logit_bias: { "50256": 101 } }, { message: "Invalid 'logit_bias.50256': decimal above maximum value. Expected a value <= 100, but got 101 instead.", param: "logit_bias.50256", code: "decimal_above_max_value" }],
  ["a logit_bias below -100", { logit_bias: { "1": -100.5 } }, { message: "Invalid 'logit_bias.1': decimal below minimum value. Expected a value >= -100, but got -100.5 instead.", param: "logit_bias.1", code: "decimal_below_min_value" }],
  ["metadata with 17 properties", { metadata: Object.fromEntries(Array.from({ length: 17 }, (_, i) => [`k${i}`, "v"])) }, { message: "Invalid 'metadata': too many properties. Expected an object with at most 16 properties, but got an object with 17 properties instead.", param: "metadata", code: "object_above_max_properties" }],
  ["a bad service_tier", { service_tier: "bogus" }, { message: "Invalid value: 'bogus'. Supported values are: 'auto', 'default', 'flex', 'scale', 'priority', and 'fast'.", param: "service_tier", code: "invalid_value" }],
  ["top_logprobs without logprobs", { top_logprobs: 1 }, { message: "The 'top_logprobs' parameter is only allowed when 'logprobs' is enabled.", param: "top_logprobs", code: null }],
  // Streaming options.
  ["stream_options without stream", { stream_options: { include_usage: true } }, { message: "The 'stream_options' parameter is only allowed when 'stream' is enabled.", param: "stream_options", code: null }],
  ["stream_options with stream false", { stream: false, stream_options: { include_usage: true } }, { message: "The 'stream_options' parameter is only allowed when 'stream' is enabled.", param: "stream_options", code: null }],
  ["an unknown stream_options member", { stream: true, stream_options: { bogus: 1 } }, { message: "Unknown parameter: 'stream_options.bogus'.", param: "stream_options.bogus", code: "unknown_parameter" }],
  // Tools.
  ["a string tools", { tools: "none" }, { message: "Invalid type for 'tools': expected an array of objects, but got a string instead.", param: "tools", code: "invalid_type" }],
  ["a tool without function", { tools: [{ type: "function" }] }, { message: "Missing required parameter: 'tools[0].function'.", param: "tools[0].function", code: "missing_required_parameter" }],
  ["a tool function without a name", { tools: [{ type: "function", function: { parameters: {} } }] }, { message: "Missing required parameter: 'tools[0].function.name'.", param: "tools[0].function.name", code: "missing_required_parameter" }],
  ["a tool function with an empty name", { tools: [{ type: "function", function: { name: "", parameters: {} } }] }, { message: "Invalid 'tools[0].function.name': empty string. Expected a string with minimum length 1, but got an empty string instead.", param: "tools[0].function.name", code: "empty_string" }],
  ["a tool function name with a dot", { tools: [{ type: "function", function: { name: "canvas.read" } }] }, { message: "Invalid 'tools[0].function.name': string does not match pattern. Expected a string that matches the pattern '^[a-zA-Z0-9_-]+$'.", param: "tools[0].function.name", code: "invalid_value" }],
  ["a tool function name of 65 characters", { tools: [{ type: "function", function: { name: "a".repeat(65) } }] }, { message: "Invalid 'tools[0].function.name': string too long. Expected a string with maximum length 64, but got a string with length 65 instead.", param: "tools[0].function.name", code: "string_above_max_length" }],
  ["an unknown tool_choice", { tools: [TOOL], tool_choice: "bogus" }, { message: "Invalid value: 'bogus'. Supported values are: 'none', 'auto', and 'required'.", param: "tool_choice", code: "invalid_value" }],
  ["an integer tool_choice", { tool_choice: 7 }, { message: "Invalid type for 'tool_choice': expected one of one of 'none', 'auto', or 'required' or object, but got an integer instead.", param: "tool_choice", code: "invalid_type" }],
  ["a tool_choice object without function", { tools: [TOOL], tool_choice: { type: "bogus" } }, { message: "Missing required parameter: 'tool_choice.function'.", param: "tool_choice.function", code: "missing_required_parameter" }],
  ["a tool_choice function without a name", { tools: [TOOL], tool_choice: { type: "function", function: {} } }, { message: "Missing required parameter: 'tool_choice.function.name'.", param: "tool_choice.function.name", code: "missing_required_parameter" }],
  ["a tool_choice naming an undeclared function", { tools: [TOOL], tool_choice: { type: "function", function: { name: "never_declared" } } }, { message: "Invalid value for 'function_call': no function named 'never_declared' was specified in the 'functions' parameter.", param: "function_call", code: null }],
  ["a tool_choice without tools", { tool_choice: "auto" }, { message: "Invalid value for 'tool_choice': 'tool_choice' is only allowed when 'tools' are specified.", param: "tool_choice", code: null }],
  ["parallel_tool_calls without tools", { parallel_tool_calls: false }, { message: "Invalid value for 'parallel_tool_calls': 'parallel_tool_calls' is only allowed when 'tools' are specified.", param: "parallel_tool_calls", code: null }],
  ["a string functions", { functions: "x" }, { message: "Invalid type for 'functions': expected an array of function definitions, but got a string instead.", param: "functions", code: "invalid_type" }],
  ["a function without a name", { functions: [{ parameters: {} }] }, { message: "Missing required parameter: 'functions[0].name'.", param: "functions[0].name", code: "missing_required_parameter" }],
  ["functions are reported before function_call", { function_call: {}, functions: "x" }, { message: "Invalid type for 'functions': expected an array of function definitions, but got a string instead.", param: "functions", code: "invalid_type" }],
  ["a function_call object without a name", { functions: [{ name: "f", parameters: {} }], function_call: { arguments: "{}" } }, { message: "Missing required parameter: 'function_call.name'.", param: "function_call.name", code: "missing_required_parameter" }],
  ["a function_call naming an undeclared function", { functions: [{ name: "f" }], function_call: { name: "g" } }, { message: "Invalid value for 'function_call': no function named 'g' was specified in the 'functions' parameter.", param: "function_call", code: null }],
  // Response format.
  ["a string response_format", { response_format: "json" }, { message: "Invalid type for 'response_format': expected an object, but got a string instead.", param: "response_format", code: "invalid_type" }],
  ["a response_format without type", { response_format: {} }, { message: "Missing required parameter: 'response_format.type'.", param: "response_format.type", code: "missing_required_parameter" }],
  ["an unknown response_format type", { response_format: { type: "bogus" } }, { message: "Invalid value: 'bogus'. Supported values are: 'json_object', 'json_schema', and 'text'.", param: "response_format.type", code: "invalid_value" }],
  ["a json_schema format without json_schema", { response_format: { type: "json_schema" } }, { message: "Missing required parameter: 'response_format.json_schema'.", param: "response_format.json_schema", code: "missing_required_parameter" }],
  ["a json_schema without a name", { response_format: { type: "json_schema", json_schema: {} } }, { message: "Missing required parameter: 'response_format.json_schema.name'.", param: "response_format.json_schema.name", code: "missing_required_parameter" }],
  ["a json_schema name with spaces", { response_format: { type: "json_schema", json_schema: { name: "my schema", schema: {} } } }, { message: "Invalid 'response_format.json_schema.name': string does not match pattern. Expected a string that matches the pattern '^[a-zA-Z0-9_-]+$'.", param: "response_format.json_schema.name", code: "invalid_value" }],
];

describe("parseChatRequest rejects what OpenAI rejects, in OpenAI's words", () => {
  for (const [name, fragment, expected] of CHAT_REJECTIONS) {
    it(name, () => rejects(() => parseChatRequest(chatBody(fragment)), expected));
  }

  it("refuses a body that is not an object", () => {
    rejects(() => parseChatRequest([1, 2]), { message: "Invalid type for request body: expected an object, but got an array instead.", param: null, code: "invalid_type" });
  });
});

describe("parseChatRequest accepts the valid side of every bound", () => {
  const accepted: [string, Record<string, unknown>][] = [
    ["n of 1 and of 128", { n: 128 }],
    ["temperature 0", { temperature: 0 }],
    ["temperature 2", { temperature: 2 }],
    ["top_p 0 and 1", { top_p: 1 }],
    ["penalties at ±2", { presence_penalty: -2, frequency_penalty: 2 }],
    ["max_tokens of 1", { max_tokens: 1 }],
    ["four stop sequences", { stop: ["a", "b", "c", "d"] }],
    ["logit_bias at ±100", { logit_bias: { "1": 100, "2": -100 } }],
    ["nulls for optional parameters", { temperature: null, top_p: null, n: null, stop: null, stream_options: null, tools: null, user: null }],
    ["an empty string content", { messages: [u("")] }],
    ["an empty array content", { messages: [u([])] }],
    ["stream_options with stream", { stream: true, stream_options: { include_usage: true, include_obfuscation: false } }],
    ["parameters we accept and ignore", { store: false, metadata: { a: "b" }, service_tier: "auto", prompt_cache_retention: "24h", reasoning_effort: "low", verbosity: "low", logprobs: true, top_logprobs: 5, seed: 42 }],
    ["a complete tool exchange", { tools: [TOOL], messages: [u("a"), assistantCalls("c1", "c2"), { role: "tool", tool_call_id: "c2", content: "r2" }, { role: "tool", tool_call_id: "c1", content: "r1" }, u("b")] }],
    ["an assistant message carrying only a refusal", { messages: [u("a"), { role: "assistant", refusal: "no" }, u("b")] }],
    ["an image by https URL and by data URL", { messages: [u([{ type: "text", text: "look" }, { type: "image_url", image_url: { url: "https://example.com/cat.png", detail: "low" } }, { type: "image_url", image_url: { url: PNG_DATA_URL } }])] }],
    ["a tool_choice of none without tools", { tool_choice: "none" }],
  ];
  for (const [name, fragment] of accepted) {
    it(name, () => assert.doesNotThrow(() => parseChatRequest(chatBody(fragment))));
  }
});

describe("parseChatRequest normalizes for providers", () => {
  it("fills OpenAI's defaults and keeps the raw body", () => {
    const body = chatBody({});
    const parsed = parseChatRequest(body);
    assert.equal(parsed.model, "gpt-4o");
    assert.equal(parsed.stream, false);
    assert.equal(parsed.includeUsage, false);
    assert.deepEqual({ ...parsed.request, raw: undefined }, {
      messages: [{ role: "user", content: "ping" }],
      maxTokens: null,
      temperature: 1,
      topP: 1,
      n: 1,
      stop: [],
      presencePenalty: 0,
      frequencyPenalty: 0,
      seed: null,
      logitBias: null,
      tools: [],
      toolChoice: "none",
      parallelToolCalls: true,
      responseFormat: { type: "text" },
      user: null,
      raw: undefined,
    });
    assert.equal(parsed.request.raw, body);
  });

  it("defaults tool_choice to auto when tools are given, and reads every field", () => {
    const parsed = parseChatRequest(
      chatBody({
        tools: [TOOL],
        temperature: 0.2,
        top_p: 0.9,
        n: 2,
        stop: "END",
        presence_penalty: 0.5,
        frequency_penalty: -0.5,
        seed: 7,
        logit_bias: { "50256": -100 },
        max_tokens: 50,
        user: "u-1",
        parallel_tool_calls: false,
        response_format: { type: "json_schema", json_schema: { name: "answer", schema: { type: "object" }, strict: true } },
      }),
    );
    const r = parsed.request;
    assert.equal(r.toolChoice, "auto");
    assert.deepEqual(r.tools, [TOOL]);
    assert.deepEqual([r.temperature, r.topP, r.n, r.presencePenalty, r.frequencyPenalty, r.seed, r.maxTokens, r.user], [0.2, 0.9, 2, 0.5, -0.5, 7, 50, "u-1"]);
    assert.deepEqual(r.stop, ["END"]);
    assert.deepEqual(r.logitBias, { "50256": -100 });
    assert.equal(r.parallelToolCalls, false);
    assert.deepEqual(r.responseFormat, { type: "json_schema", json_schema: { name: "answer", schema: { type: "object" }, strict: true } });
  });

  it("prefers max_completion_tokens over max_tokens", () => {
    assert.equal(parseChatRequest(chatBody({ max_tokens: 10, max_completion_tokens: 20 })).request.maxTokens, 20);
  });

  it("asks for usage chunks only when streaming with include_usage", () => {
    assert.equal(parseChatRequest(chatBody({ stream: true })).includeUsage, false);
    const p = parseChatRequest(chatBody({ stream: true, stream_options: { include_usage: true } }));
    assert.equal(p.stream, true);
    assert.equal(p.includeUsage, true);
  });

  it("turns legacy functions and function_call into tools and tool_choice, and function messages into tool messages", () => {
    const parsed = parseChatRequest(
      chatBody({
        functions: [{ name: "get_weather", description: "Weather.", parameters: { type: "object", properties: { city: { type: "string" } } } }],
        function_call: { name: "get_weather" },
        messages: [
          u("Weather in Paris?"),
          { role: "assistant", content: null, function_call: { name: "get_weather", arguments: '{"city":"Paris"}' } },
          { role: "function", name: "get_weather", content: "18C" },
        ],
      }),
    );
    const r = parsed.request;
    assert.deepEqual(r.tools, [{ type: "function", function: { name: "get_weather", description: "Weather.", parameters: { type: "object", properties: { city: { type: "string" } } } } }]);
    assert.deepEqual(r.toolChoice, { type: "function", function: { name: "get_weather" } });
    assert.deepEqual(r.messages, [
      { role: "user", content: "Weather in Paris?" },
      { role: "assistant", content: null, tool_calls: [{ id: "call_fn_1", type: "function", function: { name: "get_weather", arguments: '{"city":"Paris"}' } }] },
      { role: "tool", content: "18C", tool_call_id: "call_fn_1" },
    ]);
    assert.equal(parseChatRequest(chatBody({ functions: [{ name: "f" }], function_call: "auto" })).request.toolChoice, "auto");
    assert.equal(parseChatRequest(chatBody({ functions: [{ name: "f" }], function_call: "none" })).request.toolChoice, "none");
  });

  it("keeps content parts, image details and assistant refusals", () => {
    const parsed = parseChatRequest(
      chatBody({
        messages: [
          { role: "developer", content: [{ type: "text", text: "be brief" }] },
          u([{ type: "text", text: "what is this?" }, { type: "image_url", image_url: { url: "https://example.com/a.png", detail: "high" } }, { type: "image_url", image_url: { url: PNG_DATA_URL } }]),
          { role: "assistant", content: [{ type: "refusal", refusal: "I can't." }] },
          u("ok"),
        ],
      }),
    );
    assert.deepEqual(parsed.request.messages, [
      { role: "developer", content: [{ type: "text", text: "be brief" }] },
      {
        role: "user",
        content: [
          { type: "text", text: "what is this?" },
          { type: "image_url", image_url: { url: "https://example.com/a.png", detail: "high" } },
          { type: "image_url", image_url: { url: PNG_DATA_URL } },
        ],
      },
      { role: "assistant", content: null, refusal: "I can't." },
      { role: "user", content: "ok" },
    ]);
  });
});

describe("parseJsonBody", () => {
  it("parses JSON", () => assert.deepEqual(parseJsonBody('{"a":[1,null]}'), { a: [1, null] }));
  for (const bad of ["{", "", "model=gpt-4o", "{'a':1}"]) {
    it(`answers OpenAI's message for ${JSON.stringify(bad)}`, () =>
      rejects(() => parseJsonBody(bad), {
        message:
          "We could not parse the JSON body of your request. (HINT: This likely means you aren't using your HTTP library correctly. The OpenAI API expects a JSON payload, but what was sent was not valid JSON. If you have trouble figuring out how to fix this, please contact us through our help center at help.openai.com.)",
        param: null,
        code: null,
      }));
  }
});

const INVALID_INPUT: Expected = { message: "'$.input' is invalid. Please check the API reference: https://platform.openai.com/docs/api-reference.", param: null, code: null };

describe("parseEmbeddingRequest", () => {
  const body = (fragment: Record<string, unknown>) => {
    const b: Record<string, unknown> = { model: "text-embedding-3-small", input: "hello", ...fragment };
    for (const [k, v] of Object.entries(b)) if (v === DELETE) delete b[k];
    return b;
  };
  const rows: [string, Record<string, unknown>, Expected][] = [
    ["no model", { model: DELETE }, { message: "you must provide a model parameter", param: null, code: null }],
    ["no input", { input: DELETE }, { message: "Missing required parameter: 'input'.", param: "input", code: "missing_required_parameter" }],
    ["an unknown parameter", { foo: 1 }, { message: "Unknown parameter: 'foo'.", param: "foo", code: "unknown_parameter" }],
    ["an empty string", { input: "" }, INVALID_INPUT],
    ["an empty array", { input: [] }, INVALID_INPUT],
    ["an empty string in a list", { input: ["a", ""] }, INVALID_INPUT],
    ["a negative token", { input: [1, -1] }, INVALID_INPUT],
    ["an empty token list", { input: [[1], []] }, INVALID_INPUT],
    ["mixed strings and tokens", { input: ["a", 1] }, INVALID_INPUT],
    ["an object input", { input: { text: "a" } }, INVALID_INPUT],
    ["2049 inputs", { input: Array.from({ length: 2049 }, () => "a") }, { message: "Invalid 'input': array too long. Expected an array with maximum length 2048, but got an array with length 2049 instead.", param: "input", code: "array_above_max_length" }],
    ["dimensions of 0", { dimensions: 0 }, { message: "Invalid 'dimensions': integer below minimum value. Expected a value >= 1, but got 0 instead.", param: "dimensions", code: "integer_below_min_value" }],
    ["string dimensions", { dimensions: "256" }, { message: "Invalid type for 'dimensions': expected an integer, but got a string instead.", param: "dimensions", code: "invalid_type" }],
    ["an unknown encoding_format", { encoding_format: "bogus" }, { message: "Invalid value: 'bogus'. Supported values are: 'float' and 'base64'.", param: "encoding_format", code: "invalid_value" }],
    ["a numeric user", { user: 7 }, { message: "Invalid type for 'user': expected a string, but got an integer instead.", param: "user", code: "invalid_type" }],
  ];
  for (const [name, fragment, expected] of rows) {
    it(`rejects ${name}`, () => rejects(() => parseEmbeddingRequest(body(fragment)), expected));
  }

  it("normalizes every input form to one entry per input", () => {
    assert.deepEqual(parseEmbeddingRequest(body({})).request.inputs, ["hello"]);
    assert.deepEqual(parseEmbeddingRequest(body({ input: ["a", "b"] })).request.inputs, ["a", "b"]);
    assert.deepEqual(parseEmbeddingRequest(body({ input: [1, 2, 3] })).request.inputs, [[1, 2, 3]]);
    assert.deepEqual(parseEmbeddingRequest(body({ input: [[1], [2, 3]] })).request.inputs, [[1], [2, 3]]);
    assert.equal(parseEmbeddingRequest(body({ input: Array.from({ length: 2048 }, () => "a") })).request.inputs.length, 2048);
  });

  it("reads dimensions and encoding_format with OpenAI's defaults", () => {
    const p = parseEmbeddingRequest(body({}));
    assert.equal(p.model, "text-embedding-3-small");
    assert.equal(p.encodingFormat, "float");
    assert.equal(p.request.dimensions, null);
    const q = parseEmbeddingRequest(body({ dimensions: 256, encoding_format: "base64", user: "u" }));
    assert.equal(q.encodingFormat, "base64");
    assert.equal(q.request.dimensions, 256);
    assert.equal(q.request.raw.user, "u");
  });
});

// ---- responses ----

const RESULT: ChatResult = {
  choices: [{ index: 0, message: { role: "assistant", content: "Hello!", refusal: null }, finishReason: "stop" }],
  usage: { promptTokens: 9, completionTokens: 3, cachedTokens: 2, reasoningTokens: 0 },
};

describe("response bodies", () => {
  it("ids look like OpenAI's", () => {
    const ids = new Set(Array.from({ length: 200 }, newChatCompletionId));
    assert.equal(ids.size, 200);
    for (const id of ids) assert.match(id, /^chatcmpl-[0-9A-Za-z]{29}$/);
    assert.match(newRequestId(), /^req_[0-9a-f]{32}$/);
    assert.notEqual(newRequestId(), newRequestId());
  });

  it("chat.completion has exactly OpenAI's fields", () => {
    const body = chatCompletionBody({ id: "chatcmpl-x", created: 1700000000, model: "gpt-4o", result: RESULT, systemFingerprint: "fp_1" });
    assert.deepEqual(body, {
      id: "chatcmpl-x",
      object: "chat.completion",
      created: 1700000000,
      model: "gpt-4o",
      choices: [{ index: 0, message: { role: "assistant", content: "Hello!", refusal: null, annotations: [] }, logprobs: null, finish_reason: "stop" }],
      usage: {
        prompt_tokens: 9,
        completion_tokens: 3,
        total_tokens: 12,
        prompt_tokens_details: { cached_tokens: 2, audio_tokens: 0 },
        completion_tokens_details: { reasoning_tokens: 0, audio_tokens: 0, accepted_prediction_tokens: 0, rejected_prediction_tokens: 0 },
      },
      service_tier: "default",
      system_fingerprint: "fp_1",
    });
    const typed: ChatCompletion = body;
    assert.equal(typed.choices[0].message.content, "Hello!");
  });

  it("includes tool_calls only when the model called tools, and prefers the provider's fingerprint", () => {
    const call = { id: "call_1", type: "function" as const, function: { name: "f", arguments: '{"a":1}' } };
    const body = chatCompletionBody({
      id: "chatcmpl-x",
      created: 1,
      model: "m",
      systemFingerprint: "fp_default",
      result: { ...RESULT, systemFingerprint: "fp_upstream", choices: [{ index: 0, message: { role: "assistant", content: null, tool_calls: [call], refusal: null }, finishReason: "tool_calls" }] },
    });
    assert.deepEqual(body.choices[0].message, { role: "assistant", content: null, tool_calls: [call], refusal: null, annotations: [] });
    assert.deepEqual(Object.keys(body.choices[0].message), ["role", "content", "tool_calls", "refusal", "annotations"]);
    assert.equal(body.choices[0].finish_reason, "tool_calls");
    assert.equal(body.system_fingerprint, "fp_upstream");
    const empty = chatCompletionBody({ id: "x", created: 1, model: "m", systemFingerprint: "fp", result: { ...RESULT, choices: [{ ...RESULT.choices[0], message: { ...RESULT.choices[0].message, tool_calls: [] } }] } });
    assert.equal("tool_calls" in empty.choices[0].message, false);
  });

  it("embeddings come as floats or as little-endian float32 base64", () => {
    const vectors = [[0.5, -1.25, 3], [1e-3, 0, -0]];
    const floats = embeddingsBody("text-embedding-3-small", vectors, "float", 5);
    assert.deepEqual(floats, {
      object: "list",
      data: [
        { object: "embedding", index: 0, embedding: [0.5, -1.25, 3] },
        { object: "embedding", index: 1, embedding: [1e-3, 0, -0] },
      ],
      model: "text-embedding-3-small",
      usage: { prompt_tokens: 5, total_tokens: 5 },
    });
    const typed: CreateEmbeddingResponse = floats as CreateEmbeddingResponse;
    assert.equal(typed.data.length, 2);
    const b64 = embeddingsBody("m", vectors, "base64", 5);
    assert.equal(b64.data[0].embedding, "AAAAPwAAoL8AAEBA"); // 0.5, -1.25, 3 as LE float32
    const bytes = Buffer.from(b64.data[1].embedding as string, "base64");
    assert.equal(bytes.length, 12);
    assert.ok(Math.abs(bytes.readFloatLE(0) - 1e-3) < 1e-9);
  });

  it("models and model lists", () => {
    const m = modelObject({ id: "local-llama", created: 1712361441, ownedBy: "gatehouse" });
    assert.deepEqual(m, { id: "local-llama", object: "model", created: 1712361441, owned_by: "gatehouse" });
    const typed: Model = m;
    assert.equal(typed.owned_by, "gatehouse");
    assert.deepEqual(modelListBody([m]), { object: "list", data: [m] });
  });
});

// ---- streaming ----

async function collect<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}

async function* from<T>(items: T[]): AsyncGenerator<T> {
  for (const x of items) yield x;
}

const USAGE: Usage = { promptTokens: 5, completionTokens: 2, cachedTokens: 0 };
const CHUNK_OPTS = { id: "chatcmpl-s", created: 1700000000, model: "gpt-4o", systemFingerprint: "fp_s", n: 1 };

describe("chatChunksFromEvents", () => {
  const head = { id: "chatcmpl-s", object: "chat.completion.chunk", created: 1700000000, model: "gpt-4o", service_tier: "default", system_fingerprint: "fp_s" };

  it("streams OpenAI's chunk sequence with include_usage", async () => {
    const seen: Usage[] = [];
    const events: ChatStreamEvent[] = [
      { type: "delta", index: 0, content: "Hel" },
      { type: "delta", index: 0, content: "lo" },
      { type: "finish", index: 0, finishReason: "stop" },
      { type: "usage", usage: USAGE },
    ];
    const chunks = await collect(chatChunksFromEvents(from(events), { ...CHUNK_OPTS, includeUsage: true, onUsage: (x) => seen.push(x) }));
    assert.deepEqual(chunks, [
      { ...head, choices: [{ index: 0, delta: { role: "assistant", content: "", refusal: null }, logprobs: null, finish_reason: null }], usage: null },
      { ...head, choices: [{ index: 0, delta: { content: "Hel" }, logprobs: null, finish_reason: null }], usage: null },
      { ...head, choices: [{ index: 0, delta: { content: "lo" }, logprobs: null, finish_reason: null }], usage: null },
      { ...head, choices: [{ index: 0, delta: {}, logprobs: null, finish_reason: "stop" }], usage: null },
      { ...head, choices: [], usage: usageBody(USAGE) },
    ]);
    assert.deepEqual(seen, [USAGE]);
    const typed: ChatCompletionChunk[] = chunks;
    assert.equal(typed.length, 5);
  });

  it("has no usage key at all without include_usage, but still reports usage to the caller", async () => {
    let reported: Usage | null = null;
    const chunks = await collect(
      chatChunksFromEvents(from<ChatStreamEvent>([{ type: "delta", index: 0, content: "x" }, { type: "finish", index: 0, finishReason: "length" }, { type: "usage", usage: USAGE }]), {
        ...CHUNK_OPTS,
        includeUsage: false,
        onUsage: (x) => (reported = x),
      }),
    );
    assert.equal(chunks.length, 3);
    for (const c of chunks) assert.equal("usage" in c, false);
    assert.equal(chunks[2].choices[0].finish_reason, "length");
    assert.deepEqual(reported, USAGE);
  });

  it("streams tool calls as OpenAI does: id, type and name first, then argument fragments", async () => {
    const chunks = await collect(
      chatChunksFromEvents(
        from<ChatStreamEvent>([
          { type: "delta", index: 0, toolCalls: [{ index: 0, id: "call_a", type: "function", function: { name: "get_weather", arguments: "" } }] },
          { type: "delta", index: 0, toolCalls: [{ index: 0, function: { arguments: '{"city":' } }] },
          { type: "delta", index: 0, toolCalls: [{ index: 0, function: { arguments: '"Paris"}' } }] },
          { type: "finish", index: 0, finishReason: "tool_calls" },
          { type: "usage", usage: USAGE },
        ]),
        { ...CHUNK_OPTS, includeUsage: false },
      ),
    );
    assert.deepEqual(
      chunks.map((c) => c.choices[0]?.delta),
      [
        { role: "assistant", content: "", refusal: null },
        { tool_calls: [{ index: 0, id: "call_a", type: "function", function: { name: "get_weather", arguments: "" } }] },
        { tool_calls: [{ index: 0, function: { arguments: '{"city":' } }] },
        { tool_calls: [{ index: 0, function: { arguments: '"Paris"}' } }] },
        {},
      ],
    );
    assert.equal(chunks[4].choices[0].finish_reason, "tool_calls");
  });

  it("gives every choice of n its own first chunk and finish", async () => {
    const chunks = await collect(
      chatChunksFromEvents(
        from<ChatStreamEvent>([
          { type: "delta", index: 0, content: "a" },
          { type: "delta", index: 1, content: "b" },
          { type: "finish", index: 1, finishReason: "stop" },
          { type: "finish", index: 0, finishReason: "length" },
          { type: "usage", usage: USAGE },
        ]),
        { ...CHUNK_OPTS, n: 2, includeUsage: true },
      ),
    );
    const shape = chunks.map((c) => (c.choices.length ? `${c.choices[0].index}:${JSON.stringify(c.choices[0].delta)}:${c.choices[0].finish_reason}` : "usage"));
    assert.deepEqual(shape, [
      '0:{"role":"assistant","content":"","refusal":null}:null',
      '0:{"content":"a"}:null',
      '1:{"role":"assistant","content":"","refusal":null}:null',
      '1:{"content":"b"}:null',
      "1:{}:stop",
      "0:{}:length",
      "usage",
    ]);
  });

  it("sends nothing before the provider's first event, so an early failure is still a plain error", async () => {
    async function* failing(): AsyncGenerator<ChatStreamEvent> {
      throw invalidRequest("too long", "messages", "context_length_exceeded");
    }
    const it = chatChunksFromEvents(failing(), { ...CHUNK_OPTS, includeUsage: true })[Symbol.asyncIterator]();
    await assert.rejects(it.next(), (e: unknown) => e instanceof OpenAIError && e.code === "context_length_exceeded");
  });
});

async function readAll(events: AsyncIterable<string>): Promise<string> {
  let text = "";
  for await (const event of events) text += event;
  return text;
}

describe("sseBody", () => {
  it("frames events and ends with [DONE]", async () => {
    assert.equal(sseEvent({ a: 1 }), 'data: {"a":1}\n\n');
    assert.equal(SSE_DONE, "data: [DONE]\n\n");
    let closes = 0;
    const text = await readAll(sseBody(from([{ a: 1 }, { b: "é" }]), { onClose: () => closes++ }));
    assert.equal(text, 'data: {"a":1}\n\ndata: {"b":"é"}\n\ndata: [DONE]\n\n');
    assert.equal(closes, 1);
  });

  it("writes an error event and ends without [DONE] when the producer fails mid-stream", async () => {
    async function* failing() {
      yield { a: 1 };
      throw new OpenAIError(500, "The model crashed.", "server_error", null, null);
    }
    let closes = 0;
    const text = await readAll(sseBody(failing(), { onClose: () => closes++ }));
    assert.equal(text, 'data: {"a":1}\n\ndata: {"error":{"message":"The model crashed.","type":"server_error","param":null,"code":null}}\n\n');
    assert.equal(closes, 1);
  });

  it("maps other errors through onError, or to a generic server error", async () => {
    async function* failing(): AsyncGenerator<object> {
      throw new Error("secret internals");
    }
    const mapped = await readAll(sseBody(failing(), { onError: () => new OpenAIError(502, "Upstream failed.", "server_error") }));
    assert.equal(mapped, 'data: {"error":{"message":"Upstream failed.","type":"server_error","param":null,"code":null}}\n\n');
    const generic = await readAll(sseBody(failing()));
    assert.ok(!generic.includes("secret internals"));
    assert.match(generic, /"type":"server_error"/);
  });

  it("stops the producer when the client goes away", async () => {
    let finalized = false;
    async function* endless() {
      try {
        for (let i = 0; ; i++) yield { i };
      } finally {
        finalized = true;
      }
    }
    let cancelled = 0;
    let closes = 0;
    const events = sseBody(endless(), { onCancel: () => cancelled++, onClose: () => closes++ });
    await events.next();
    await events.return();
    assert.equal(finalized, true);
    assert.equal(cancelled, 1);
    assert.equal(closes, 1);
  });
});

// ---- the official SDK against these bodies ----

describe("the openai SDK reads our wire format unmodified", () => {
  let server: http.Server;
  let client: OpenAI;

  before(async () => {
    server = http.createServer(async (req, res) => {
      let raw = "";
      for await (const chunk of req) raw += chunk;
      try {
        const body = parseJsonBody(raw);
        if (req.url === "/v1/embeddings") {
          const parsed = parseEmbeddingRequest(body);
          const vectors = parsed.request.inputs.map((_, i) => [i + 0.5, -0.25, 1]);
          res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(embeddingsBody(parsed.model, vectors, parsed.encodingFormat, 3)));
          return;
        }
        const parsed = parseChatRequest(body);
        const fail = parsed.request.messages.some((m) => m.content === "fail mid-stream");
        if (!parsed.stream) {
          res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(chatCompletionBody({ id: "chatcmpl-sdk", created: 1, model: parsed.model, result: RESULT, systemFingerprint: "fp" })));
          return;
        }
        async function* events(): AsyncGenerator<ChatStreamEvent> {
          yield { type: "delta", index: 0, content: "Hi" };
          if (fail) throw new OpenAIError(500, "The model failed while streaming.", "server_error");
          yield { type: "delta", index: 0, content: " there" };
          yield { type: "finish", index: 0, finishReason: "stop" };
          yield { type: "usage", usage: USAGE };
        }
        const chunks = chatChunksFromEvents(events(), { id: "chatcmpl-sdk", created: 1, model: parsed.model, systemFingerprint: "fp", includeUsage: parsed.includeUsage, n: 1 });
        res.writeHead(200, { "content-type": "text/event-stream" });
        Readable.from(sseBody(chunks)).pipe(res);
      } catch (e) {
        const error = e instanceof OpenAIError ? e : new OpenAIError(500, "internal", "server_error");
        res.writeHead(error.status, { "content-type": "application/json" }).end(JSON.stringify(error.body()));
      }
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as AddressInfo;
    client = new OpenAI({ baseURL: `http://127.0.0.1:${port}/v1`, apiKey: "sk-test", maxRetries: 0 });
  });

  after(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it("creates a chat completion", async () => {
    const completion = await client.chat.completions.create({ model: "gpt-4o", messages: [{ role: "user", content: "hi" }] });
    assert.equal(completion.choices[0].message.content, "Hello!");
    assert.equal(completion.usage?.total_tokens, 12);
  });

  it("streams a chat completion with usage", async () => {
    const stream = await client.chat.completions.create({ model: "gpt-4o", messages: [{ role: "user", content: "hi" }], stream: true, stream_options: { include_usage: true } });
    let text = "";
    let usage: ChatCompletionChunk["usage"] = null;
    let finish: string | null = null;
    for await (const chunk of stream) {
      text += chunk.choices[0]?.delta.content ?? "";
      finish = chunk.choices[0]?.finish_reason ?? finish;
      if (chunk.usage) usage = chunk.usage;
    }
    assert.equal(text, "Hi there");
    assert.equal(finish, "stop");
    assert.equal(usage?.prompt_tokens, 5);
  });

  it("raises our validation errors as BadRequestError with param and code", async () => {
    await assert.rejects(client.chat.completions.create({ model: "gpt-4o", messages: [{ role: "user", content: "hi" }], temperature: 3 }), (e: unknown) => {
      assert.ok(e instanceof OpenAI.BadRequestError);
      assert.equal(e.status, 400);
      assert.equal(e.param, "temperature");
      assert.equal(e.code, "decimal_above_max_value");
      assert.match(e.message, /decimal above maximum value/);
      return true;
    });
  });

  it("raises a mid-stream error as an APIError", async () => {
    const stream = await client.chat.completions.create({ model: "gpt-4o", messages: [{ role: "user", content: "fail mid-stream" }], stream: true });
    const texts: string[] = [];
    await assert.rejects(
      (async () => {
        for await (const chunk of stream) texts.push(chunk.choices[0]?.delta.content ?? "");
      })(),
      (e: unknown) => e instanceof OpenAI.APIError && /failed while streaming/.test(e.message),
    );
    assert.ok(texts.includes("Hi"));
  });

  it("decodes base64 embeddings (the SDK's default encoding)", async () => {
    const res = await client.embeddings.create({ model: "text-embedding-3-small", input: ["a", "b"] });
    assert.deepEqual(res.data.map((d) => d.embedding), [[0.5, -0.25, 1], [1.5, -0.25, 1]]);
    const floats = await client.embeddings.create({ model: "text-embedding-3-small", input: "a", encoding_format: "float" });
    assert.deepEqual(floats.data[0].embedding, [0.5, -0.25, 1]);
  });
});
