import "server-only";
import { LlamaText, SpecialToken, SpecialTokensText, type ChatHistoryItem, type Token } from "node-llama-cpp";
import { invalidRequest } from "@/lib/openai/errors";
import type { ChatMessage, ChatRequest, ContentPart, FunctionTool, ToolCall } from "@/lib/providers/types";
import type { LoadedModel } from "./model-pool";

// Renders an OpenAI chat request into the model's own chat template and tokenizes it. Tool
// definitions, earlier tool calls and tool results become plain text in the conversation, in
// the same JSON envelope the model is constrained to when it calls tools (see tool-calls.ts),
// so a model sees one consistent convention. Kept terse: small models have small contexts.

/** What the model writes to call tools; also how earlier calls are shown to it. */
export const TOOL_ENVELOPE_KEY = "tool_calls";

export type RenderedPrompt = {
  tokens: Token[];
  /** Texts that end the turn in this template (e.g. "### Human"), matched on generated text. */
  stopTexts: string[];
  /** Special tokens that end the turn but are not end-of-generation tokens for llama.cpp. */
  stopTokens: Token[];
};

export function renderPrompt(loaded: LoadedModel, request: ChatRequest): RenderedPrompt {
  const history = toChatHistory(request);
  const state = loaded.chatWrapper.generateContextState({ chatHistory: history });
  const tokens = state.contextText.tokenize(loaded.model.tokenizer);
  const stopTexts: string[] = [];
  const stopTokens: Token[] = [];
  for (const trigger of state.stopGenerationTriggers) {
    const values = trigger.values;
    if (values.every((v) => typeof v === "string")) {
      const text = values.join("");
      if (text) stopTexts.push(text);
    } else if (values.length === 1 && (values[0] instanceof SpecialToken || values[0] instanceof SpecialTokensText)) {
      const toks = LlamaText(values[0]).tokenize(loaded.model.tokenizer);
      if (toks.length === 1 && loaded.model.isSpecialToken(toks[0])) {
        // End-of-generation tokens already end llama.cpp's generation on their own.
        if (!loaded.model.isEogToken(toks[0])) stopTokens.push(toks[0]);
      } else if (values[0] instanceof SpecialTokensText && values[0].value) {
        // Not a single special token in this vocabulary: the model can only write it as text.
        stopTexts.push(values[0].value);
      }
    }
  }
  return { tokens, stopTexts: [...new Set(stopTexts)], stopTokens };
}

export function toChatHistory(request: ChatRequest): ChatHistoryItem[] {
  const history: ChatHistoryItem[] = [];
  const messages = request.messages;
  let i = 0;

  // Leading system/developer messages and our own instructions form one system turn: several
  // templates only support a single system message at the start.
  const system: string[] = [];
  for (let m = messages[i]; m && (m.role === "system" || m.role === "developer"); m = messages[++i]) system.push(textOf(m.content));
  const instructions = instructionsFor(request);
  if (instructions) system.push(instructions);
  if (system.length > 0) history.push({ type: "system", text: system.join("\n\n") });

  const toolNames = new Map<string, string>();
  for (; i < messages.length; i++) {
    const m = messages[i];
    switch (m.role) {
      case "system":
      case "developer":
        history.push({ type: "system", text: textOf(m.content) });
        break;
      case "user":
        history.push({ type: "user", text: textOf(m.content) });
        break;
      case "assistant": {
        const parts: string[] = [];
        const text = m.content === null ? "" : textOf(m.content);
        if (text) parts.push(text);
        if (m.tool_calls?.length) {
          for (const call of m.tool_calls) toolNames.set(call.id, call.function.name);
          parts.push(envelopeText(m.tool_calls));
        }
        history.push({ type: "model", response: [parts.join("\n")] });
        break;
      }
      case "tool": {
        // Consecutive tool results (parallel calls) go back to the model as one turn.
        const results: ChatMessage[] = [];
        while (i < messages.length && messages[i].role === "tool") results.push(messages[i++]);
        i--;
        history.push({ type: "user", text: toolResultsText(results, toolNames) });
        break;
      }
    }
  }
  history.push({ type: "model", response: [] });
  return history;
}

