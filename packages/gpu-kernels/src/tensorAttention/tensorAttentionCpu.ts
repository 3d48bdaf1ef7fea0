import { Matrix, optionsObject } from '@lr/core';
import { now } from '../runtime/_time.js';
import { type TensorAttentionArgs, tensorAttentionArgs } from './_args.js';

/** Options of {@link tensorAttentionCpu} (and of the GPU `tensorAttention`). */
export interface TensorAttentionOptions {
  /**
   * Score scale: A[i,(j,l)] = exp(scale·⟨Q_i, K1_j ∘ K2_l⟩). Default 1/d, the paper's
   * definition A = exp(Q·(K1 ⊘ K2)ᵀ / d) (Alman & Song 2024).
   */
  scale?: number;
}

/** Result of {@link tensorAttentionCpu}. */
export interface TensorAttentionResult {
  /** D⁻¹·A·(V1 ⊘ V2), float64 `nq × dv`. */
  output: Matrix;
  /** log D_i = log Σ_{j,l} A[i,(j,l)], length nq (D itself can overflow). */
  logNormalizer: Float64Array;
  /** Wall-clock seconds. */
  seconds: number;
}

/**
 * Exact kernel on validated operands: per query i, scores S[j,l] = scale·(Q_i ∘ K1_j)·K2_l
 * (an n1×d by d×n2 product), weights W = exp(S − max S), then
 * out_i[c] = Σ_j V1[j,c]·(W·V2)[j,c] / Σ W. O(nq·n1·n2·(d + dv)) time, O(n1·n2) memory.
 * @internal
 */
export function _tensorAttentionExact(a: TensorAttentionArgs): {
  out: Float64Array;
  logD: Float64Array;
} {
  const { q, k1, k2, v1, v2, nq, n1, n2, d, dv, scale } = a;
  const out = new Float64Array(nq * dv);
  const logD = new Float64Array(nq);
  const S = new Float64Array(n1 * n2);
  const qk = new Float64Array(d);
  const wv = new Float64Array(dv);
  for (let i = 0; i < nq; i++) {
    let mx = -Infinity;
    for (let j = 0; j < n1; j++) {
      for (let c = 0; c < d; c++) qk[c] = scale * q[i * d + c]! * k1[j * d + c]!;
      for (let l = 0; l < n2; l++) {
        let s = 0;
        for (let c = 0; c < d; c++) s += qk[c]! * k2[l * d + c]!;
        S[j * n2 + l] = s;
        if (s > mx) mx = s;
      }
    }
    let den = 0;
    const o = out.subarray(i * dv, (i + 1) * dv);
    for (let j = 0; j < n1; j++) {
      wv.fill(0);
      for (let l = 0; l < n2; l++) {
        const w = Math.exp(S[j * n2 + l]! - mx);
        den += w;
        for (let c = 0; c < dv; c++) wv[c] += w * v2[l * dv + c]!;
      }
      for (let c = 0; c < dv; c++) o[c] += v1[j * dv + c]! * wv[c]!;
    }
    for (let c = 0; c < dv; c++) o[c] /= den;
    logD[i] = mx + Math.log(den);
  }
  return { out, logD };
}

/**
 * Exact tensor (triple-wise) attention, the O(n³d) reference: for each query row i,
 *
 *   A[i,(j,l)] = exp(scale·⟨Q_i, K1_j ∘ K2_l⟩),   D_i = Σ_{j,l} A[i,(j,l)],
 *   out_i = D_i⁻¹ Σ_{j,l} A[i,(j,l)]·(V1_j ∘ V2_l)
 *
 * (∘ the entrywise product; in matrix form D⁻¹·exp(Q(K1 ⊘ K2)ᵀ/d)·(V1 ⊘ V2) with ⊘ the
 * column-wise Kronecker product — Alman & Song, "How to Capture Higher-order Correlations?
 * Generalizing Matrix Softmax Attention to Kronecker Computation", ICLR 2024). Stable: the
 * scores of row i are shifted by their maximum before exp. Key sets may differ in length
 * (K1/V1 n1 rows, K2/V2 n2 rows); the paper has n1 = n2 = nq = n and dv = d.
 *
 * @param Q queries `[nq, d]`
 * @param K1 first keys `[n1, d]`
 * @param K2 second keys `[n2, d]`
 * @param V1 first values `[n1, dv]`
 * @param V2 second values `[n2, dv]`
 * @param options `scale` (default 1/d)
 * @returns `output` (float64 `nq × dv`), `logNormalizer` (log D_i), `seconds`
 * @throws {ShapeError} `SHAPE_MISMATCH` if the shapes do not fit, d = 0, or n1 or n2 is 0
 * @throws {NonFiniteError} `NON_FINITE` if an operand holds NaN or ±Infinity
 * @throws {InvalidArgumentError} `INVALID_ARGUMENT` if an operand is not a Matrix or
 * `scale` is not finite
 * @example
 * import { Matrix } from '@lr/core';
 * const X = Matrix.from([[1, 0], [0, 1]]);
 * const r = tensorAttentionCpu(X, X, X, X, X);
 * // only (j,l) = (0,0) gives Q_0·(K1_j ∘ K2_l) ≠ 0; only (0,0) and (1,1) give V1_j ∘ V2_l ≠ 0
 * r.output.toArray()[0]; // [e^0.5 / (e^0.5 + 3), 1 / (e^0.5 + 3)] ≈ [0.3547, 0.2151]
 */
export function tensorAttentionCpu(
  Q: Matrix,
  K1: Matrix,
  K2: Matrix,
  V1: Matrix,
  V2: Matrix,
  options?: TensorAttentionOptions,
): TensorAttentionResult {
  const t0 = now();
  const opts = optionsObject('options', options);
  const a = tensorAttentionArgs(Q, K1, K2, V1, V2, opts.scale);
  const { out, logD } = _tensorAttentionExact(a);
  return {
    output: new Matrix(out, a.nq, a.dv),
    logNormalizer: logD,
    seconds: (now() - t0) / 1000,
  };
}
