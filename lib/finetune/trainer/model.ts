// The llama architecture as llama.cpp runs it (LLM_ARCH_LLAMA, rope type NORM), forward and
// backward, by hand on Float32Arrays. One `LlamaCompute` works on one sequence at a time; data
// parallelism over the examples of a batch happens one level up (worker.ts / train.ts).
//
// Per block (x is the residual stream, one row of `dim` floats per token):
//   a = rmsnorm(x) ⊙ attn_norm
//   q = a·Wqᵀ, k = a·Wkᵀ, v = a·Wvᵀ, then RoPE on q and k (adjacent pairs (2i, 2i+1) of each head)
//   o_h = Σ_j softmax_j(q_h·k_g(j) / √head_dim, j ≤ t) v_g(j)   (GQA: query head h uses kv head
//         g = ⌊h / (n_head / n_head_kv)⌋, as ggml's broadcast in mul_mat does)
//   x = x + o·Woᵀ
//   b = rmsnorm(x) ⊙ ffn_norm
//   x = x + (silu(b·W_gateᵀ) ⊙ (b·W_upᵀ))·W_downᵀ
// then logits = (rmsnorm(x) ⊙ output_norm)·W_outᵀ (W_out = token_embd when `output` is absent).
//
// Weight layout: GGUF ne=[in,out] is `out` rows of `in` contiguous floats, y[o] = Σ_i W[o·in+i]·x[i].

import { matmulABt, rmsNormBackward, rmsNormForward, transpose, type FArray } from "./kernels";
import { getNumber, getString, tensorElements, type GgufHeader } from "./gguf";

export type LlamaConfig = {
  dim: number;
  nLayers: number;
  nHeads: number;
  nKvHeads: number;
  headDim: number;
  ffn: number;
  vocab: number;
  eps: number;
  ropeBase: number;
  /** Leading dimensions of each head that are rotated (llama: all of them). */
  ropeDims: number;
  /** 1 / linear rope scaling factor. */
  ropeFreqScale: number;
  contextLength: number;
  /** No `output.weight`: the output projection is token_embd. */
  tied: boolean;
  /**
   * Which dims RoPE pairs up: "norm" = adjacent (2i, 2i+1), what llama.cpp uses for LLM_ARCH_LLAMA
   * (the HF converter permutes Q/K so this is right); "neox" = (i, i + n/2), kept only so the
   * tests can show that it does *not* reproduce llama.cpp.
   */
  ropeStyle: "norm" | "neox";
};

export type TensorSlot = {
  name: string;
  dims: number[];
  /** Offset (in floats) in the flat parameter vector. */
  offset: number;
  size: number;
  /** Matrices get weight decay; norm vectors do not. */
  decay: boolean;
  /** rows × cols of the matrix (rows = dims[1] = out, cols = dims[0] = in); 1 × n for vectors. */
  rows: number;
  cols: number;
};

export type LayerOffsets = {
  attnNorm: number; wq: number; wk: number; wv: number; wo: number;
  ffnNorm: number; wGate: number; wUp: number; wDown: number;
};

export type ModelLayout = {
  config: LlamaConfig;
  /** Trainable tensors in GGUF order, packed into one flat Float32 vector. */
  tensors: TensorSlot[];
  nParams: number;
  tokEmbd: number;
  outNorm: number;
  output: number;
  layers: LayerOffsets[];
  /** Tensors that are carried along unchanged (llama3 rope_freqs), by name. */
  frozen: string[];
  /** Per-pair rope frequency divisors (rope_freqs.weight), when the model has them. */
  ropeFreqFactors?: Float32Array;
};

export class UnsupportedModelError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UnsupportedModelError";
  }
}