function instructionsFor(request: ChatRequest): string {
  const lines: string[] = [];
  const callable = callableTools(request);
  if (callable.length > 0) {
    lines.push("Functions you can call:");
    for (const t of callable) {
      const f = t.function;
      lines.push(`- ${f.name}(${signature(f.parameters)})${f.description ? `: ${f.description}` : ""}`);
    }
    lines.push(`To call functions, reply with only {"${TOOL_ENVELOPE_KEY}":[{"name":...,"arguments":{...}}]}`);
  }
  const format = request.responseFormat;
  if (format.type === "json_object") lines.push("Reply with a JSON object.");
  if (format.type === "json_schema") {
    const schema = format.json_schema.schema;
    lines.push(schema ? `Reply with JSON of type ${typeText(schema, 0)}` : "Reply with a JSON object.");
  }
  return lines.join("\n");
}

/** Tools the model may call in this request: all of them, only the named one, or none. */
export function callableTools(request: ChatRequest): FunctionTool[] {
  const choice = request.toolChoice;
  if (request.tools.length === 0 || choice === "none") return [];
  if (typeof choice === "object") {
    const named = request.tools.filter((t) => t.function.name === choice.function.name);
    if (named.length === 0) {
      throw invalidRequest(`Invalid value for 'tool_choice': no function named '${choice.function.name}' is in 'tools'.`, "tool_choice");
    }
    return named;
  }
  return request.tools;
}

function envelopeText(calls: ToolCall[]): string {
  return JSON.stringify({
    [TOOL_ENVELOPE_KEY]: calls.map((c) => ({ name: c.function.name, arguments: parseOrKeep(c.function.arguments) })),
  });
}

function toolResultsText(results: ChatMessage[], toolNames: Map<string, string>): string {
  const names = results.map((r) => (r.role === "tool" ? (toolNames.get(r.tool_call_id) ?? "function") : "function"));
  return results
    .map((r, k) => {
      const name = names[k];
      // Ids cost tokens; they only help when the same function answered more than once.
      const id = r.role === "tool" && names.filter((n) => n === name).length > 1 ? ` (${r.tool_call_id})` : "";
      return `Result of ${name}${id}: ${textOf(r.content ?? "")}`;
    })
    .join("\n");
}

function parseOrKeep(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function textOf(content: string | ContentPart[]): string {
  if (typeof content === "string") return content;
  const texts: string[] = [];
  for (const part of content) {
    if (part.type === "text") texts.push(part.text);
    else throw invalidRequest("This model does not support image inputs.", "messages", "unsupported_content");
  }
  return texts.join("\n");
}

// ---- schemas as text ----
// TypeScript-like types ({city: string, unit?: "c" | "f"}) say what a JSON schema says in a
// fraction of the tokens, and models read them well. The grammar enforces the schema anyway.

const MAX_TYPE_DEPTH = 4;

function signature(parameters: Record<string, unknown> | undefined): string {
  if (!parameters || !isRecord(parameters.properties)) return "";
  return propertiesText(parameters, 0);
}

function propertiesText(schema: Record<string, unknown>, depth: number): string {
  const properties = isRecord(schema.properties) ? schema.properties : {};
  const required = new Set(Array.isArray(schema.required) ? schema.required : []);
  return Object.entries(properties)
    .map(([name, sub]) => {
      const description = isRecord(sub) && typeof sub.description === "string" ? ` /* ${sub.description} */` : "";
      return `${name}${required.has(name) ? "" : "?"}: ${typeText(sub, depth + 1)}${description}`;
    })
    .join(", ");
}

export function typeText(schema: unknown, depth: number): string {
  if (!isRecord(schema) || depth > MAX_TYPE_DEPTH) return "any";
  if (typeof schema.$ref === "string") return schema.$ref.split("/").pop() || "any";
  if ("const" in schema) return JSON.stringify(schema.const);
  if (Array.isArray(schema.enum)) return schema.enum.map((v) => JSON.stringify(v)).join(" | ");
  const alternatives = schema.anyOf ?? schema.oneOf;
  if (Array.isArray(alternatives)) return alternatives.map((s) => typeText(s, depth + 1)).join(" | ");
  if (Array.isArray(schema.allOf) && schema.allOf.length === 1) return typeText(schema.allOf[0], depth);
  const type = schema.type ?? (isRecord(schema.properties) ? "object" : schema.items ? "array" : undefined);
  if (Array.isArray(type)) return type.map((t) => typeText({ ...schema, type: t }, depth)).join(" | ");
  switch (type) {
    case "object":
      return isRecord(schema.properties) ? `{${propertiesText(schema, depth)}}` : "object";
    case "array": {
      const item = typeText(schema.items, depth + 1);
      return item.includes(" ") ? `(${item})[]` : `${item}[]`;
    }
    case "string":
      return typeof schema.format === "string" ? `string (${schema.format})` : "string";
    case "number":
    case "integer":
    case "boolean":
    case "null":
      return type as string;
    default:
      return "any";
  }
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}
