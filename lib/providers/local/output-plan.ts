import "server-only";
import { isLlamaText, type GbnfJsonSchema, type Llama, type LlamaGrammar } from "node-llama-cpp";
import { invalidRequest } from "@/lib/openai/errors";
import type { ChatRequest } from "@/lib/providers/types";
import { isObjectSchema, SchemaConverter, UnsupportedSchemaError } from "./json-schema";
import { callableTools, TOOL_ENVELOPE_KEY } from "./prompt";

// What the model may write for a request, as a grammar:
//
// - tool_choice "required" or a named function: only the tool-call envelope
//   {"tool_calls":[{"name":<one of the functions>,"arguments":<that function's parameters>}]},
//   with exactly one call when parallel_tool_calls is false, else one or more.
// - tool_choice "auto": the envelope OR an answer, in one grammar, so the model's own token
//   probabilities make the choice at the first token (no extra decision pass, no heuristics on
//   finished text). A plain-text answer may be anything that does not start with "{" (the
//   envelope's first character); a JSON answer (response_format) is told apart by its first key.
// - otherwise the response format: free text, any JSON object, or the given JSON schema.
//
// node-llama-cpp's own function calling is not used: its prompt and syntax take hundreds of
// tokens, more than small models' contexts can spare.

/** Upper bound on calls in one parallel envelope: keeps a looping model from filling its context. */
export const MAX_PARALLEL_TOOL_CALLS = 8;

export type OutputMode = "content" | "tools" | "auto";

export type OutputPlan = {
  mode: OutputMode;
  /** The answer (not a tool call) is JSON: matters for telling it from the envelope, and trimming. */
  contentIsJson: boolean;
  grammar: LlamaGrammar | null;
  /** Texts that end the output in each branch (node-llama-cpp's JSON grammars end with "\n\n\n\n"). */
  contentStops: string[];
  toolStops: string[];
};

type OutputSchemas = { mode: OutputMode; content: GbnfJsonSchema | null; envelope: GbnfJsonSchema | null; converter: SchemaConverter };

const ANY_OBJECT: GbnfJsonSchema = { type: "object", additionalProperties: true };

/** Checks and converts every schema in the request; throws 400 for what a grammar cannot enforce. */
export function outputSchemas(request: ChatRequest): OutputSchemas {
  const converter = new SchemaConverter();
  const format = request.responseFormat;
  let content: GbnfJsonSchema | null = null;
  if (format.type === "json_object") content = ANY_OBJECT;
  if (format.type === "json_schema") {
    const schema = format.json_schema.schema;
    try {
      content = schema ? converter.convert(schema, "r_") : ANY_OBJECT;
    } catch (err) {
      if (err instanceof UnsupportedSchemaError) {
        throw invalidRequest(`Invalid schema for response_format '${format.json_schema.name}': ${err.message}.`, "response_format");
      }
      throw err;
    }
  }

  const tools = callableTools(request);
  if (tools.length === 0) return { mode: "content", content, envelope: null, converter };
  const mode: OutputMode = request.toolChoice === "auto" ? "auto" : "tools";

  const calls = tools.map((tool, k): GbnfJsonSchema => {
    const f = tool.function;
    let args: GbnfJsonSchema = { type: "object", properties: {} };
    if (f.parameters && Object.keys(f.parameters).length > 0) {
      try {
        args = converter.convert(f.parameters, `f${k}_`);
      } catch (err) {
        if (err instanceof UnsupportedSchemaError) {
          throw invalidRequest(`Invalid schema for function '${f.name}': ${err.message}.`, "tools");
        }
        throw err;
      }
      if (!isObjectSchema(args)) throw invalidRequest(`Invalid schema for function '${f.name}': parameters must be a JSON Schema of type 'object'.`, "tools");
    }
    return { type: "object", properties: { name: { const: f.name }, arguments: args } };
  });
  const envelope: GbnfJsonSchema = {
    type: "object",
    properties: {
      [TOOL_ENVELOPE_KEY]: {
        type: "array",
        items: calls.length === 1 ? calls[0] : { oneOf: calls },
        minItems: 1,
        maxItems: request.parallelToolCalls ? MAX_PARALLEL_TOOL_CALLS : 1,
      },
    },
  };

  if (mode === "auto" && format.type === "json_schema" && content && "properties" in content && content.properties && TOOL_ENVELOPE_KEY in content.properties) {
    // Its answers would be indistinguishable from tool calls.
    throw invalidRequest(`The property '${TOOL_ENVELOPE_KEY}' cannot be used in response_format when tools may be called.`, "response_format");
  }
  return { mode, content, envelope, converter };
}