/** Reads and validates the llama hyper-parameters from GGUF metadata. */
export function configFromHeader(h: GgufHeader): LlamaConfig {
  const arch = getString(h.kv, "general.architecture");
  if (arch !== "llama") {
    throw new UnsupportedModelError(`unsupported model architecture "${arch ?? "(none)"}": only llama-architecture GGUF models can be fine-tuned locally`);
  }
  const n = (key: string, fallback?: number) => {
    const v = getNumber(h.kv, `llama.${key}`);
    if (v === undefined) {
      if (fallback === undefined) throw new UnsupportedModelError(`GGUF metadata llama.${key} is missing`);
      return fallback;
    }
    return v;
  };
  if (n("expert_count", 0) > 0) throw new UnsupportedModelError("mixture-of-experts llama models are not supported");
  const dim = n("embedding_length");
  const nHeads = n("attention.head_count");
  const nKvHeads = n("attention.head_count_kv", nHeads);
  const headDim = n("attention.key_length", dim / nHeads);
  if (!Number.isInteger(headDim) || headDim * nHeads !== dim || n("attention.value_length", headDim) !== headDim) {
    throw new UnsupportedModelError("unsupported attention shape (head_dim × head_count must equal embedding_length)");
  }
  if (nHeads % nKvHeads !== 0) throw new UnsupportedModelError("head_count must be a multiple of head_count_kv");
  const embd = h.tensors.find((t) => t.name === "token_embd.weight");
  if (!embd) throw new UnsupportedModelError("token_embd.weight is missing");
  const vocab = embd.dims[1];
  const ropeDims = n("rope.dimension_count", headDim);
  if (ropeDims > headDim || ropeDims % 2) throw new UnsupportedModelError(`unsupported rope.dimension_count ${ropeDims}`);
  const scalingType = getString(h.kv, "llama.rope.scaling.type");
  let ropeFreqScale = 1;
  if (scalingType && scalingType !== "none") {
    if (scalingType !== "linear") throw new UnsupportedModelError(`unsupported rope scaling "${scalingType}"`);
    ropeFreqScale = 1 / n("rope.scaling.factor", 1);
  }
  return {
    dim,
    nLayers: n("block_count"),
    nHeads,
    nKvHeads,
    headDim,
    ffn: n("feed_forward_length"),
    vocab,
    eps: n("attention.layer_norm_rms_epsilon", 1e-5),
    ropeBase: n("rope.freq_base", 10000),
    ropeDims,
    ropeFreqScale,
    contextLength: n("context_length", 2048),
    tied: !h.tensors.some((t) => t.name === "output.weight"),
    ropeStyle: "norm",
  };
}

