// Local fine-tuning trainer for llama-architecture GGUF models: full fine-tuning with AdamW, by
// hand on Float32Arrays, in worker threads. See train.ts for the step, model.ts for the math.
//
// Choices worth knowing:
// - Loss: mean cross-entropy over target tokens only; a batch's gradient is the mean over all of
//   its target tokens (not a mean of per-example means). Accuracy: argmax == target.
// - trainedTokens = epochs × Σ tokens.length over the training examples (all tokens, prompt
//   included, like OpenAI's trained_tokens). StepMetrics.tokens is the running count.
// - AdamW β1 0.9, β2 0.999, ε 1e-8, decoupled weight decay 0.01 on weight matrices only (not on
//   norm vectors; `weightDecay` overrides), linear warmup over min(10, 10% of the steps) then a
//   constant learning rate, global gradient-norm clipping at 1.0.
// - Shuffling: mulberry32 seeded with `seed`, a new permutation every epoch.
// - Determinism: every reduction has a fixed order that depends on the data and seed only, so
//   losses and output bytes are identical across runs *and across thread counts*.
// - Threads: `threads` workers, data parallel over the examples of a batch (batchSize 1 therefore
//   uses one core). The calling thread only coordinates; it never blocks on compute.
// - Output: F32 GGUF v3 with the base model's metadata (general.file_type set to ALL_F32,
//   general.name to `outputName` when given). F16/BF16 inputs are converted to F32 on load.
// - Memory per run ≈ params × (4 weights + 8 gradient accumulator + 4 per worker + 8 Adam) bytes,
//   plus per worker a transposed weight copy (4 × params) and activations ≈
//   layers × T × (6·dim + 3·ffn + heads·T) floats for the longest example (T tokens).
// - Checkpoint state files hold weights + Adam moments (12 bytes/param) + step, epoch, RNG state.

import { ggmlTypeName, GgmlType, readGgufHeader, tensorElements } from "./gguf";
import { buildLayout } from "./model";
import { WorkerPool } from "./pool";
import { checkExamples, evaluateSet } from "./train";
import type { TrainingExample } from "./types";
import { loadModel } from "./weights";

export type { CheckpointInfo, StepMetrics, TrainingExample, TrainResult, TrainRun } from "./types";
export { trainLocal } from "./train";
export { encodeGguf, readGguf, readGgufHeader, writeGguf, GgufType, GgufFormatError, type GgufKV, type GgufTensorOut, type GgufHeader } from "./gguf";
export { writeRandomLlama, type RandomLlamaOptions } from "./synth";
export { UnsupportedModelError } from "./model";

/**
 * Mean cross-entropy (and argmax accuracy) over the target tokens of `examples`, with a real
 * forward pass of the model in `threads` worker threads.
 */
export async function evaluateLoss(
  modelPath: string,
  examples: TrainingExample[],
  threads = 1,
): Promise<{ loss: number; accuracy: number; tokens: number }> {
  if (!Array.isArray(examples) || examples.length === 0) throw new Error("no examples to evaluate");
  const model = await loadModel(modelPath, { shared: true });
  const counts = checkExamples("examples", examples, model.layout);
  if (counts.every((n) => n === 0)) throw new Error("the examples have no target tokens");
  const pool = await WorkerPool.create(Math.max(1, Math.min(32, Math.floor(threads) || 1)), (slot) => ({
    type: "init",
    layout: model.layout,
    params: model.params.buffer as SharedArrayBuffer,
    acc: null,
    slots: [],
    slot,
    m: null,
    v: null,
    sets: { eval: examples.map((e) => ({ tokens: e.tokens, targets: e.targets })) },
  }));
  try {
    const r = await evaluateSet(pool, "eval", examples.length, 0);
    return { loss: r.lossSum / r.tokens, accuracy: r.correct / r.tokens, tokens: r.tokens };
  } finally {
    await pool.terminate();
  }
}

/**
 * Shape of a GGUF model from its header alone. Throws a clear Error for a file that is not GGUF,
 * a non-llama architecture, or tensor types the trainer cannot handle (quantized models).
 */
export async function readModelShape(path: string): Promise<{ contextLength: number; parameters: number; vocab: number; architecture: string }> {
  const header = await readGgufHeader(path);
  const layout = buildLayout(header); // validates architecture, tensor names and shapes
  for (const t of header.tensors) {
    if (t.type !== GgmlType.F32 && t.type !== GgmlType.F16 && t.type !== GgmlType.BF16) {
      throw new Error(`tensor ${t.name} is ${ggmlTypeName(t.type)}: only F32, F16 and BF16 models can be fine-tuned locally (quantized models cannot)`);
    }
  }
  return {
    contextLength: layout.config.contextLength,
    parameters: header.tensors.reduce((s, t) => s + tensorElements(t), 0),
    vocab: layout.config.vocab,
    architecture: "llama",
  };
}
