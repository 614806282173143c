import { randomInt } from "node:crypto";
import type { LlamaModel, Token } from "node-llama-cpp";
import { TOOL_ENVELOPE_KEY } from "./prompt";

// Streaming text plumbing for generated tokens: UTF-8-safe decoding, stop strings that never
// leak into the output, and an incremental reader of the tool-call envelope.

// ---- decoding ----

/**
 * Turns tokens into text as they arrive. A character can span several tokens (byte-fallback
 * vocabularies split multi-byte UTF-8), so a token whose text ends in an incomplete sequence is
 * held until the character completes (at most 4 bytes, so at most 4 tokens).
 */
export class TokenTextDecoder {
  private pending: Token[] = [];
  private recent: Token[] = [];

  constructor(private readonly model: Pick<LlamaModel, "detokenize">) {}

  push(token: Token): string {
    this.pending.push(token);
    // Decoding with the preceding tokens keeps SentencePiece's word-initial spaces right.
    const text = this.model.detokenize(this.pending, false, this.recent);
    if (text.endsWith("\uFFFD") && this.pending.length < 4) return "";
    this.recent = [...this.recent, ...this.pending].slice(-16);
    this.pending = [];
    return text;
  }

  /** Whatever is still held (an incomplete character at the very end). */
  flush(): string {
    if (this.pending.length === 0) return "";
    const text = this.model.detokenize(this.pending, false, this.recent);
    this.pending = [];
    return text;
  }
}

// ---- stop strings ----

/**
 * Passes text through until one of `stops` appears; the stop and everything after it are
 * dropped. Text that could be the beginning of a stop is held back until it is decided, so a
 * stop string is never partially streamed.
 */
export class StopFilter {
  private held = "";
  private readonly stops: string[];
  matched = false;

  constructor(stops: string[]) {
    this.stops = [...new Set(stops.filter((s) => s.length > 0))];
  }

  push(text: string): string {
    if (this.matched) return "";
    const buffer = this.held + text;
    let cut = -1;
    for (const stop of this.stops) {
      const at = buffer.indexOf(stop);
      if (at >= 0 && (cut < 0 || at < cut)) cut = at;
    }
    if (cut >= 0) {
      this.matched = true;
      this.held = "";
      return buffer.slice(0, cut);
    }
    let hold = 0;
    for (const stop of this.stops) {
      for (let k = Math.min(stop.length - 1, buffer.length); k > hold; k--) {
        if (buffer.endsWith(stop.slice(0, k))) {
          hold = k;
          break;
        }
      }
    }
    this.held = buffer.slice(buffer.length - hold);
    return buffer.slice(0, buffer.length - hold);
  }

  /** Releases held text once generation ended without completing a stop. */
  flush(): string {
    const rest = this.matched ? "" : this.held;
    this.held = "";
    return rest;
  }
}

/** Holds trailing whitespace back, to drop it at the end (JSON grammars pad their output). */
export class TrailingWhitespaceTrimmer {
  private held = "";

  push(text: string): string {
    const buffer = this.held + text;
    const end = buffer.trimEnd().length;
    this.held = buffer.slice(end);
    return buffer.slice(0, end);
  }
}

// ---- tool calls ----

export type ToolCallFragment =
  | { kind: "start"; index: number; name: string }
  | { kind: "arguments"; index: number; text: string };

/**
 * Reads `{"tool_calls":[{"name":"...","arguments":{...}}, ...]}` character by character (the
 * grammar guarantees that shape, with optional whitespace) and reports each call's name as soon
 * as it is complete and its arguments' JSON text as it is written.
 */
export class ToolEnvelopeReader {
  private depth = 0;
  private inString = false;
  private escaped = false;
  private stringText = "";
  private expectKey = false;
  private key: string | null = null;
  private capturing = false;
  private index = -1;
  done = false;

  feed(text: string): ToolCallFragment[] {
    const out: ToolCallFragment[] = [];
    let args = "";
    const flushArgs = () => {
      if (args) out.push({ kind: "arguments", index: this.index, text: args });
      args = "";
    };
    for (const ch of text) {
      if (this.done) break;
      if (this.capturing) args += ch;
      if (this.inString) {
        if (this.escaped) this.escaped = false;
        else if (ch === "\\") this.escaped = true;
        else if (ch === '"') this.inString = false;
        if (this.depth === 3 && !this.capturing) {
          this.stringText += ch;
          if (!this.inString) this.endString(out);
        }
        continue;
      }
      switch (ch) {
        case '"':
          this.inString = true;
          this.stringText = ch;
          break;
        case "{":
        case "[":
          this.depth++;
          if (this.depth === 3 && ch === "{") {
            this.index++;
            this.expectKey = true;
            this.key = null;
          } else if (this.depth === 4 && this.key === "arguments" && !this.capturing) {
            this.capturing = true;
            args += ch;
          }
          break;
        case "}":
        case "]":
          this.depth--;
          if (this.capturing && this.depth === 3) {
            this.capturing = false;
            flushArgs();
          }
          if (this.depth === 0) this.done = true;
          break;
        case ":":
          if (this.depth === 3) this.expectKey = false;
          break;
        case ",":
          if (this.depth === 3) this.expectKey = true;
          break;
      }
    }
    flushArgs();
    return out;
  }

  private endString(out: ToolCallFragment[]) {
    const value = JSON.parse(this.stringText) as string;
    if (this.expectKey) this.key = value;
    else if (this.key === "name") out.push({ kind: "start", index: this.index, name: value });
  }
}

/**
 * With tool_choice "auto" the grammar lets the model either answer or write the envelope; this
 * tells which one it is doing from the text so far ("undecided" until it can tell).
 * `contentIsJson`: the answer itself is a JSON object (response_format), so both start with "{"
 * and the envelope's first key decides; otherwise an answer cannot start with "{".
 */
export function classifyAutoOutput(text: string, contentIsJson: boolean): "tools" | "content" | "undecided" {
  if (text.length === 0) return "undecided";
  // The envelope grammar starts with "{" right away; an answer may start with anything else.
  if (!contentIsJson) return text[0] === "{" ? "tools" : "content";
  let i = skipWhitespace(text, 0);
  if (i === text.length) return "undecided";
  if (text[i] !== "{") return "content";
  i = skipWhitespace(text, i + 1);
  const key = JSON.stringify(TOOL_ENVELOPE_KEY);
  const seen = text.slice(i, i + key.length);
  if (!key.startsWith(seen)) return "content";
  if (seen.length < key.length) return "undecided";
  i = skipWhitespace(text, i + key.length);
  if (i === text.length) return "undecided";
  return text[i] === ":" ? "tools" : "content";
}

function skipWhitespace(text: string, i: number): number {
  while (i < text.length && /\s/.test(text[i])) i++;
  return i;
}

const ID_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

/** OpenAI-style tool call id: `call_` and 24 random alphanumerics. */
export function newToolCallId(): string {
  let id = "call_";
  for (let i = 0; i < 24; i++) id += ID_ALPHABET[randomInt(ID_ALPHABET.length)];
  return id;
}