/** Checks every tensor's name and shape and packs the trainable ones into a flat layout. */
export function buildLayout(h: GgufHeader): ModelLayout {
  const c = configFromHeader(h);
  const kvDim = c.nKvHeads * c.headDim;
  const expected = new Map<string, number[]>();
  expected.set("token_embd.weight", [c.dim, c.vocab]);
  expected.set("output_norm.weight", [c.dim]);
  if (!c.tied) expected.set("output.weight", [c.dim, c.vocab]);
  for (let l = 0; l < c.nLayers; l++) {
    const p = `blk.${l}.`;
    expected.set(p + "attn_norm.weight", [c.dim]);
    expected.set(p + "attn_q.weight", [c.dim, c.nHeads * c.headDim]);
    expected.set(p + "attn_k.weight", [c.dim, kvDim]);
    expected.set(p + "attn_v.weight", [c.dim, kvDim]);
    expected.set(p + "attn_output.weight", [c.nHeads * c.headDim, c.dim]);
    expected.set(p + "ffn_norm.weight", [c.dim]);
    expected.set(p + "ffn_gate.weight", [c.dim, c.ffn]);
    expected.set(p + "ffn_up.weight", [c.dim, c.ffn]);
    expected.set(p + "ffn_down.weight", [c.ffn, c.dim]);
  }
  const tensors: TensorSlot[] = [];
  const frozen: string[] = [];
  let offset = 0;
  for (const t of h.tensors) {
    if (t.name === "rope_freqs.weight") {
      frozen.push(t.name);
      continue;
    }
    const want = expected.get(t.name);
    if (!want) throw new UnsupportedModelError(`unsupported tensor ${t.name} in a llama model`);
    const dims = t.dims.length > 1 && t.dims.slice(1).every((d) => d === 1) && want.length === 1 ? [t.dims[0]] : t.dims;
    if (dims.length !== want.length || dims.some((d, i) => d !== want[i])) {
      throw new UnsupportedModelError(`tensor ${t.name} has shape [${t.dims}], expected [${want}]`);
    }
    const size = tensorElements(t);
    tensors.push({
      name: t.name,
      dims: t.dims,
      offset,
      size,
      decay: want.length === 2,
      rows: want.length === 2 ? want[1] : 1,
      cols: want[0],
    });
    offset += size;
    expected.delete(t.name);
  }
  if (expected.size) throw new UnsupportedModelError(`missing tensors: ${[...expected.keys()].slice(0, 5).join(", ")}`);
  const at = (name: string) => tensors.find((t) => t.name === name)!.offset;
  const layers: LayerOffsets[] = [];
  for (let l = 0; l < c.nLayers; l++) {
    const p = `blk.${l}.`;
    layers.push({
      attnNorm: at(p + "attn_norm.weight"),
      wq: at(p + "attn_q.weight"),
      wk: at(p + "attn_k.weight"),
      wv: at(p + "attn_v.weight"),
      wo: at(p + "attn_output.weight"),
      ffnNorm: at(p + "ffn_norm.weight"),
      wGate: at(p + "ffn_gate.weight"),
      wUp: at(p + "ffn_up.weight"),
      wDown: at(p + "ffn_down.weight"),
    });
  }
  return {
    config: c,
    tensors,
    nParams: offset,
    tokEmbd: at("token_embd.weight"),
    outNorm: at("output_norm.weight"),
    output: c.tied ? at("token_embd.weight") : at("output.weight"),
    layers,
    frozen,
  };
}

export type ExampleResult = {
  /** Σ over target tokens of −log p(target) (float64). */
  lossSum: number;
  /** Target tokens whose argmax prediction was right. */
  correct: number;
  /** Number of target tokens. */
  count: number;
};

/** Per-layer activations kept for the backward pass. */
type LayerActs = {
  xIn: FArray; rAtt: FArray; aN: FArray;
  q: FArray; k: FArray; v: FArray; probs: FArray; att: FArray;
  xMid: FArray; rFfn: FArray; bN: FArray;
  gate: FArray; up: FArray; hid: FArray;
};

/**
 * Forward/backward for one sequence on a flat parameter vector. Holds the activation buffers
 * (grown to the longest sequence seen) and a transposed copy of the weight matrices, refreshed
 * when the caller says the weights changed (`setWeightsVersion`).
 */
export class LlamaCompute {
  readonly c: LlamaConfig;
  private maxT = 0;
  private acts: LayerActs[] = [];
  private xOut: FArray = new Float32Array(0);
  private ropeCos = new Float64Array(0);
  private ropeSin = new Float64Array(0);
  private ropeT = 0;
  /** Wᵀ of every matrix, at the same offsets as in params (vectors unused). */
  private wt: FArray | null = null;
  private wtVersion = -1;
  private version = 0;
  // scratch
  private s: Record<string, FArray> = {};
  private s64: Record<string, Float64Array> = {};

  /** Float32 normally; Float64 when the parameters are (used by the gradient check). */
  private readonly alloc: (n: number) => FArray;

  constructor(readonly layout: ModelLayout, readonly params: FArray) {
    this.c = layout.config;
    this.alloc = params instanceof Float64Array ? (n) => new Float64Array(n) : (n) => new Float32Array(n);
  }

  /** Marks the weights as changed, so the transposed copies are rebuilt before the next backward. */
  setWeightsVersion(v: number) {
    this.version = v;
  }

  private view(offset: number, size: number) {
    return this.params.subarray(offset, offset + size);
  }

