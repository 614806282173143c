// Random-initialized llama GGUF models of a chosen size (benchmarks, tests), reusing a template
// model's metadata (tokenizer included) with the dimensions replaced.

import { GgufType, readGgufHeader, setKv, writeGguf, type GgufKV, type GgufTensorOut } from "./gguf";
import { Rng } from "./rng";

export type RandomLlamaOptions = {
  /** A llama GGUF whose metadata (tokenizer etc.) is copied; its vocabulary size is kept. */
  templatePath: string;
  dim: number;
  layers: number;
  heads: number;
  kvHeads?: number;
  ffn: number;
  contextLength?: number;
  seed: number;
  /** Separate output matrix (default) or tied to token_embd. */
  tied?: boolean;
  name?: string;
};

/** Writes a random llama model (weights ~ N(0, 0.02²), residual projections scaled down, norms 1). */
export async function writeRandomLlama(outPath: string, o: RandomLlamaOptions): Promise<{ parameters: number }> {
  const template = await readGgufHeader(o.templatePath);
  const embd = template.tensors.find((t) => t.name === "token_embd.weight");
  if (!embd) throw new Error("template has no token_embd.weight");
  const vocab = embd.dims[1];
  const kvHeads = o.kvHeads ?? o.heads;
  const headDim = o.dim / o.heads;
  if (!Number.isInteger(headDim) || headDim % 2) throw new Error("dim / heads must be an even integer");
  let kv: GgufKV[] = template.kv;
  const u32 = (key: string, value: number) => (kv = setKv(kv, key, GgufType.UINT32, value));
  u32("llama.embedding_length", o.dim);
  u32("llama.block_count", o.layers);
  u32("llama.feed_forward_length", o.ffn);
  u32("llama.attention.head_count", o.heads);
  u32("llama.attention.head_count_kv", kvHeads);
  u32("llama.rope.dimension_count", headDim);
  u32("llama.context_length", o.contextLength ?? 512);
  kv = setKv(kv, "general.name", GgufType.STRING, o.name ?? `random-llama-${o.dim}x${o.layers}`);

  const rng = new Rng(o.seed);
  let parameters = 0;
  const tensors: GgufTensorOut[] = [];
  const mat = (name: string, inDim: number, outDim: number, std: number) => {
    const data = new Float32Array(inDim * outDim);
    for (let i = 0; i < data.length; i++) data[i] = rng.normal() * std;
    tensors.push({ name, dims: [inDim, outDim], data });
    parameters += data.length;
  };
  const ones = (name: string) => {
    tensors.push({ name, dims: [o.dim], data: new Float32Array(o.dim).fill(1) });
    parameters += o.dim;
  };
  const std = 0.02, resid = 0.02 / Math.sqrt(2 * o.layers);
  mat("token_embd.weight", o.dim, vocab, std);
  ones("output_norm.weight");
  if (!o.tied) mat("output.weight", o.dim, vocab, std);
  for (let l = 0; l < o.layers; l++) {
    const p = `blk.${l}.`;
    mat(p + "attn_q.weight", o.dim, o.dim, std);
    mat(p + "attn_k.weight", o.dim, kvHeads * headDim, std);
    mat(p + "attn_v.weight", o.dim, kvHeads * headDim, std);
    mat(p + "attn_output.weight", o.dim, o.dim, resid);
    ones(p + "attn_norm.weight");
    mat(p + "ffn_gate.weight", o.dim, o.ffn, std);
    mat(p + "ffn_down.weight", o.ffn, o.dim, resid);
    mat(p + "ffn_up.weight", o.dim, o.ffn, std);
    ones(p + "ffn_norm.weight");
  }
  await writeGguf(outPath, kv, tensors);
  return { parameters };
}
