// The trainer's forward pass against llama.cpp itself (node-llama-cpp) on the tiny stories260K
// model, and the GGUF reader/writer against the real file.

import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { getLlama, LlamaLogLevel, type Llama, type LlamaContext, type LlamaModel, type Token } from "node-llama-cpp";
import { LlamaCompute } from "@/lib/finetune/trainer/model";
import { loadModel, saveModel, type LoadedModel } from "@/lib/finetune/trainer/weights";
import { readModelShape } from "@/lib/finetune/trainer";

const MODEL = process.env.TEST_GGUF ?? path.resolve("../shared/models/stories260K.gguf");

let llama: Llama;
let model: LlamaModel;
let context: LlamaContext;
let ours: LoadedModel;
let tmp: string;

before(async () => {
  llama = await getLlama({ gpu: false, build: "never", logLevel: LlamaLogLevel.error });
  model = await llama.loadModel({ modelPath: MODEL });
  // F32 KV cache and no flash attention: llama.cpp's defaults round Q/K/V to F16 in attention,
  // which alone moves probabilities by ~2e-3. Without that the two agree to ~1e-6.
  context = await model.createContext({ threads: 1, contextSize: 256, experimentalKvCacheKeyType: "F32", experimentalKvCacheValueType: "F32", flashAttention: false });
  ours = await loadModel(MODEL);
  tmp = await mkdtemp(path.join(os.tmpdir(), "ft-forward-"));
});

after(async () => {
  await context?.dispose();
  await model?.dispose();
  await llama?.dispose();
  if (tmp) await rm(tmp, { recursive: true, force: true });
});

function softmax(row: Float32Array | Float64Array) {
  let max = -Infinity;
  for (const x of row) max = Math.max(max, x);
  let s = 0;
  for (const x of row) s += Math.exp(x - max);
  return Array.from(row, (x) => Math.exp(x - max) / s);
}

/** llama.cpp's next-token distribution after every token of `tokens`. */
async function llamaCppProbabilities(tokens: Token[]) {
  const seq = context.getSequence();
  try {
    const out = await seq.controlledEvaluate(tokens.map((t) => [t, { generateNext: { probabilities: true } }]));
    return out.map((o) => o!.next.probabilities!);
  } finally {
    seq.dispose();
  }
}

const TEXTS = [
  "Once upon a time, there was a little girl named Lily. She loved to play outside",
  "The cat sat on the mat and looked at the big red ball.",
  "User: What color is the sky?\nBot: The sky is blue.",
];

