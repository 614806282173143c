// Finite-difference check of the hand-written backward pass. The same LlamaCompute code runs on
// Float64Arrays here, so central differences are accurate to ~1e-9 and any real mistake shows.

import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { writeRandomLlama } from "@/lib/finetune/trainer";
import { LlamaCompute } from "@/lib/finetune/trainer/model";
import { Rng } from "@/lib/finetune/trainer/rng";
import { loadModel, type LoadedModel } from "@/lib/finetune/trainer/weights";

const MODEL = process.env.TEST_GGUF ?? path.resolve("../shared/models/stories260K.gguf");

let tmp: string;
before(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), "ft-grad-"));
});
after(async () => {
  if (tmp) await rm(tmp, { recursive: true, force: true });
});

/** Checks `perTensor` random coordinates of every tensor; returns the worst relative error by tensor. */
function gradCheck(m: LoadedModel, tokens: Int32Array, targets: Uint8Array, perTensor: number, onlyLayer?: number) {
  const params = Float64Array.from(m.params);
  const compute = new LlamaCompute(m.layout, params);
  const grad = new Float64Array(m.layout.nParams);
  const scale = 0.37; // any scale: the gradient is of scale·Σloss
  compute.run(tokens, targets, scale, grad);
  const rng = new Rng(7);
  const worst: Record<string, number> = {};
  for (const t of m.layout.tensors) {
    const layer = /^blk\.(\d+)\./.exec(t.name);
    if (layer && onlyLayer !== undefined && Number(layer[1]) !== onlyLayer) continue;
    let w = 0;
    for (let k = 0; k < perTensor; k++) {
      let idx = t.offset + rng.int(t.size);
      // Embedding rows of tokens not in the sequence have zero gradient: pick used rows.
      if (t.name === "token_embd.weight") idx = t.offset + tokens[rng.int(tokens.length - 1)] * t.cols + rng.int(t.cols);
      const orig = params[idx];
      const h = 1e-4 * Math.max(0.1, Math.abs(orig));
      params[idx] = orig + h;
      const lp = compute.run(tokens, targets, scale, null).lossSum;
      params[idx] = orig - h;
      const lm = compute.run(tokens, targets, scale, null).lossSum;
      params[idx] = orig;
      const fd = ((lp - lm) / (2 * h)) * scale;
      const an = grad[idx];
      const rel = Math.abs(fd - an) / Math.max(1e-6, Math.abs(fd) + Math.abs(an));
      w = Math.max(w, rel);
    }
    const kind = t.name.replace(/^blk\.\d+\./, "blk.N.");
    worst[kind] = Math.max(worst[kind] ?? 0, w);
  }
  return worst;
}

describe("backward pass matches finite differences (float64)", () => {
  test("stories260K (GQA 8/4 heads, separate output matrix), every tensor kind", async () => {
    const m = await loadModel(MODEL);
    // A natural-ish sequence with targets on a suffix and one gap (targets[t] = 1: predict tokens[t]).
    const tokens = Int32Array.from([1, 403, 407, 261, 378, 300, 290, 500, 17, 45, 99, 300, 2]);
    const targets = Uint8Array.from([0, 0, 0, 1, 1, 1, 0, 1, 1, 1, 1, 1, 1]);
    const worst = gradCheck(m, tokens, targets, 3, 2);
    for (const [kind, rel] of Object.entries(worst)) console.log(`  ${kind.padEnd(26)} ${rel.toExponential(2)}`);
    for (const kind of ["token_embd.weight", "output_norm.weight", "output.weight", "blk.N.attn_norm.weight", "blk.N.attn_q.weight",
      "blk.N.attn_k.weight", "blk.N.attn_v.weight", "blk.N.attn_output.weight", "blk.N.ffn_norm.weight",
      "blk.N.ffn_gate.weight", "blk.N.ffn_up.weight", "blk.N.ffn_down.weight"]) {
      assert.ok(worst[kind] !== undefined, `checked ${kind}`);
      assert.ok(worst[kind] < 1e-4, `${kind}: relative error ${worst[kind]}`);
    }
  });

  test("a random model with tied embeddings (output = token_embd) and no GQA", async () => {
    const file = path.join(tmp, "tied.gguf");
    await writeRandomLlama(file, { templatePath: MODEL, dim: 32, layers: 2, heads: 4, ffn: 48, seed: 3, tied: true });
    const m = await loadModel(file);
    assert.equal(m.layout.config.tied, true);
    const rng = new Rng(11);
    const tokens = Int32Array.from({ length: 10 }, () => rng.int(512));
    const targets = Uint8Array.from([0, 1, 1, 1, 1, 0, 0, 1, 1, 1]);
    const worst = gradCheck(m, tokens, targets, 4);
    for (const [kind, rel] of Object.entries(worst)) console.log(`  ${kind.padEnd(26)} ${rel.toExponential(2)}`);
    for (const [kind, rel] of Object.entries(worst)) assert.ok(rel < 1e-4, `${kind}: relative error ${rel}`);
  });

  test("float32 run gives the same gradient to float32 precision", async () => {
    const m = await loadModel(MODEL);
    const tokens = Int32Array.from([1, 403, 407, 261, 378, 300, 290, 500, 17]);
    const targets = Uint8Array.from([0, 0, 1, 1, 1, 1, 1, 1, 1]);
    const g32 = new Float32Array(m.layout.nParams);
    const g64 = new Float64Array(m.layout.nParams);
    const r32 = new LlamaCompute(m.layout, m.params).run(tokens, targets, 1, g32);
    const r64 = new LlamaCompute(m.layout, Float64Array.from(m.params)).run(tokens, targets, 1, g64);
    assert.ok(Math.abs(r32.lossSum - r64.lossSum) < 1e-4 * r64.lossSum);
    let num = 0, den = 0;
    for (let i = 0; i < g64.length; i++) {
      num += (g32[i] - g64[i]) ** 2;
      den += g64[i] ** 2;
    }
    assert.ok(Math.sqrt(num / den) < 1e-4, `relative gradient difference ${Math.sqrt(num / den)}`);
  });
});