  private scratch(name: string, n: number) {
    let a = this.s[name];
    if (!a || a.length < n) a = this.s[name] = this.alloc(n);
    return a;
  }
  private scratch64(name: string, n: number) {
    let a = this.s64[name];
    if (!a || a.length < n) a = this.s64[name] = new Float64Array(n);
    return a;
  }

  private ensureCapacity(T: number) {
    if (T <= this.maxT) return;
    const c = this.c;
    const T2 = Math.max(T, Math.min(c.contextLength, Math.ceil(this.maxT * 1.5)), 16);
    const qd = c.nHeads * c.headDim, kvd = c.nKvHeads * c.headDim;
    this.acts = [];
    for (let l = 0; l < c.nLayers; l++) {
      this.acts.push({
        xIn: this.alloc(T2 * c.dim), rAtt: this.alloc(T2), aN: this.alloc(T2 * c.dim),
        q: this.alloc(T2 * qd), k: this.alloc(T2 * kvd), v: this.alloc(T2 * kvd),
        probs: this.alloc(c.nHeads * T2 * T2), att: this.alloc(T2 * qd),
        xMid: this.alloc(T2 * c.dim), rFfn: this.alloc(T2), bN: this.alloc(T2 * c.dim),
        gate: this.alloc(T2 * c.ffn), up: this.alloc(T2 * c.ffn), hid: this.alloc(T2 * c.ffn),
      });
    }
    this.xOut = this.alloc(T2 * c.dim);
    this.maxT = T2;
  }

  private ensureRope(T: number) {
    if (T <= this.ropeT) return;
    const c = this.c;
    const half = c.ropeDims / 2;
    const T2 = Math.max(T, this.maxT);
    this.ropeCos = new Float64Array(T2 * half);
    this.ropeSin = new Float64Array(T2 * half);
    for (let p = 0; p < T2; p++) {
      for (let i = 0; i < half; i++) {
        let theta = p * c.ropeFreqScale * Math.pow(c.ropeBase, (-2 * i) / c.ropeDims);
        if (this.layout.ropeFreqFactors) theta /= this.layout.ropeFreqFactors[i];
        this.ropeCos[p * half + i] = Math.cos(theta);
        this.ropeSin[p * half + i] = Math.sin(theta);
      }
    }
    this.ropeT = T2;
  }

  /**
   * Rotates pairs of the first ropeDims dims of each head by θ_i = pos·base^(−2i/ropeDims):
   * adjacent pairs (2i, 2i+1) for rope type NORM (llama), (i, i+ropeDims/2) for NEOX.
   */
  private rope(x: FArray, T: number, nHeads: number, inverse: boolean) {
    const c = this.c, hd = c.headDim, half = c.ropeDims / 2;
    const sign = inverse ? -1 : 1; // the transpose of a rotation is the rotation by −θ
    const neox = c.ropeStyle === "neox";
    for (let t = 0; t < T; t++) {
      for (let h = 0; h < nHeads; h++) {
        const o = (t * nHeads + h) * hd;
        for (let i = 0; i < half; i++) {
          const cs = this.ropeCos[t * half + i], sn = sign * this.ropeSin[t * half + i];
          const i0 = neox ? o + i : o + 2 * i, i1 = neox ? o + i + half : o + 2 * i + 1;
          const x0 = x[i0], x1 = x[i1];
          x[i0] = x0 * cs - x1 * sn;
          x[i1] = x0 * sn + x1 * cs;
        }
      }
    }
  }

  private ensureTransposed() {
    if (this.wt && this.wtVersion === this.version) return;
    if (!this.wt) this.wt = this.alloc(this.layout.nParams);
    for (const t of this.layout.tensors) {
      if (t.rows > 1) transpose(this.wt.subarray(t.offset, t.offset + t.size), this.view(t.offset, t.size), t.rows, t.cols);
    }
    this.wtVersion = this.version;
  }

