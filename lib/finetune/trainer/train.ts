// The training loop (coordinator side). Compute happens in worker threads; this thread shuffles,
// hands out example indices, sums a few numbers in a fixed order, writes checkpoints and calls
// the caller's hooks.
//
// One optimizer step over a batch of B examples with W workers:
//   for each round of W consecutive batch examples: worker k computes example k's gradient of
//     (Σ its target-token losses) / (target tokens in the batch) into its own slot;
//     then the workers add the slots, in example order, into the float64 accumulator (each worker
//     a fixed slice of the parameters);
//   global gradient norm from per-chunk sums of squares (fixed chunks, summed in chunk order);
//   AdamW on each worker's slice with the clip factor.
// Every float sum has an order fixed by the data and the seed alone, so the losses and the written
// model are bit-identical across runs and across thread counts.

import { createHash } from "node:crypto";
import { mkdir, readFile } from "node:fs/promises";
import path from "node:path";
import { encodeGguf, writeFileAtomic } from "./gguf";
import type { ModelLayout } from "./model";
import { WorkerPool } from "./pool";
import type { ExampleReply, ReduceReply, WireExample } from "./protocol";
import { Rng } from "./rng";
import type { StepMetrics, TrainingExample, TrainResult, TrainRun } from "./types";
import { loadModel, outputMetadata, outputTensors, type LoadedModel } from "./weights";

const BETA1 = 0.9;
const BETA2 = 0.999;
const ADAM_EPS = 1e-8;
const DEFAULT_WEIGHT_DECAY = 0.01;
/** Chunk size (floats) of the partial sums for the gradient norm: fixed, so the norm does not depend on the thread count. */
const NORM_CHUNK = 16384;
const STATE_MAGIC = "GHFTSTA1";

export function abortError(signal?: AbortSignal): Error {
  const reason = signal?.reason;
  if (reason instanceof Error && reason.name === "AbortError") return reason;
  return new DOMException("training was aborted", "AbortError");
}

/** Checks one example set; returns target counts. */
export function checkExamples(name: string, examples: TrainingExample[], layout: ModelLayout): number[] {
  const { vocab, contextLength } = layout.config;
  return examples.map((ex, i) => {
    if (!(ex?.tokens instanceof Int32Array) || !(ex.targets instanceof Uint8Array)) {
      throw new Error(`${name}[${i}]: tokens must be an Int32Array and targets a Uint8Array`);
    }
    if (ex.tokens.length !== ex.targets.length) throw new Error(`${name}[${i}]: tokens and targets differ in length`);
    if (ex.tokens.length > contextLength) {
      throw new Error(`${name}[${i}] has ${ex.tokens.length} tokens, more than the model's context length (${contextLength})`);
    }
    let count = 0;
    for (let t = 0; t < ex.tokens.length; t++) {
      const tok = ex.tokens[t];
      if (tok < 0 || tok >= vocab) throw new Error(`${name}[${i}]: token ${tok} is outside the vocabulary (0..${vocab - 1})`);
      if (t > 0 && ex.targets[t]) count++;
    }
    return count;
  });
}

function toWire(examples: TrainingExample[]): WireExample[] {
  return examples.map((e) => ({ tokens: e.tokens, targets: e.targets }));
}

/** Contiguous ranges of whole NORM_CHUNKs, one per worker. */
function partition(nParams: number, workers: number) {
  const nChunks = Math.ceil(nParams / NORM_CHUNK);
  return Array.from({ length: workers }, (_, w) => ({
    start: Math.min(nParams, Math.floor((w * nChunks) / workers) * NORM_CHUNK),
    end: Math.min(nParams, Math.floor(((w + 1) * nChunks) / workers) * NORM_CHUNK),
  }));
}

/**
 * Forward-only loss over examples, spread over the pool; sums in example order.
 */
export async function evaluateSet(pool: WorkerPool, set: string, count: number, version: number) {
  const results: ExampleReply[] = new Array(count);
  let next = 0;
  await Promise.all(
    Array.from({ length: pool.size }, async (_, w) => {
      while (next < count) {
        const i = next++;
        results[i] = await pool.run<ExampleReply>(w, { type: "example", set, index: i, scale: 1, grad: false, version });
      }
    }),
  );
  let lossSum = 0, correct = 0, tokens = 0;
  for (const r of results) {
    lossSum += r.lossSum;
    correct += r.correct;
    tokens += r.count;
  }
  return { lossSum, correct, tokens };
}

