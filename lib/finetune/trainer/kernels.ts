// Dense kernels on Float32Arrays (or Float64Arrays: the gradient check runs the same code in
// float64). Every sum is accumulated in a JS number (float64) in a fixed
// order and rounded to float32 once when stored, so results are bit-for-bit reproducible. (The
// product of two float32 values is exact in float64, so these are also more accurate than a
// float32 BLAS.)

/**
 * out[r*nW + c] = Σ_k X[r*K + k] · W[c*K + k]   for r < nX, c < nW.
 *
 * Both operands are read along contiguous rows ("A·Bᵀ"), which is what every matrix product of the
 * model reduces to once the other operand is transposed:
 *   forward   Y[T,out]  = X[T,in] · W[out,in]ᵀ
 *   input grad dX[T,in] = dY[T,out] · (Wᵀ)[in,out]ᵀ
 *   weight grad dW[out,in] = (dYᵀ)[out,T] · (Xᵀ)[in,T]ᵀ
 * Register-blocked 4 rows of X × 2 rows of W (8 independent accumulators): ~3–4 GFLOP/s per core
 * in V8 against ~1 for the naive triple loop.
 */
export type FArray = Float32Array | Float64Array;

export function matmulABt(out: FArray, X: FArray, W: FArray, nX: number, nW: number, K: number) {
  let r = 0;
  for (; r + 3 < nX; r += 4) {
    const x0 = r * K, x1 = x0 + K, x2 = x1 + K, x3 = x2 + K;
    let c = 0;
    for (; c + 1 < nW; c += 2) {
      const w0 = c * K, w1 = w0 + K;
      let s00 = 0, s01 = 0, s10 = 0, s11 = 0, s20 = 0, s21 = 0, s30 = 0, s31 = 0;
      for (let k = 0; k < K; k++) {
        const a = W[w0 + k], b = W[w1 + k];
        const p = X[x0 + k], q = X[x1 + k], u = X[x2 + k], v = X[x3 + k];
        s00 += p * a; s01 += p * b;
        s10 += q * a; s11 += q * b;
        s20 += u * a; s21 += u * b;
        s30 += v * a; s31 += v * b;
      }
      const o = r * nW + c;
      out[o] = s00; out[o + 1] = s01;
      out[o + nW] = s10; out[o + nW + 1] = s11;
      out[o + 2 * nW] = s20; out[o + 2 * nW + 1] = s21;
      out[o + 3 * nW] = s30; out[o + 3 * nW + 1] = s31;
    }
    for (; c < nW; c++) {
      const w0 = c * K;
      let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
      for (let k = 0; k < K; k++) {
        const a = W[w0 + k];
        s0 += X[x0 + k] * a; s1 += X[x1 + k] * a; s2 += X[x2 + k] * a; s3 += X[x3 + k] * a;
      }
      out[r * nW + c] = s0; out[(r + 1) * nW + c] = s1; out[(r + 2) * nW + c] = s2; out[(r + 3) * nW + c] = s3;
    }
  }
  for (; r < nX; r++) {
    const x0 = r * K;
    let c = 0;
    for (; c + 1 < nW; c += 2) {
      const w0 = c * K, w1 = w0 + K;
      let s0 = 0, s1 = 0;
      for (let k = 0; k < K; k++) {
        const p = X[x0 + k];
        s0 += p * W[w0 + k]; s1 += p * W[w1 + k];
      }
      out[r * nW + c] = s0; out[r * nW + c + 1] = s1;
    }
    for (; c < nW; c++) {
      const w0 = c * K;
      let s = 0;
      for (let k = 0; k < K; k++) s += X[x0 + k] * W[w0 + k];
      out[r * nW + c] = s;
    }
  }
}

/** out[c*rows + r] = X[r*cols + c] (out is cols × rows). Blocked for cache friendliness. */
export function transpose(out: FArray, X: FArray, rows: number, cols: number) {
  const B = 32;
  for (let r0 = 0; r0 < rows; r0 += B) {
    const r1 = Math.min(rows, r0 + B);
    for (let c0 = 0; c0 < cols; c0 += B) {
      const c1 = Math.min(cols, c0 + B);
      for (let r = r0; r < r1; r++) {
        const xo = r * cols;
        for (let c = c0; c < c1; c++) out[c * rows + r] = X[xo + c];
      }
    }
  }
}

/**
 * RMSNorm over rows: y = x / sqrt(mean(x²) + eps) ⊙ w (llama.cpp's rms_norm followed by mul).
 * Stores the per-row inverse scale in rInv for the backward pass.
 */
export function rmsNormForward(y: FArray, rInv: FArray, x: FArray, w: FArray, T: number, D: number, eps: number) {
  for (let t = 0; t < T; t++) {
    const o = t * D;
    let ss = 0;
    for (let i = 0; i < D; i++) ss += x[o + i] * x[o + i];
    const r = 1 / Math.sqrt(ss / D + eps);
    rInv[t] = r;
    for (let i = 0; i < D; i++) y[o + i] = x[o + i] * r * w[i];
  }
}

/**
 * RMSNorm backward. With r = (mean(x²)+eps)^-½ and ĝ = dy ⊙ w:
 *   dx_i = r·ĝ_i − x_i · r³ · (Σ_j ĝ_j x_j) / D        dw_i += Σ_t dy_i x_i r
 * dx is added to dxAcc (the residual stream's gradient); dw is accumulated in float64.
 */
export function rmsNormBackward(
  dxAcc: FArray, dw64: Float64Array, dy: FArray, x: FArray, w: FArray,
  rInv: FArray, T: number, D: number,
) {
  for (let t = 0; t < T; t++) {
    const o = t * D;
    const r = rInv[t];
    let dot = 0;
    for (let i = 0; i < D; i++) dot += dy[o + i] * w[i] * x[o + i];
    const c = (dot * r * r * r) / D;
    for (let i = 0; i < D; i++) {
      const g = dy[o + i];
      dw64[i] += g * x[o + i] * r;
      dxAcc[o + i] += r * g * w[i] - x[o + i] * c;
    }
  }
}
