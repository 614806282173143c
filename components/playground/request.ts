import type { PlaygroundModel } from "@/lib/playground/models";
import { checkFunctionParameters, checkName, checkResponseSchema } from "./schema-check";
import type {
  ConversationItem,
  FunctionConfig,
  PlaygroundConfig,
  PlaygroundMessage,
  PlaygroundParameters,
  ResponseFormatConfig,
  ToolChoiceConfig,
} from "./types";

// Turns the playground's state into the Chat Completions request it sends, and says why it
// cannot be sent when it cannot. The same body feeds the "View code" dialog, so what a user
// copies is exactly what the page ran.

export const chatUrl = (projectId: string) => `/api/projects/${encodeURIComponent(projectId)}/playground/chat/completions`;

/** What one request is built from (the shared part of a config plus one model's settings). */
export type RequestSpec = {
  model: string;
  system: string;
  messages: PlaygroundMessage[];
  parameters: PlaygroundParameters;
  responseFormat: ResponseFormatConfig;
  tools: FunctionConfig[];
  toolChoice: ToolChoiceConfig;
  parallelToolCalls: boolean;
};

type ApiMessage = Record<string, unknown>;

/** A user message with images becomes text + image_url content parts. */
export function toApiMessage(m: PlaygroundMessage): ApiMessage {
  if (m.role === "user") {
    const images = m.images ?? [];
    if (images.length === 0) return { role: "user", content: m.content };
    const parts: unknown[] = [];
    if (m.content) parts.push({ type: "text", text: m.content });
    for (const url of images) parts.push({ type: "image_url", image_url: { url } });
    return { role: "user", content: parts };
  }
  if (m.role === "assistant") {
    const calls = m.tool_calls ?? [];
    if (calls.length === 0) return { role: "assistant", content: m.content ?? "" };
    return {
      role: "assistant",
      content: m.content ? m.content : null,
      tool_calls: calls.map((c) => ({ id: c.id, type: "function", function: { name: c.function.name, arguments: c.function.arguments } })),
    };
  }
  return { role: "tool", tool_call_id: m.tool_call_id, content: m.content };
}

/**
 * The messages a conversation sends: failed runs and runs stopped before any output are
 * shown on screen but were never answers, so they are left out.
 */
export function sendableMessages(items: ConversationItem[]): PlaygroundMessage[] {
  return items
    .filter((it) => {
      if (it.message.role !== "assistant" || !it.run) return true;
      const empty = !it.message.content && !(it.message.tool_calls?.length);
      return !(empty && (it.run.status === "error" || it.run.status === "stopped" || it.run.status === "streaming"));
    })
    .map((it) => it.message);
}

export function buildFunctionTools(tools: FunctionConfig[]): { ok: true; value: unknown[] } | { ok: false; error: string } {
  const out: unknown[] = [];
  const seen = new Set<string>();
  for (const t of tools) {
    const label = t.name ? `Function "${t.name}"` : "A function";
    const nameError = checkName(t.name, `${label}: the name`);
    if (nameError) return { ok: false, error: nameError };
    if (seen.has(t.name)) return { ok: false, error: `Two functions are named "${t.name}".` };
    seen.add(t.name);
    const params = checkFunctionParameters(t.parameters);
    if (!params.ok) return { ok: false, error: `${label}: ${params.error}` };
    const fn: Record<string, unknown> = { name: t.name };
    if (t.description) fn.description = t.description;
    if (params.value) fn.parameters = params.value;
    if (t.strict) fn.strict = true;
    out.push({ type: "function", function: fn });
  }
  return { ok: true, value: out };
}

export type BuiltRequest = { ok: true; body: Record<string, unknown> } | { ok: false; error: string };

/**
 * The request body, in the order OpenAI documents its parameters. Defaults are left out
 * (temperature and top_p are always shown, as the playground's sliders are).
 */