// ---------------------------------------------------------------------------------------------
// Resume state: a small binary file. "GHFTSTA1", u32 JSON length, JSON, zero padding to 8 bytes,
// then params (f32), Adam m (f32), Adam v (f32).

type StateHeader = {
  format: 1;
  fingerprint: string;
  nParams: number;
  /** Optimizer steps done (also the number of batches seen). */
  step: number;
  /** AdamW updates applied (batches without targets are skipped). */
  adamT: number;
  /** Epochs completed. */
  epoch: number;
  rngState: number;
  tokens: number;
  elapsedMs: number;
  metrics: StepMetrics | null;
};

function encodeState(h: StateHeader, params: Float32Array, m: Float32Array, v: Float32Array): Uint8Array[] {
  const json = Buffer.from(JSON.stringify(h), "utf8");
  const headLen = Math.ceil((8 + 4 + json.length) / 8) * 8;
  const head = Buffer.alloc(headLen);
  head.write(STATE_MAGIC, 0, "latin1");
  head.writeUInt32LE(json.length, 8);
  json.copy(head, 12);
  const copy = (a: Float32Array) => new Uint8Array(Float32Array.from(a).buffer);
  return [head, copy(params), copy(m), copy(v)];
}

async function readState(file: string, nParams: number) {
  let buf: Buffer;
  try {
    buf = await readFile(file);
  } catch (err) {
    throw new Error(`cannot read the resume state ${file}: ${(err as Error).message}`);
  }
  if (buf.length < 12 || buf.toString("latin1", 0, 8) !== STATE_MAGIC) throw new Error(`${file} is not a training state file`);
  const jsonLen = buf.readUInt32LE(8);
  const header = JSON.parse(buf.toString("utf8", 12, 12 + jsonLen)) as StateHeader;
  const off = Math.ceil((12 + jsonLen) / 8) * 8;
  if (header.nParams !== nParams || buf.length !== off + nParams * 12) {
    throw new Error(`resume state ${file} does not match the base model (${header.nParams} vs ${nParams} parameters)`);
  }
  const floats = new Float32Array(buf.buffer.slice(buf.byteOffset + off, buf.byteOffset + off + nParams * 12));
  return {
    header,
    params: floats.subarray(0, nParams),
    m: floats.subarray(nParams, 2 * nParams),
    v: floats.subarray(2 * nParams, 3 * nParams),
  };
}

/** Identifies "the same job": data, hyper-parameters and base model shape. */
function fingerprint(run: TrainRun, layout: ModelLayout, extra: Record<string, number>) {
  const h = createHash("sha256");
  h.update(JSON.stringify({
    epochs: run.epochs, batchSize: run.batchSize, lr: run.learningRate, seed: run.seed, nParams: layout.nParams, ...extra,
  }));
  for (const set of [run.train, run.validation]) {
    h.update(`|${set.length}|`);
    for (const ex of set) {
      h.update(new Uint8Array(ex.tokens.buffer, ex.tokens.byteOffset, ex.tokens.byteLength));
      h.update(ex.targets);
    }
  }
  return h.digest("hex");
}

function validateRun(run: TrainRun) {
  if (!run || typeof run !== "object") throw new Error("trainLocal needs a run description");
  if (!run.baseModelPath) throw new Error("baseModelPath is required");
  if (!run.outputDir) throw new Error("outputDir is required");
  if (!Array.isArray(run.train) || run.train.length === 0) throw new Error("the training set is empty");
  if (!Array.isArray(run.validation)) throw new Error("validation must be an array (it may be empty)");
  if (!Number.isInteger(run.epochs) || run.epochs < 1) throw new Error(`epochs must be a positive integer (got ${run.epochs})`);
  if (!Number.isInteger(run.batchSize) || run.batchSize < 1) throw new Error(`batchSize must be a positive integer (got ${run.batchSize})`);
  if (!(Number.isFinite(run.learningRate) && run.learningRate > 0)) throw new Error(`learningRate must be a positive number (got ${run.learningRate})`);
  if (!Number.isInteger(run.seed)) throw new Error(`seed must be an integer (got ${run.seed})`);
  if ((run.method ?? "full") !== "full") {
    throw new Error(`fine-tuning method "${run.method}" is not supported by the local trainer (only "full")`);
  }
}

