import { imageTokens, MAX_IMAGE_TOKENS } from "@/lib/openai/images";
import type { ChatChoice, ChatMessage, ContentPart, FunctionTool } from "@/lib/providers/types";

// Token counts as OpenAI bills them, with OpenAI's own tokenizers (gpt-tokenizer's o200k_base
// and cl100k_base). Each encoding is loaded on first use only: o200k_base alone costs ~150 ms
// and ~35 MB, which a deployment serving only local models should never pay.

export type EncodingName = "o200k_base" | "cl100k_base";

/** The encoding OpenAI uses for a model; unknown models (local GGUFs, other vendors) get o200k_base. */
export function encodingForModel(model: string): EncodingName {
  // Fine-tuned ids ("ft:gpt-4o-mini:org::id") use their base model's encoding.
  const m = model.toLowerCase().replace(/^ft:/, "");
  if (/^(gpt-4o|chatgpt-4o|gpt-4\.1|gpt-4\.5|o1|o3|o4|gpt-5)/.test(m)) return "o200k_base";
  if (/^(gpt-4|gpt-3\.5|text-embedding-)/.test(m)) return "cl100k_base";
  return "o200k_base";
}

export type Tokenizer = { encoding: EncodingName; count(text: string): number; encode(text: string): number[] };

type EncodingModule = { encode(text: string, options?: object): number[]; countTokens(text: string, options?: object): number };

// Text a user sends may contain "<|endoftext|>" and the like: OpenAI counts those as plain text,
// so no special token is allowed and none is refused.
const PLAIN_TEXT = { disallowedSpecial: new Set<string>() };

const loaders: Record<EncodingName, () => Promise<EncodingModule>> = {
  o200k_base: () => import("gpt-tokenizer/encoding/o200k_base"),
  cl100k_base: () => import("gpt-tokenizer/encoding/cl100k_base"),
};
const tokenizers = new Map<EncodingName, Promise<Tokenizer>>();

/** The tokenizer for a model, loading its encoding once per process. */
export function tokenizerFor(model: string): Promise<Tokenizer> {
  const encoding = encodingForModel(model);
  let t = tokenizers.get(encoding);
  if (!t) {
    t = loaders[encoding]().then((mod) => ({
      encoding,
      count: (text: string) => (text ? mod.countTokens(text, PLAIN_TEXT) : 0),
      encode: (text: string) => mod.encode(text, PLAIN_TEXT),
    }));
    // A failed load must not poison the cache for the life of the process.
    t.catch(() => tokenizers.delete(encoding));
    tokenizers.set(encoding, t);
  }
  return t;
}

export async function countTextTokens(model: string, text: string): Promise<number> {
  return (await tokenizerFor(model)).count(text);
}

// OpenAI's chat formula (cookbook "How to count tokens with tiktoken", exact for gpt-3.5-turbo,
// gpt-4 and gpt-4o on plain messages): every message costs 3 tokens plus its role and content,
// a name costs 1 more plus its text, and 3 tokens prime the reply.
const TOKENS_PER_MESSAGE = 3;
const TOKENS_PER_NAME = 1;
const REPLY_PRIMING = 3;
/** Not published by OpenAI: our estimate of the framing around each tool call in a prompt. */
const TOKENS_PER_TOOL_CALL = 3;

export type PromptCountOptions = {
  /**
   * Known sizes of image_url parts (e.g. from loadImage). An image with detail "high"/"auto"
   * and no known size is counted at the most one image can cost, so admission never under-reserves.
   */
  imageSize?: (url: string) => { width: number; height: number } | undefined;
};

function partTokens(tok: Tokenizer, part: ContentPart, options: PromptCountOptions): number {
  if (part.type === "text") return tok.count(part.text);
  const detail = part.image_url.detail ?? "auto";
  if (detail === "low") return imageTokens(0, 0, "low");
  const size = options.imageSize?.(part.image_url.url);
  return size ? imageTokens(size.width, size.height, detail) : MAX_IMAGE_TOKENS;
}