export function buildRequestBody(spec: RequestSpec, opts: { stream: boolean }): BuiltRequest {
  if (!spec.model) return { ok: false, error: "Choose a model." };
  const messages: ApiMessage[] = [];
  if (spec.system.trim()) messages.push({ role: "system", content: spec.system });
  for (const m of spec.messages) messages.push(toApiMessage(m));
  if (messages.length === 0) return { ok: false, error: "Enter a message to start." };

  const p = spec.parameters;
  const body: Record<string, unknown> = { model: spec.model, messages };
  if (spec.responseFormat.type === "json_object") body.response_format = { type: "json_object" };
  if (spec.responseFormat.type === "json_schema") {
    const check = checkResponseSchema(spec.responseFormat.jsonSchema);
    if (!check.ok) return { ok: false, error: `Response format: ${check.error}` };
    body.response_format = { type: "json_schema", json_schema: check.value };
  }
  body.temperature = p.temperature;
  if (p.maxCompletionTokens !== null) body.max_completion_tokens = p.maxCompletionTokens;
  body.top_p = p.topP;
  if (p.frequencyPenalty !== 0) body.frequency_penalty = p.frequencyPenalty;
  if (p.presencePenalty !== 0) body.presence_penalty = p.presencePenalty;
  if (p.seed !== null) body.seed = p.seed;
  if (p.stop.length) body.stop = p.stop;
  if (spec.tools.length) {
    const tools = buildFunctionTools(spec.tools);
    if (!tools.ok) return tools;
    body.tools = tools.value;
    const choice = spec.toolChoice;
    if (typeof choice === "object") {
      if (!spec.tools.some((t) => t.name === choice.function)) {
        return { ok: false, error: `Tool choice names "${choice.function}", which is not one of the functions.` };
      }
      body.tool_choice = { type: "function", function: { name: choice.function } };
    } else if (choice !== "auto") {
      body.tool_choice = choice;
    }
    if (!spec.parallelToolCalls) body.parallel_tool_calls = false;
  }
  if (opts.stream) {
    body.stream = true;
    body.stream_options = { include_usage: true };
  } else {
    body.stream = false;
  }
  return { ok: true, body };
}

/** Why the conversation cannot run as it is (besides the body not building), or null. */
export function conversationProblem(messages: PlaygroundMessage[], model: PlaygroundModel | undefined): string | null {
  if (model && !model.capabilities.includes("vision") && messages.some((m) => m.role === "user" && m.images?.length)) {
    return `${model.id} does not accept images. Remove them or choose a vision model.`;
  }
  // An assistant's tool calls must each be answered by a tool message before anything else.
  for (let i = 0; i < messages.length; i++) {
    const m = messages[i];
    if (m.role !== "assistant" || !m.tool_calls?.length) continue;
    const answered = new Set<string>();
    for (let j = i + 1; j < messages.length && messages[j].role === "tool"; j++) {
      answered.add((messages[j] as Extract<PlaygroundMessage, { role: "tool" }>).tool_call_id);
    }
    if (m.tool_calls.some((c) => !answered.has(c.id))) return "Submit the outputs of the tool calls first.";
  }
  return null;
}

/** Cost of a run in integer nano-dollars, from prices in dollars per 1M tokens (= micro-dollars per token). */
export function costNanos(model: PlaygroundModel | undefined, promptTokens: number | null, completionTokens: number | null): number | null {
  if (!model || promptTokens === null) return null;
  const inNanos = model.inputPricePerMTok === null ? null : Math.round(model.inputPricePerMTok * 1000);
  const outNanos = model.outputPricePerMTok === null ? null : Math.round(model.outputPricePerMTok * 1000);
  if (inNanos === null) return null;
  const completion = completionTokens ?? 0;
  if (completion > 0 && outNanos === null) return null;
  return promptTokens * inNanos + completion * (outNanos ?? 0);
}

export function configToSpec(c: PlaygroundConfig): RequestSpec {
  return {
    model: c.model,
    system: c.system,
    messages: c.messages,
    parameters: c.parameters,
    responseFormat: c.responseFormat,
    tools: c.tools,
    toolChoice: c.toolChoice,
    parallelToolCalls: c.parallelToolCalls,
  };
}