export async function planOutput(llama: Llama, request: ChatRequest): Promise<OutputPlan> {
  const { mode, content, envelope, converter } = outputSchemas(request);
  const contentIsJson = content !== null;

  if (mode === "content") {
    if (!content) return { mode, contentIsJson, grammar: null, contentStops: [], toolStops: [] };
    const grammar = await jsonGrammar(llama, converter.withDefs(content));
    return { mode, contentIsJson, grammar, contentStops: triggers(grammar), toolStops: [] };
  }
  if (mode === "tools" || content) {
    const root = mode === "tools" ? envelope! : { oneOf: [envelope!, content!] };
    const grammar = await jsonGrammar(llama, converter.withDefs(root));
    const stops = triggers(grammar);
    return { mode, contentIsJson, grammar, contentStops: stops, toolStops: stops };
  }
  // auto with a free-text answer: the envelope grammar plus an alternative for text that does
  // not start with "{"; GBNF lets us add a new start rule next to node-llama-cpp's rules.
  const envelopeGrammar = await jsonGrammar(llama, converter.withDefs(envelope!));
  const rules = `${envelopeGrammar.grammar}\ngh-answer ::= ${envelopeGrammar.rootRuleName} | gh-text\ngh-text ::= ( [^{] [^\\x00]* )?\n`;
  const grammar = await cached(`auto:${rules}`, () => llama.createGrammar({ grammar: rules, rootRuleName: "gh-answer" }));
  return { mode, contentIsJson, grammar, contentStops: [], toolStops: triggers(envelopeGrammar) };
}

function triggers(grammar: LlamaGrammar): string[] {
  const out: string[] = [];
  for (const t of grammar.stopGenerationTriggers) {
    const values: readonly unknown[] = typeof t === "string" ? [t] : isLlamaText(t) ? t.values : (t as readonly unknown[]);
    if (values.every((v) => typeof v === "string")) out.push(values.join(""));
  }
  return out;
}

// Compiling a grammar costs a few milliseconds; clients tend to send the same schemas again.
const g = globalThis as unknown as { __gatehouseGrammars?: Map<string, Promise<LlamaGrammar>> };
const grammarCache = (g.__gatehouseGrammars ??= new Map());
const GRAMMAR_CACHE_SIZE = 64;

function cached(key: string, create: () => Promise<LlamaGrammar>): Promise<LlamaGrammar> {
  const hit = grammarCache.get(key);
  if (hit) {
    grammarCache.delete(key); // re-insert: most recently used last
    grammarCache.set(key, hit);
    return hit;
  }
  const created = create().catch((err: unknown) => {
    grammarCache.delete(key);
    throw invalidRequest(`The output schema could not be compiled into a grammar: ${err instanceof Error ? err.message : String(err)}`, "response_format");
  });
  grammarCache.set(key, created);
  while (grammarCache.size > GRAMMAR_CACHE_SIZE) grammarCache.delete(grammarCache.keys().next().value!);
  return created;
}

function jsonGrammar(llama: Llama, schema: GbnfJsonSchema): Promise<LlamaGrammar> {
  return cached(`json:${JSON.stringify(schema)}`, () => llama.createGrammarForJsonSchema<GbnfJsonSchema>(schema));
}
