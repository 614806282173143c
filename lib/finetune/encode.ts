import "server-only";
import { setImmediate as yieldToEventLoop } from "node:timers/promises";
import type { ChatHistoryItem, Token } from "node-llama-cpp";
import { leaseModel, type LoadedModel } from "@/lib/providers/local/model-pool";
import { toChatHistory } from "@/lib/providers/local/prompt";
import type { ModelEntry } from "@/lib/providers/types";
import type { DatasetProblem, ParsedExample } from "./dataset";

// Turns conversations into what the trainer learns from: the tokens of the whole conversation
// in the model's own chat template (rendered exactly as the local provider renders a chat
// request, so the model is trained on what it will see when served), and which of them are
// targets: the tokens of the assistant messages it learns, plus the end-of-sequence token
// after a final assistant message, so the model learns to stop.

export type EncodedExample = { line: number; tokens: Int32Array; targets: Uint8Array };

function render(loaded: LoadedModel, history: ChatHistoryItem[]): Token[] {
  return loaded.chatWrapper.generateContextState({ chatHistory: history }).contextText.tokenize(loaded.model.tokenizer);
}

/** The conversation's history with its last message as the final turn (no new, empty model turn after it). */
function historyThrough(example: ParsedExample, count: number): ChatHistoryItem[] {
  const messages = example.request.messages.slice(0, count);
  const history = toChatHistory({ ...example.request, messages });
  if (messages.at(-1)?.role === "assistant") history.pop(); // toChatHistory always opens a new model turn
  return history;
}

function commonPrefix(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const n = Math.min(a.length, b.length);
  let i = 0;
  while (i < n && a[i] === b[i]) i++;
  return i;
}

export function encodeExample(loaded: LoadedModel, example: ParsedExample): EncodedExample {
  const messages = example.request.messages;
  const full = render(loaded, historyThrough(example, messages.length));
  const eos = loaded.model.tokens.eos;
  const endsWithLearnedAnswer = messages.at(-1)?.role === "assistant" && example.learn[messages.length - 1] && eos !== null;
  const length = full.length + (endsWithLearnedAnswer ? 1 : 0);
  const tokens = new Int32Array(length);
  tokens.set(full);
  const targets = new Uint8Array(length);
  for (let k = 0; k < messages.length; k++) {
    if (messages[k].role !== "assistant" || !example.learn[k]) continue;
    // The answer's tokens: what rendering it adds after the prompt that asks for it.
    const prompt = render(loaded, toChatHistory({ ...example.request, messages: messages.slice(0, k) }));
    const answered = render(loaded, historyThrough(example, k + 1));
    const start = commonPrefix(prompt, answered);
    const end = Math.min(answered.length, commonPrefix(answered, full));
    targets.fill(1, start, end);
  }
  if (endsWithLearnedAnswer) {
    tokens[length - 1] = eos;
    targets[length - 1] = 1;
  }
  return { line: example.line, tokens, targets };
}

export type EncodedDataset = {
  examples: EncodedExample[];
  problems: DatasetProblem[];
  problemCount: number;
  tokens: { total: number; targets: number; min: number; max: number };
};

/**
 * Encodes every example with the base model's tokenizer and template. Examples longer than
 * the context window are problems (by line), as OpenAI's data checks report them.
 */
export async function encodeDataset(entry: ModelEntry, examples: ParsedExample[], contextWindow: number, maxProblems: number, signal?: AbortSignal): Promise<EncodedDataset> {
  const lease = leaseModel(entry);
  try {
    const loaded = await lease.load();
    const out: EncodedExample[] = [];
    const problems: DatasetProblem[] = [];
    let problemCount = 0;
    const tokens = { total: 0, targets: 0, min: Infinity, max: 0 };
    for (const [i, example] of examples.entries()) {
      if (i % 50 === 49) {
        await yieldToEventLoop(); // keep the server answering while large files are tokenized
        signal?.throwIfAborted();
      }
      const encoded = encodeExample(loaded, example);
      if (encoded.tokens.length > contextWindow) {
        problemCount++;
        if (problems.length < maxProblems) {
          problems.push({ line: example.line, message: `the example has ${encoded.tokens.length.toLocaleString("en-US")} tokens; the model's context holds ${contextWindow.toLocaleString("en-US")}.` });
        }
        continue;
      }
      out.push(encoded);
      tokens.total += encoded.tokens.length;
      tokens.targets += encoded.targets.reduce((s, t) => s + t, 0);
      tokens.min = Math.min(tokens.min, encoded.tokens.length);
      tokens.max = Math.max(tokens.max, encoded.tokens.length);
    }
    if (!out.length) tokens.min = 0;
    return { examples: out, problems, problemCount, tokens };
  } finally {
    lease.release();
  }
}