describe("forward pass equals llama.cpp on stories260K", () => {
  for (const text of TEXTS) {
    test(`top-5 next-token probabilities: ${JSON.stringify(text.slice(0, 30))}…`, async () => {
      const tokens = [1, ...model.tokenize(text)] as Token[];
      const ref = await llamaCppProbabilities(tokens);
      const logits = new LlamaCompute(ours.layout, ours.params).logitsAll(Int32Array.from(tokens));
      const V = ours.layout.config.vocab;
      let maxDiff = 0;
      for (let t = 0; t < tokens.length; t++) {
        const mine = softmax(logits.subarray(t * V, (t + 1) * V));
        const top = [...ref[t].entries()].slice(0, 5);
        for (const [tok, p] of top) maxDiff = Math.max(maxDiff, Math.abs(mine[tok] - p));
        // Same argmax (unless llama.cpp's top two are within the tolerance).
        const argmax = mine.indexOf(Math.max(...mine));
        if (top[0][1] - top[1][1] > 1e-3) assert.equal(argmax, top[0][0], `argmax at position ${t}`);
      }
      console.log(`  ${tokens.length} positions, max |Δp| over llama.cpp's top 5: ${maxDiff.toExponential(2)}`);
      assert.ok(maxDiff < 1e-4, `max probability difference ${maxDiff}`);
    });
  }

  test("greedy generation for 30 tokens gives llama.cpp's tokens", async () => {
    const prompt = [1, ...model.tokenize("Once upon a time")] as Token[];
    const seq = context.getSequence();
    const theirs: number[] = [];
    try {
      for await (const tok of seq.evaluate(prompt, { temperature: 0 })) {
        theirs.push(tok);
        if (theirs.length >= 30) break;
      }
    } finally {
      seq.dispose();
    }
    const compute = new LlamaCompute(ours.layout, ours.params);
    const V = ours.layout.config.vocab;
    const mine: number[] = [];
    const toks = [...prompt] as number[];
    for (let i = 0; i < 30; i++) {
      const logits = compute.logitsAll(Int32Array.from(toks));
      const last = logits.subarray((toks.length - 1) * V, toks.length * V);
      let arg = 0;
      for (let v = 1; v < V; v++) if (last[v] > last[arg]) arg = v;
      mine.push(arg);
      toks.push(arg);
    }
    console.log(`  greedy: ${JSON.stringify(model.detokenize(mine as Token[]))}`);
    assert.deepEqual(mine, theirs);
  });

  test("rope pairs adjacent dims (NORM): the NEOX pairing does not match llama.cpp", async () => {
    const tokens = [1, ...model.tokenize(TEXTS[0])] as Token[];
    const ref = await llamaCppProbabilities(tokens);
    const layout = { ...ours.layout, config: { ...ours.layout.config, ropeStyle: "neox" as const } };
    const logits = new LlamaCompute(layout, ours.params).logitsAll(Int32Array.from(tokens));
    const V = ours.layout.config.vocab;
    let maxDiff = 0;
    for (let t = 0; t < tokens.length; t++) {
      const mine = softmax(logits.subarray(t * V, (t + 1) * V));
      for (const [tok, p] of [...ref[t].entries()].slice(0, 5)) maxDiff = Math.max(maxDiff, Math.abs(mine[tok] - p));
    }
    assert.ok(maxDiff > 0.1, `NEOX unexpectedly matched (max diff ${maxDiff})`);
  });
});

describe("GGUF reader/writer", () => {
  test("writing the loaded model back gives the original file byte for byte", async () => {
    const out = path.join(tmp, "copy.gguf");
    await saveModel(out, ours, ours.params);
    const [a, b] = await Promise.all([readFile(out), readFile(MODEL)]);
    const sha = (x: Buffer) => createHash("sha256").update(x).digest("hex");
    assert.equal(sha(a), sha(b));
  });

  test("readModelShape reads the header", async () => {
    const shape = await readModelShape(MODEL);
    assert.equal(shape.architecture, "llama");
    assert.equal(shape.vocab, 512);
    assert.equal(shape.contextLength, ours.layout.config.contextLength);
    assert.ok(shape.parameters > 250_000 && shape.parameters < 300_000, String(shape.parameters));
    const c = ours.layout.config;
    assert.deepEqual([c.dim, c.nLayers, c.nHeads, c.nKvHeads, c.headDim, c.ffn], [64, 5, 8, 4, 8, 172]);
    assert.equal(c.ropeBase, 10000);
    assert.ok(Math.abs(c.eps - 1e-5) < 1e-9);
  });

  test("readModelShape rejects non-GGUF files and other architectures clearly", async () => {
    const junk = path.join(tmp, "junk.gguf");
    await writeFile(junk, "this is not a model, just some text that is long enough");
    await assert.rejects(readModelShape(junk), /not a GGUF file/);
    // Same file with general.architecture = "gpt2".
    const bytes = await readFile(MODEL);
    const i = bytes.indexOf(Buffer.from("general.architecture"));
    const patched = Buffer.from(bytes);
    // value: u32 type (8), u64 length (5), "llama" → "gpt2x" keeps the layout
    const at = patched.indexOf(Buffer.from("llama"), i);
    patched.write("gpt2x", at, "latin1");
    const other = path.join(tmp, "other.gguf");
    await writeFile(other, patched);
    await assert.rejects(readModelShape(other), /unsupported model architecture "gpt2x"/);
  });
});