export async function trainLocal(run: TrainRun): Promise<TrainResult> {
  validateRun(run);
  const { signal } = run;
  if (signal?.aborted) throw abortError(signal);
  const started = Date.now();

  const model: LoadedModel = await loadModel(run.baseModelPath, { shared: true });
  const { layout } = model;
  const trainTargets = checkExamples("train", run.train, layout);
  if (trainTargets.every((n) => n === 0)) throw new Error("the training set has no target tokens");
  const validation = run.validation.slice(0, run.maxValidationExamples ?? 64);
  checkExamples("validation", validation, layout);

  const nP = layout.nParams;
  const workers = Math.max(1, Math.min(32, Math.floor(run.threads) || 1));
  const stepsPerEpoch = Math.ceil(run.train.length / run.batchSize);
  const totalSteps = stepsPerEpoch * run.epochs;
  const warmup = run.warmupSteps ?? Math.min(10, Math.floor(totalSteps / 10));
  const evalEvery = Math.max(1, run.evalEvery ?? Math.ceil(stepsPerEpoch / 4));
  const weightDecay = run.weightDecay ?? DEFAULT_WEIGHT_DECAY;
  const maxGradNorm = run.maxGradNorm ?? 1;
  const tokensPerEpoch = run.train.reduce((s, e) => s + e.tokens.length, 0);
  const fp = fingerprint(run, layout, { warmup, weightDecay, maxGradNorm, validN: validation.length });

  const params = model.params;
  const mBuf = new SharedArrayBuffer(nP * 4), vBuf = new SharedArrayBuffer(nP * 4);
  const m = new Float32Array(mBuf), v = new Float32Array(vBuf);
  const accBuf = new SharedArrayBuffer(nP * 8);
  const slots = Array.from({ length: workers }, () => new SharedArrayBuffer(nP * 4));

  let step = 0, adamT = 0, epoch0 = 0, tokens = 0, priorElapsed = 0;
  let rng = new Rng(run.seed);
  let last: StepMetrics | null = null;
  if (run.resumeFrom) {
    const st = await readState(run.resumeFrom, nP);
    if (st.header.fingerprint !== fp) {
      throw new Error("the resume state was written by a different job (data, hyper-parameters or base model differ)");
    }
    params.set(st.params);
    m.set(st.m);
    v.set(st.v);
    ({ step, adamT, epoch: epoch0, tokens } = st.header);
    priorElapsed = st.header.elapsedMs;
    rng = Rng.fromState(st.header.rngState);
    last = st.header.metrics;
  }

  await mkdir(run.outputDir, { recursive: true });
  const pool = await WorkerPool.create(workers, (slot) => ({
    type: "init",
    layout,
    params: params.buffer as SharedArrayBuffer,
    acc: accBuf,
    slots,
    slot,
    m: mBuf,
    v: vBuf,
    sets: { train: toWire(run.train), valid: toWire(validation) },
  }));
  // Abort: kill the workers mid-computation; whatever is awaited then rejects, and we rethrow
  // as an AbortError below.
  const onAbort = () => void pool.terminate();
  signal?.addEventListener("abort", onAbort, { once: true });
  if (signal?.aborted) onAbort(); // aborted while loading / starting workers
  const ranges = partition(nP, workers);
  const elapsed = () => priorElapsed + (Date.now() - started);
  const saveName = run.outputName;

  try {
    const validate = async () => {
      if (!validation.length) return {};
      const r = await evaluateSet(pool, "valid", validation.length, step);
      return r.tokens ? { validLoss: r.lossSum / r.tokens, validAccuracy: r.correct / r.tokens } : {};
    };
    let finalBytes: Buffer | null = null;

    for (let epoch = epoch0; epoch < run.epochs; epoch++) {
      const order = rng.shuffle(Array.from({ length: run.train.length }, (_, i) => i));
      for (let b = 0; b < stepsPerEpoch; b++) {
        if (signal?.aborted) throw abortError(signal);
        const batch = order.slice(b * run.batchSize, (b + 1) * run.batchSize);
        const nTargets = batch.reduce((s, i) => s + trainTargets[i], 0);
        const scale = nTargets ? 1 / nTargets : 0;
        let lossSum = 0, correct = 0, count = 0, first = true;

        if (nTargets > 0) {
          let sumsq: number[] = [];
          for (let r = 0; r < batch.length; r += workers) {
            const round = batch.slice(r, r + workers);
            const res = await Promise.all(
              round.map((index, k) => pool.run<ExampleReply>(k, { type: "example", set: "train", index, scale, grad: true, version: step })),
            );
            for (const x of res) {
              lossSum += x.lossSum;
              correct += x.correct;
              count += x.count;
            }
            const used = res.map((x, k) => (x.count > 0 ? k : -1)).filter((k) => k >= 0);
            const lastRound = r + workers >= batch.length;
            const parts = await Promise.all(
              ranges.map((rg, w) =>
                pool.run<ReduceReply>(w, { type: "reduce", first, slots: used, start: rg.start, end: rg.end, norm: lastRound, chunk: NORM_CHUNK }),
              ),
            );
            first = false;
            if (lastRound) sumsq = parts.flatMap((p) => p.sumsq); // chunk order = worker order
          }
          let ss = 0;
          for (const x of sumsq) ss += x;
          const norm = Math.sqrt(ss);
          const clip = norm > maxGradNorm ? maxGradNorm / (norm + 1e-6) : 1;
          adamT++;
          const lr = step < warmup ? (run.learningRate * (step + 1)) / warmup : run.learningRate;
          await Promise.all(
            ranges.map((rg, w) =>
              pool.run(w, {
                type: "adam", start: rg.start, end: rg.end, t: adamT, lr,
                beta1: BETA1, beta2: BETA2, eps: ADAM_EPS, weightDecay, clip,
              }),
            ),
          );
        }
        step++;
        for (const i of batch) tokens += run.train[i].tokens.length;

        const epochEnd = b === stepsPerEpoch - 1;
        const metrics: StepMetrics = {
          step,
          totalSteps,
          epoch: epoch + 1,
          trainLoss: count ? lossSum / count : 0,
          trainAccuracy: count ? correct / count : 0,
          tokens,
          elapsedMs: 0,
        };
        if (epochEnd || step % evalEvery === 0) Object.assign(metrics, await validate());
        metrics.elapsedMs = elapsed();
        last = metrics;
        await run.onStep?.(metrics);

        if (epochEnd) {
          if (signal?.aborted) throw abortError(signal);
          const bytes = encodeGguf(outputMetadata(model.header.kv, saveName), outputTensors(model, params));
          const modelPath = path.join(run.outputDir, `checkpoint-${step}.gguf`);
          const statePath = path.join(run.outputDir, `checkpoint-${step}.state`);
          await writeFileAtomic(modelPath, bytes);
          await writeFileAtomic(statePath, encodeState({
            format: 1, fingerprint: fp, nParams: nP, step, adamT, epoch: epoch + 1, rngState: rng.state,
            tokens, elapsedMs: elapsed(), metrics,
          }, params, m, v));
          finalBytes = bytes;
          await run.onCheckpoint?.({ epoch: epoch + 1, step, modelPath, statePath, metrics });
        }
      }
    }

    const modelPath = path.join(run.outputDir, "model.gguf");
    await writeFileAtomic(modelPath, finalBytes ?? encodeGguf(outputMetadata(model.header.kv, saveName), outputTensors(model, params)));
    if (!last) throw new Error("no training step was run");
    return { modelPath, trainedTokens: tokensPerEpoch * run.epochs, steps: step, metrics: last };
  } catch (err) {
    if (signal?.aborted) throw abortError(signal);
    throw err;
  } finally {
    signal?.removeEventListener("abort", onAbort);
    await pool.terminate();
  }
}
