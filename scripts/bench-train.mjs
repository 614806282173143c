// Benchmark of the local fine-tuning trainer (lib/finetune/trainer).
//
//   node --import tsx scripts/bench-train.mjs            # stories260K and a generated ~15M llama
//   BENCH_MODELS=small node --import tsx scripts/bench-train.mjs   # stories260K only
//
// Prints training tokens/s (all tokens of the examples, forward + backward + AdamW) at 1 and 2
// worker threads and their ratio, and forward-only tokens/s. Training throughput is measured
// between the first and the last step callback, so worker start-up is not counted.

import { mkdtemp, rm } from "node:fs/promises";
import { Worker } from "node:worker_threads";
import os from "node:os";
import path from "node:path";
import { trainLocal, writeRandomLlama } from "../lib/finetune/trainer/index.ts";
import { LlamaCompute } from "../lib/finetune/trainer/model.ts";
import { Rng } from "../lib/finetune/trainer/rng.ts";
import { loadModel } from "../lib/finetune/trainer/weights.ts";

const STORIES = process.env.TEST_GGUF ?? path.resolve("../shared/models/stories260K.gguf");
const which = process.env.BENCH_MODELS ?? "all";

function randomExamples(n, len, vocab, seed) {
  const rng = new Rng(seed);
  return Array.from({ length: n }, () => {
    const tokens = Int32Array.from({ length: len }, (_, i) => (i === 0 ? 1 : 3 + rng.int(vocab - 3)));
    const targets = new Uint8Array(len);
    targets.fill(1, len / 2); // second half is the "answer"
    return { tokens, targets };
  });
}

async function trainThroughput(modelPath, examples, batchSize, threads, steps, outputDir) {
  const marks = [];
  await trainLocal({
    baseModelPath: modelPath,
    train: examples.slice(0, batchSize * steps),
    validation: [],
    epochs: 1,
    batchSize,
    learningRate: 1e-4,
    seed: 1,
    threads,
    outputDir,
    onStep: (m) => void marks.push({ t: performance.now(), tokens: m.tokens }),
  });
  const a = marks[0], b = marks.at(-1);
  return (b.tokens - a.tokens) / ((b.t - a.t) / 1000);
}

function forwardThroughput(modelPath, loaded, examples, minMs) {
  const compute = new LlamaCompute(loaded.layout, loaded.params);
  let tokens = 0, i = 0;
  compute.run(examples[0].tokens, examples[0].targets, 1, null); // warm-up
  const t0 = performance.now();
  while (performance.now() - t0 < minMs) {
    const ex = examples[i++ % examples.length];
    compute.run(ex.tokens, ex.targets, 1, null);
    tokens += ex.tokens.length;
  }
  return tokens / ((performance.now() - t0) / 1000);
}

/**
 * What the machine gives two threads right now: a pure integer loop in 1 and in 2 workers
 * (other processes on a shared machine show up here, not as a trainer problem).
 */
async function machineParallelism() {
  const code = `const { parentPort } = require("node:worker_threads");
    let x = 0, it = 0; const t0 = Date.now();
    while (Date.now() - t0 < 1500) { for (let i = 0; i < 1e6; i++) x = (x * 1664525 + 1013904223) | 0; it++; }
    parentPort.postMessage(it + (x & 0));`;
  const run = (n) => Promise.all(Array.from({ length: n }, () => new Promise((resolve, reject) => {
    const w = new Worker(code, { eval: true });
    w.once("message", (m) => { resolve(m); void w.terminate(); });
    w.once("error", reject);
  })));
  const one = (await run(1))[0];
  const two = (await run(2)).reduce((a, b) => a + b, 0);
  return two / one;
}

const machine = await machineParallelism();
const tmp = await mkdtemp(path.join(os.tmpdir(), "bench-train-"));
const rows = [];
try {
  const models = [{ name: "stories260K", path: STORIES, len: 128, batch: 8, steps: 6 }];
  if (which !== "small") {
    const big = path.join(tmp, "random-15m.gguf");
    const { parameters } = await writeRandomLlama(big, { templatePath: STORIES, dim: 384, layers: 8, heads: 6, ffn: 1024, seed: 1, contextLength: 512 });
    models.push({ name: `random ${(parameters / 1e6).toFixed(1)}M (384×8, ffn 1024)`, path: big, len: 128, batch: 4, steps: 3 });
  }
  for (const m of models) {
    const loaded = await loadModel(m.path);
    const params = loaded.layout.nParams;
    const examples = randomExamples(m.batch * m.steps, m.len, loaded.layout.config.vocab, 7);
    const fwd = forwardThroughput(m.path, loaded, examples, 3000);
    const t1 = await trainThroughput(m.path, examples, m.batch, 1, m.steps, path.join(tmp, "o1"));
    const t2 = await trainThroughput(m.path, examples, m.batch, 2, m.steps, path.join(tmp, "o2"));
    rows.push({ model: m.name, params, seqLen: m.len, batch: m.batch, fwd, t1, t2 });
    console.error(`done: ${m.name}`);
  }
} finally {
  await rm(tmp, { recursive: true, force: true });
}

const f = (x) => x.toFixed(x < 100 ? 1 : 0);
console.log(`\nnode ${process.version}, ${os.cpus().length} cores (${os.cpus()[0]?.model ?? "?"}), load average ${os.loadavg()[0].toFixed(2)}`);
console.log(`machine check: a pure integer loop runs ${machine.toFixed(2)}× as fast in 2 workers as in 1 (2.00 on an idle 2-core machine)`);
console.log("model".padEnd(36), "params".padStart(10), "seq".padStart(5), "batch".padStart(6),
  "fwd tok/s (1 thr)".padStart(18), "train tok/s 1 thr".padStart(18), "train tok/s 2 thr".padStart(18), "2thr/1thr".padStart(10));
for (const r of rows) {
  console.log(r.model.padEnd(36), String(r.params).padStart(10), String(r.seqLen).padStart(5), String(r.batch).padStart(6),
    f(r.fwd).padStart(18), f(r.t1).padStart(18), f(r.t2).padStart(18), (r.t2 / r.t1).toFixed(2).padStart(10));
}
