#!/usr/bin/env node
// Tokens per second of a 200-token generation through the local provider's chatStream, against
// node-llama-cpp called directly (same model, threads, context size, prompt and sampling), to
// measure what the provider's queue, decoding, stop filtering and event plumbing cost.
//
//   node --conditions=react-server --import tsx scripts/bench-local-provider.mjs [model.gguf]
//
// Env: BENCH_RUNS (default 7), LOCAL_MODEL_THREADS (default: cores - 1, as the provider).
import os from "node:os";
import path from "node:path";
import { GeneralChatWrapper, getLlama, LlamaCompletion } from "node-llama-cpp";

process.env.LOCAL_MODEL_THREADS ??= String(Math.max(1, os.availableParallelism() - 1));
const { localProvider, unloadAllLocalModels } = await import("../lib/providers/local/index.ts");

const modelPath = path.resolve(process.argv[2] ?? process.env.TEST_MODEL_PATH ?? "../shared/models/stories260K.gguf");
const runs = Number(process.env.BENCH_RUNS ?? 7);
const threads = Number(process.env.LOCAL_MODEL_THREADS);
const TOKENS = 200;
const sampling = { temperature: 0.8, topP: 1, topK: 0, minP: 0 };

// The provider's view of the model (what the catalog would hold).
const entry = { id: "bench", provider: "local", upstreamId: modelPath, contextWindow: 2048, capabilities: ["chat"] };
const message = "Tell me a story about a cat.";
const request = (seed) => ({
  messages: [{ role: "user", content: message }], maxTokens: TOKENS, temperature: sampling.temperature, topP: sampling.topP, n: 1,
  stop: [], presencePenalty: 0, frequencyPenalty: 0, seed, logitBias: null, tools: [], toolChoice: "none",
  parallelToolCalls: true, responseFormat: { type: "text" }, user: null, raw: {},
});

async function viaProvider(seed) {
  const ctx = { signal: new AbortController().signal, requestId: "bench" };
  const start = performance.now();
  let usage = null;
  let text = "";
  for await (const e of localProvider.chatStream(entry, request(seed), ctx)) {
    if (e.type === "delta") text += e.content ?? "";
    if (e.type === "usage") usage = e.usage;
  }
  return { ms: performance.now() - start, tokens: usage.completionTokens, prompt: usage.promptTokens, text };
}

// Direct: same llama options as the provider, the same prompt through the same template.
const llama = await getLlama({ gpu: false, build: "never", maxThreads: threads });
const model = await llama.loadModel({ modelPath });
const context = await model.createContext({ contextSize: Math.min(model.trainContextSize, 8192), threads });
const sequence = context.getSequence();
const prompt = new GeneralChatWrapper()
  .generateContextState({ chatHistory: [{ type: "user", text: message }, { type: "model", response: [] }] })
  .contextText.tokenize(model.tokenizer);

async function viaEvaluate(seed) {
  const start = performance.now();
  await sequence.clearHistory();
  const tokens = [];
  let text = "";
  for await (const token of sequence.evaluate(prompt, { ...sampling, seed })) {
    tokens.push(token);
    text += model.detokenize([token], false, tokens.slice(-17, -1));
    if (tokens.length >= TOKENS) break;
  }
  return { ms: performance.now() - start, tokens: tokens.length, prompt: prompt.length, text };
}

const completion = new LlamaCompletion({ contextSequence: sequence });
async function viaCompletion(seed) {
  const start = performance.now();
  await sequence.clearHistory();
  let tokens = 0;
  const text = await completion.generateCompletion(prompt, { ...sampling, seed, maxTokens: TOKENS, onToken: (t) => (tokens += t.length) });
  return { ms: performance.now() - start, tokens, prompt: prompt.length, text };
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function bench(name, fn) {
  await fn(1); // warm-up: loads the model, fills caches
  const results = [];
  for (let i = 0; i < runs; i++) results.push(await fn(100 + i));
  const rates = results.map((r) => (r.tokens / r.ms) * 1000);
  const ms = median(results.map((r) => r.ms));
  console.log(
    `${name.padEnd(34)} median ${median(rates).toFixed(0).padStart(6)} tok/s  (${ms.toFixed(1)} ms, ` +
      `${median(results.map((r) => r.tokens))} tokens, prompt ${results[0].prompt}; min ${Math.min(...rates).toFixed(0)}, max ${Math.max(...rates).toFixed(0)})`,
  );
  return results;
}

console.log(`model ${path.basename(modelPath)}, threads ${threads}, ${TOKENS} tokens, temperature ${sampling.temperature}, ${runs} runs`);
const direct = await bench("node-llama-cpp sequence.evaluate", viaEvaluate);
await bench("node-llama-cpp LlamaCompletion", viaCompletion);
const provider = await bench("localProvider.chatStream", viaProvider);
// Same seed, same prompt, same sampler: the texts must agree, or the comparison is meaningless.
console.log(`same text as direct evaluate (seed 100): ${provider[0].text === direct[0].text}`);

await context.dispose();
await model.dispose();
await unloadAllLocalModels();