function contentTokens(tok: Tokenizer, content: string | ContentPart[] | null, options: PromptCountOptions): number {
  if (content === null) return 0;
  if (typeof content === "string") return tok.count(content);
  return content.reduce((n, part) => n + partTokens(tok, part, options), 0);
}

// Tool definitions: the cookbook's function-calling estimate ("Counting tokens for chat
// completions with tool calls"), which matched the API exactly on its examples (101 tokens on
// gpt-4o, 105 on gpt-4). Only the top level of each parameter schema is counted; nested objects,
// `required` and response_format schemas are not, so counts for such tools are estimates.
const TOOL_CONSTANTS: Record<EncodingName, { funcInit: number; propInit: number; propKey: number; enumInit: number; enumItem: number; funcEnd: number }> = {
  o200k_base: { funcInit: 7, propInit: 3, propKey: 3, enumInit: -3, enumItem: 3, funcEnd: 12 },
  cl100k_base: { funcInit: 10, propInit: 3, propKey: 3, enumInit: -3, enumItem: 3, funcEnd: 12 },
};

const withoutFinalPeriod = (s: string) => (s.endsWith(".") ? s.slice(0, -1) : s);

function toolTokens(tok: Tokenizer, tools: FunctionTool[]): number {
  if (tools.length === 0) return 0;
  const c = TOOL_CONSTANTS[tok.encoding];
  let n = 0;
  for (const tool of tools) {
    const fn = tool.function;
    n += c.funcInit;
    n += tok.count(`${fn.name}:${withoutFinalPeriod(fn.description ?? "")}`);
    const properties = fn.parameters?.properties;
    if (properties && typeof properties === "object" && Object.keys(properties).length > 0) {
      n += c.propInit;
      for (const [key, raw] of Object.entries(properties as Record<string, unknown>)) {
        const prop = (raw && typeof raw === "object" ? raw : {}) as { type?: unknown; description?: unknown; enum?: unknown };
        n += c.propKey;
        if (Array.isArray(prop.enum)) {
          n += c.enumInit;
          for (const item of prop.enum) n += c.enumItem + tok.count(String(item));
        }
        const type = Array.isArray(prop.type) ? prop.type.join(",") : String(prop.type ?? "");
        const description = withoutFinalPeriod(typeof prop.description === "string" ? prop.description : "");
        n += tok.count(`${key}:${type}:${description}`);
      }
    }
  }
  return n + c.funcEnd;
}

/**
 * Prompt tokens of a chat request: OpenAI's per-message formula over text parts, OpenAI's image
 * rule for image parts, and the cookbook estimate for tool definitions. Tool calls inside
 * assistant messages count their name and arguments plus a small framing estimate; tool
 * results count their content (the tool_call_id is not part of the prompt text).
 */
export async function countChatPromptTokens(model: string, messages: ChatMessage[], tools: FunctionTool[] = [], options: PromptCountOptions = {}): Promise<number> {
  const tok = await tokenizerFor(model);
  let n = REPLY_PRIMING;
  for (const m of messages) {
    n += TOKENS_PER_MESSAGE + tok.count(m.role) + contentTokens(tok, m.content, options);
    if ("name" in m && m.name) n += tok.count(m.name) + TOKENS_PER_NAME;
    if (m.role === "assistant") {
      if (m.refusal) n += tok.count(m.refusal);
      for (const call of m.tool_calls ?? []) n += TOKENS_PER_TOOL_CALL + tok.count(call.function.name) + tok.count(call.function.arguments);
    }
  }
  return n + toolTokens(tok, tools);
}

/** Completion tokens of a result: each choice's text plus its tool calls' names and arguments. */
export async function countCompletionTokens(model: string, choices: ChatChoice[]): Promise<number> {
  const tok = await tokenizerFor(model);
  let n = 0;
  for (const choice of choices) {
    n += tok.count(choice.message.content ?? "");
    for (const call of choice.message.tool_calls ?? []) n += tok.count(call.function.name) + tok.count(call.function.arguments);
  }
  return n;
}