  /**
   * Runs the blocks over tokens[0..T) and leaves the final residual stream in this.xOut.
   * Keeps all activations for backward().
   */
  private forwardBlocks(tokens: Int32Array, T: number) {
    const c = this.c, D = c.dim, hd = c.headDim, H = c.nHeads, G = c.nKvHeads, F = c.ffn;
    const qd = H * hd, kvd = G * hd, group = H / G;
    const scale = 1 / Math.sqrt(hd);
    this.ensureCapacity(T);
    this.ensureRope(T);
    const emb = this.view(this.layout.tokEmbd, c.vocab * D);
    // x0 = token embeddings
    let x = this.acts.length ? this.acts[0].xIn : this.xOut;
    for (let t = 0; t < T; t++) {
      const tok = tokens[t];
      x.set(emb.subarray(tok * D, tok * D + D), t * D);
    }
    const tmpD = this.scratch("fwdTmpD", T * D);
    const scores = this.scratch64("scores", T);
    const acc = this.scratch64("attAcc", hd);
    for (let l = 0; l < c.nLayers; l++) {
      const L = this.layout.layers[l], A = this.acts[l];
      if (A.xIn !== x) A.xIn.set(x.subarray(0, T * D));
      rmsNormForward(A.aN, A.rAtt, A.xIn, this.view(L.attnNorm, D), T, D, c.eps);
      matmulABt(A.q, A.aN, this.view(L.wq, qd * D), T, qd, D);
      matmulABt(A.k, A.aN, this.view(L.wk, kvd * D), T, kvd, D);
      matmulABt(A.v, A.aN, this.view(L.wv, kvd * D), T, kvd, D);
      this.rope(A.q, T, H, false);
      this.rope(A.k, T, G, false);
      // causal softmax attention, per head and query position
      for (let h = 0; h < H; h++) {
        const g = Math.floor(h / group);
        const pBase = h * T * T;
        for (let t = 0; t < T; t++) {
          const qo = t * qd + h * hd;
          let max = -Infinity;
          for (let j = 0; j <= t; j++) {
            const ko = j * kvd + g * hd;
            let s = 0;
            for (let d = 0; d < hd; d++) s += A.q[qo + d] * A.k[ko + d];
            s *= scale;
            scores[j] = s;
            if (s > max) max = s;
          }
          let sum = 0;
          for (let j = 0; j <= t; j++) {
            const e = Math.exp(scores[j] - max);
            scores[j] = e;
            sum += e;
          }
          const inv = 1 / sum;
          const pRow = pBase + t * T;
          acc.fill(0, 0, hd);
          for (let j = 0; j <= t; j++) {
            const p = scores[j] * inv;
            A.probs[pRow + j] = p;
            const vo = j * kvd + g * hd;
            for (let d = 0; d < hd; d++) acc[d] += p * A.v[vo + d];
          }
          for (let d = 0; d < hd; d++) A.att[qo + d] = acc[d];
        }
      }
      // x = x + att·Woᵀ
      matmulABt(tmpD, A.att, this.view(L.wo, D * qd), T, D, qd);
      for (let i = 0; i < T * D; i++) A.xMid[i] = A.xIn[i] + tmpD[i];
      // FFN
      rmsNormForward(A.bN, A.rFfn, A.xMid, this.view(L.ffnNorm, D), T, D, c.eps);
      matmulABt(A.gate, A.bN, this.view(L.wGate, F * D), T, F, D);
      matmulABt(A.up, A.bN, this.view(L.wUp, F * D), T, F, D);
      for (let i = 0; i < T * F; i++) {
        const g = A.gate[i];
        A.hid[i] = (g / (1 + Math.exp(-g))) * A.up[i];
      }
      matmulABt(tmpD, A.hid, this.view(L.wDown, D * F), T, D, F);
      const next = l + 1 < c.nLayers ? this.acts[l + 1].xIn : this.xOut;
      for (let i = 0; i < T * D; i++) next[i] = A.xMid[i] + tmpD[i];
      x = next;
    }
    if (c.nLayers === 0) this.xOut.set(x.subarray(0, T * D));
  }

