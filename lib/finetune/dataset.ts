import "server-only";
import readline from "node:readline";
import type { Readable } from "node:stream";
import { OpenAIError } from "@/lib/openai/errors";
import { parseChatRequest } from "@/lib/openai/schemas";
import type { ChatMessage, ChatRequest } from "@/lib/providers/types";

// Training files: JSONL, one conversation per line, in OpenAI's chat fine-tuning format:
//   {"messages": [{"role": "system"|"developer"|"user"|"assistant"|"tool", "content": …,
//                  "weight": 0|1 (assistant only)}, …], "tools": [...], "parallel_tool_calls": …}
// Each line is checked like a chat request (same messages and tools rules as the API), plus
// what training needs: at least one assistant message to learn from. Problems are reported by
// line number, as OpenAI's data checks do.

export type DatasetProblem = { line: number; message: string };

export type ParsedExample = {
  line: number;
  /** The conversation as a chat request (tools included), as the local provider renders it. */
  request: ChatRequest;
  /** Per message: whether it is an assistant message the model learns (weight 1). */
  learn: boolean[];
};

/** Problems reported in full; past this the report says how many more there were. */
export const MAX_REPORTED_PROBLEMS = 50;
/** A line longer than this is refused without parsing (no example needs it). */
const MAX_LINE_CHARS = 4 * 1024 * 1024;

const LEGACY_KEYS = ["prompt", "completion"];
const LINE_KEYS = new Set(["messages", "tools", "functions", "parallel_tool_calls"]);

/** One JSONL line: an example, or the reason it cannot be one. */
export function parseExampleLine(text: string, line: number): { example: ParsedExample } | { problem: DatasetProblem } {
  const problem = (message: string) => ({ problem: { line, message } });
  if (text.length > MAX_LINE_CHARS) return problem(`the line is longer than ${MAX_LINE_CHARS / 1024 / 1024} MB.`);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    return problem(`invalid JSON (${(err as Error).message.replace(/^JSON\.parse: /, "").slice(0, 120)}).`);
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) return problem("each line must be a JSON object with a 'messages' list.");
  const obj = value as Record<string, unknown>;
  if (!("messages" in obj)) {
    if (LEGACY_KEYS.some((k) => k in obj)) return problem("uses the legacy prompt/completion format; chat models are trained on a 'messages' list.");
    return problem("missing the 'messages' list.");
  }
  const unknown = Object.keys(obj).filter((k) => !LINE_KEYS.has(k));
  if (unknown.length) return problem(`unexpected key '${unknown[0].slice(0, 60)}' (a line may hold messages, tools, functions and parallel_tool_calls).`);
  if (!Array.isArray(obj.messages)) return problem("'messages' must be a list of messages.");
  if (obj.messages.length === 0) return problem("'messages' is empty.");

  // `weight` is training-only: check and strip it before the chat-request rules run.
  const learn: boolean[] = [];
  const messages: unknown[] = [];
  for (const [i, m] of obj.messages.entries()) {
    if (typeof m !== "object" || m === null || Array.isArray(m)) return problem(`message ${i + 1} is not an object.`);
    const { weight, ...rest } = m as Record<string, unknown>;
    const isAssistant = rest.role === "assistant";
    if (weight !== undefined) {
      if (!isAssistant) return problem(`message ${i + 1}: 'weight' is only allowed on assistant messages.`);
      if (weight !== 0 && weight !== 1) return problem(`message ${i + 1}: 'weight' must be 0 or 1.`);
    }
    learn.push(isAssistant && weight !== 0);
    messages.push(rest);
  }

  let request: ChatRequest;
  try {
    request = parseChatRequest({ model: "training", messages, ...pick(obj, ["tools", "functions", "parallel_tool_calls"]) }).request;
  } catch (err) {
    if (err instanceof OpenAIError) return problem(lowerFirst(err.message));
    throw err;
  }
  if (!request.messages.some((m) => m.role === "assistant")) return problem("no assistant message: every example needs at least one assistant message to learn from.");
  if (!learn.some(Boolean)) return problem("every assistant message has weight 0, so there is nothing to learn from this example.");
  for (const [i, m] of request.messages.entries()) {
    if (m.role === "assistant" && learn[i] && !hasAssistantOutput(m)) return problem(`message ${i + 1}: an assistant message needs content or tool_calls.`);
  }
  return { example: { line, request, learn } };
}

function hasAssistantOutput(m: ChatMessage): boolean {
  if (m.role !== "assistant") return false;
  const text = typeof m.content === "string" ? m.content : Array.isArray(m.content) ? m.content.map((p) => (p.type === "text" ? p.text : "")).join("") : "";
  return text.trim().length > 0 || (m.tool_calls?.length ?? 0) > 0;
}

function pick(obj: Record<string, unknown>, keys: string[]) {
  return Object.fromEntries(keys.filter((k) => k in obj).map((k) => [k, obj[k]]));
}

const lowerFirst = (s: string) => s.charAt(0).toLowerCase() + s.slice(1);

/** Reads a JSONL stream line by line (blank lines skipped, numbered as in the file). */
export async function* readJsonl(source: Readable): AsyncGenerator<{ line: number; text: string }> {
  const lines = readline.createInterface({ input: source, crlfDelay: Infinity });
  let line = 0;
  try {
    for await (const text of lines) {
      line++;
      const trimmed = text.replace(/^\uFEFF/, "").trim();
      if (trimmed) yield { line, text: trimmed };
    }
  } finally {
    lines.close();
    source.destroy();
  }
}

/** Parses a whole file: its examples and its problems (the first MAX_REPORTED_PROBLEMS, and the count). */
export async function parseDataset(source: Readable): Promise<{ examples: ParsedExample[]; problems: DatasetProblem[]; problemCount: number; lines: number }> {
  const examples: ParsedExample[] = [];
  const problems: DatasetProblem[] = [];
  let problemCount = 0;
  let lines = 0;
  for await (const { line, text } of readJsonl(source)) {
    lines++;
    const r = parseExampleLine(text, line);
    if ("example" in r) examples.push(r.example);
    else {
      problemCount++;
      if (problems.length < MAX_REPORTED_PROBLEMS) problems.push(r.problem);
    }
  }
  return { examples, problems, problemCount, lines };
}

/** "line 3: invalid JSON …; line 7: …" for a job's error message. */
export function problemsText(problems: DatasetProblem[], total: number, max = 10): string {
  const shown = problems.slice(0, max).map((p) => `line ${p.line}: ${p.message}`);
  const more = total - shown.length;
  return shown.join("; ") + (more > 0 ? `; and ${more} more problem${more === 1 ? "" : "s"}` : "");
}