  /** Final norm + output projection for the given positions: logits (P × vocab). */
  private head(positions: Int32Array, P: number) {
    const c = this.c, D = c.dim, V = c.vocab;
    const xg = this.scratch("headX", P * D), xn = this.scratch("headXn", P * D), r = this.scratch("headR", P);
    for (let p = 0; p < P; p++) xg.set(this.xOut.subarray(positions[p] * D, positions[p] * D + D), p * D);
    rmsNormForward(xn, r, xg, this.view(this.layout.outNorm, D), P, D, c.eps);
    const logits = this.scratch("logits", P * V);
    matmulABt(logits, xn, this.view(this.layout.output, V * D), P, V, D);
    return { xg, xn, r, logits };
  }

  /** Logits for every position of `tokens` (T × vocab), for comparisons with llama.cpp. */
  logitsAll(tokens: Int32Array): FArray {
    const T = tokens.length;
    this.forwardBlocks(tokens, T);
    const pos = Int32Array.from({ length: T }, (_, i) => i);
    return this.head(pos, T).logits.slice(0, T * this.c.vocab);
  }

  /**
   * Loss (and, when `grad` is given, the gradient of `scale · Σ loss` written into `grad`) for one
   * example. targets[t] = 1 marks tokens[t] as a target predicted from tokens[..t-1].
   * Every element of `grad` is overwritten (it need not be zeroed).
   */
  run(tokens: Int32Array, targets: Uint8Array, scale: number, grad: FArray | null): ExampleResult {
    const c = this.c, V = c.vocab;
    // Only positions up to the last target matter.
    let last = 0;
    for (let t = tokens.length - 1; t >= 1; t--) if (targets[t]) { last = t; break; }
    if (last === 0) {
      if (grad) grad.fill(0);
      return { lossSum: 0, correct: 0, count: 0 };
    }
    const T = last; // positions 0..last-1 predict tokens 1..last
    let P = 0;
    for (let t = 1; t <= last; t++) if (targets[t]) P++;
    const positions = new Int32Array(P);
    for (let t = 1, p = 0; t <= last; t++) if (targets[t]) positions[p++] = t - 1;

    this.forwardBlocks(tokens, T);
    const { xg, xn, r, logits } = this.head(positions, P);

    // Cross-entropy, and dlogits = scale · (softmax − onehot) in place.
    let lossSum = 0, correct = 0;
    for (let p = 0; p < P; p++) {
      const o = p * V, target = tokens[positions[p] + 1];
      let max = -Infinity, arg = 0;
      for (let v = 0; v < V; v++) if (logits[o + v] > max) { max = logits[o + v]; arg = v; }
      let sum = 0;
      for (let v = 0; v < V; v++) sum += Math.exp(logits[o + v] - max);
      const lse = max + Math.log(sum);
      lossSum += lse - logits[o + target];
      if (arg === target) correct++;
      if (grad) {
        for (let v = 0; v < V; v++) logits[o + v] = Math.exp(logits[o + v] - lse) * scale;
        logits[o + target] -= scale;
      }
    }
    if (grad) this.backward(tokens, T, positions, P, { xg, xn, r, dlogits: logits }, grad);
    return { lossSum, correct, count: P };
  }

  private backward(
    tokens: Int32Array, T: number, positions: Int32Array, P: number,
    h: { xg: FArray; xn: FArray; r: FArray; dlogits: FArray },
    grad: FArray,
  ) {
    this.ensureTransposed();
    const wt = this.wt!;
    const c = this.c, D = c.dim, V = c.vocab, hd = c.headDim, H = c.nHeads, G = c.nKvHeads, F = c.ffn;
    const qd = H * hd, kvd = G * hd, group = H / G;
    const scale = 1 / Math.sqrt(hd);
    const lay = this.layout;
    const gview = (off: number, n: number) => grad.subarray(off, off + n);
    const wtv = (off: number, n: number) => wt.subarray(off, off + n);
    const maxN = Math.max(T, P) * Math.max(D, F, qd, V);
    const tA = this.scratch("tA", maxN), tB = this.scratch("tB", maxN);

    // ---- output projection: dW_out = dlogitsᵀ·xn ; dxn = dlogits·W_out
    transpose(tA, h.dlogits, P, V); // V × P
    transpose(tB, h.xn, P, D); // D × P
    matmulABt(gview(lay.output, V * D), tA, tB, V, D, P);
    const dxn = this.scratch("dxn", P * D);
    matmulABt(dxn, h.dlogits, wtv(lay.output, V * D), P, D, V);
    // ---- final norm (gathered rows), scattered back into the residual gradient
    const dxg = this.scratch("dxg", P * D);
    dxg.fill(0, 0, P * D);
    const dw64 = this.scratch64("dw64", Math.max(D, F));
    dw64.fill(0, 0, D);
    rmsNormBackward(dxg, dw64, dxn, h.xg, this.view(lay.outNorm, D), h.r, P, D);
    const gOutNorm = gview(lay.outNorm, D);
    for (let i = 0; i < D; i++) gOutNorm[i] = dw64[i];
    const dx = this.scratch("dx", T * D);
    dx.fill(0, 0, T * D);
    for (let p = 0; p < P; p++) {
      const o = positions[p] * D;
      for (let i = 0; i < D; i++) dx[o + i] += dxg[p * D + i];
    }

    const dTmpF = this.scratch("dTmpF", T * F), dGate = this.scratch("dGate", T * F), dUp = this.scratch("dUp", T * F);
    const dbN = this.scratch("dbN", T * D), dTmpD = this.scratch("dTmpD", T * D);
    const dAtt = this.scratch("dAtt", T * qd), dq = this.scratch("dq", T * qd);
    const dk = this.scratch("dk", T * kvd), dv = this.scratch("dv", T * kvd);
    const dq64 = this.scratch64("dq64", T * qd), dk64 = this.scratch64("dk64", T * kvd), dv64 = this.scratch64("dv64", T * kvd);
    const dp = this.scratch64("dp", T);

    for (let l = c.nLayers - 1; l >= 0; l--) {
      const L = lay.layers[l], A = this.acts[l];
      // dx currently holds d(loss)/d(x_out of block l) = d/d(xMid) of the FFN residual branch.
      // ---- FFN: out = xMid + hid·W_downᵀ
      transpose(tA, dx, T, D); // D × T
      transpose(tB, A.hid, T, F); // F × T
      matmulABt(gview(L.wDown, D * F), tA, tB, D, F, T);
      matmulABt(dTmpF, dx, wtv(L.wDown, D * F), T, F, D); // dhid
      for (let i = 0; i < T * F; i++) {
        const g = A.gate[i], sg = 1 / (1 + Math.exp(-g)), dh = dTmpF[i];
        dUp[i] = dh * g * sg; // ∂hid/∂up = silu(g)
        dGate[i] = dh * A.up[i] * sg * (1 + g * (1 - sg)); // silu'(g) = σ(g)(1 + g(1 − σ(g)))
      }
      transpose(tB, A.bN, T, D); // D × T
      transpose(tA, dGate, T, F); // F × T
      matmulABt(gview(L.wGate, F * D), tA, tB, F, D, T);
      transpose(tA, dUp, T, F);
      matmulABt(gview(L.wUp, F * D), tA, tB, F, D, T);
      matmulABt(dbN, dGate, wtv(L.wGate, F * D), T, D, F);
      matmulABt(dTmpD, dUp, wtv(L.wUp, F * D), T, D, F);
      for (let i = 0; i < T * D; i++) dbN[i] += dTmpD[i];
      dw64.fill(0, 0, D);
      rmsNormBackward(dx, dw64, dbN, A.xMid, this.view(L.ffnNorm, D), A.rFfn, T, D); // dx += norm path
      const gFfnNorm = gview(L.ffnNorm, D);
      for (let i = 0; i < D; i++) gFfnNorm[i] = dw64[i];

      // ---- attention output: xMid = xIn + att·Woᵀ
      transpose(tA, dx, T, D); // D × T
      transpose(tB, A.att, T, qd); // qd × T
      matmulABt(gview(L.wo, D * qd), tA, tB, D, qd, T);
      matmulABt(dAtt, dx, wtv(L.wo, D * qd), T, qd, D);

      // ---- attention core. With p = softmax(s), s_j = scale·q·k_j, o = Σ p_j v_j:
      //   dv_j += p_j do ; dp_j = do·v_j ; ds_j = p_j (dp_j − Σ_i p_i dp_i)
      //   dq += scale Σ_j ds_j k_j ; dk_j += scale ds_j q
      dq64.fill(0, 0, T * qd);
      dk64.fill(0, 0, T * kvd);
      dv64.fill(0, 0, T * kvd);
      for (let hh = 0; hh < H; hh++) {
        const g = Math.floor(hh / group);
        const pBase = hh * T * T;
        for (let t = 0; t < T; t++) {
          const qo = t * qd + hh * hd, pRow = pBase + t * T;
          let dot = 0;
          for (let j = 0; j <= t; j++) {
            const vo = j * kvd + g * hd, p = A.probs[pRow + j];
            let s = 0;
            for (let d = 0; d < hd; d++) {
              s += dAtt[qo + d] * A.v[vo + d];
              dv64[vo + d] += p * dAtt[qo + d];
            }
            dp[j] = s;
            dot += p * s;
          }
          for (let j = 0; j <= t; j++) {
            const ds = A.probs[pRow + j] * (dp[j] - dot) * scale;
            const ko = j * kvd + g * hd;
            for (let d = 0; d < hd; d++) {
              dq64[qo + d] += ds * A.k[ko + d];
              dk64[ko + d] += ds * A.q[qo + d];
            }
          }
        }
      }
      for (let i = 0; i < T * qd; i++) dq[i] = dq64[i];
      for (let i = 0; i < T * kvd; i++) { dk[i] = dk64[i]; dv[i] = dv64[i]; }
      // RoPE backward (A.q / A.k hold the rotated values, which is what the scores used).
      this.rope(dq, T, H, true);
      this.rope(dk, T, G, true);

      // ---- q/k/v projections: dW = dᵀ·aN ; daN = dq·Wq + dk·Wk + dv·Wv
      transpose(tB, A.aN, T, D); // D × T
      transpose(tA, dq, T, qd);
      matmulABt(gview(L.wq, qd * D), tA, tB, qd, D, T);
      transpose(tA, dk, T, kvd);
      matmulABt(gview(L.wk, kvd * D), tA, tB, kvd, D, T);
      transpose(tA, dv, T, kvd);
      matmulABt(gview(L.wv, kvd * D), tA, tB, kvd, D, T);
      matmulABt(dbN, dq, wtv(L.wq, qd * D), T, D, qd);
      matmulABt(dTmpD, dk, wtv(L.wk, kvd * D), T, D, kvd);
      for (let i = 0; i < T * D; i++) dbN[i] += dTmpD[i];
      matmulABt(dTmpD, dv, wtv(L.wv, kvd * D), T, D, kvd);
      for (let i = 0; i < T * D; i++) dbN[i] += dTmpD[i];
      dw64.fill(0, 0, D);
      rmsNormBackward(dx, dw64, dbN, A.xIn, this.view(L.attnNorm, D), A.rAtt, T, D);
      const gAttNorm = gview(L.attnNorm, D);
      for (let i = 0; i < D; i++) gAttNorm[i] = dw64[i];
    }

    // ---- token embeddings: scatter-add dx rows. With tied weights the output projection's
    // gradient is already in this tensor; otherwise start from zero.
    const gEmb = gview(lay.tokEmbd, V * D);
    if (!c.tied) gEmb.fill(0);
    for (let t = 0; t < T; t++) {
      const o = tokens[t] * D;
      for (let i = 0; i < D; i++) gEmb[o + i] += dx[t * D + i];
    }
  }
}
