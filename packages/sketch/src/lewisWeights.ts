import {
  assertInt,
  assertNumber,
  checkAbort,
  InvalidArgumentError,
  Matrix,
  optionsObject,
  qr,
  UnsupportedError,
} from '@lr/core';
import { asDenseMatrix, rowNormsSquared } from './_util.js';

/** Progress of {@link lewisWeights}. */
export interface LewisWeightsProgress {
  iteration: number;
  /** max |wᵢ⁽ᵗ⁺¹⁾ − wᵢ⁽ᵗ⁾| / wᵢ⁽ᵗ⁾ of this step. */
  change: number;
}

/** Options of {@link lewisWeights}. */
export interface LewisWeightsOptions {
  /** The ℓp exponent, 0 < p < 4 (the range where the fixed point contracts); default 1. */
  p?: number;
  /**
   * Iteration cap; default 100. The map contracts by |1 − p/2| per step (Cohen–Peng 2015,
   * Lemma 3.4), so p = 1 or 3 gains one bit per iteration.
   */
  iterations?: number;
  /** Stop when the largest relative change of a weight is below this; default 1e-10. */
  tol?: number;
  /** Called after each iteration. */
  onProgress?: (info: LewisWeightsProgress) => void;
  /** Aborts with an `ABORTED` error. */
  signal?: AbortSignal;
}

/** Result of {@link lewisWeights}. */
export interface LewisWeightsResult {
  /** ℓp Lewis weights wᵢ, length n; Σ wᵢ = d for a full-rank A. */
  weights: Float64Array;
  /** Iterations performed. */
  iterations: number;
  /** True if the last relative change was below `tol`. */
  converged: boolean;
  /** The last relative change. */
  change: number;
}

/**
 * ℓp Lewis weights of the rows of A (Lewis 1978; Cohen & Peng 2015): the unique w > 0 with
 * wᵢ = (aᵢᵀ(AᵀW^{1−2/p}A)⁻¹aᵢ)^{p/2}, i.e. wᵢ is the leverage score of row i of
 * W^{1/2−1/p}·A. For p = 2 they are the leverage scores. Computed by the Cohen–Peng
 * fixed-point iteration wᵢ ← (wᵢ^{2/p−1}·τᵢ(W^{1/2−1/p}A))^{p/2}, each step one thin QR
 * (O(n·d²)), which converges for p < 4. Sampling rows ∝ wᵢ gives an ℓp subspace embedding
 * with O(d·log d) (p < 2) or O(d^{p/2}·log d) (p > 2) rows.
 *
 * Defaults: `p` 1, `iterations` 100, `tol` 1e-10.
 *
 * @param A n×d dense matrix, n ≥ d, full column rank
 * @param options see {@link LewisWeightsOptions}
 * @returns `{ weights, iterations, converged, change }`
 * @throws {UnsupportedError} `UNSUPPORTED` for p ≥ 4 (the iteration does not contract)
 * @throws {InvalidArgumentError} `INVALID_ARGUMENT` for bad options or n < d
 * @throws {NonFiniteError} `NON_FINITE` if an input holds NaN or ±∞
 * @throws {AbortedError} `ABORTED` when `signal` fires
 * @example
 * import { randn } from '@lr/core';
 * import { lewisWeights } from '@lr/sketch';
 * const { weights, converged } = lewisWeights(randn(300, 4, { seed: 1 }), { p: 1 });
 * // Σ weights ≈ 4, converged true
 */
export function lewisWeights(A: Matrix, options?: LewisWeightsOptions): LewisWeightsResult {
  const opts = optionsObject('options', options);
  const a = asDenseMatrix('A', A);
  const p = assertNumber('options.p', opts.p ?? 1, Number.MIN_VALUE);
  if (p >= 4) {
    throw new UnsupportedError(
      `options.p: the Cohen–Peng fixed point converges only for p < 4, got ${p}`,
    );
  }
  const maxIt = assertInt('options.iterations', opts.iterations ?? 100, 1);
  const tol = assertNumber('options.tol', opts.tol ?? 1e-10, 0);
  const n = a.rows;
  const d = a.cols;
  if (n < d) throw new InvalidArgumentError(`A: expected n ≥ d (a tall matrix), got ${n}×${d}`);
  let w = new Float64Array(n).fill(d / n);
  const B = new Matrix(new Float64Array(n * d), n, d);
  let change = Number.POSITIVE_INFINITY;
  let it = 0;
  while (it < maxIt) {
    checkAbort(opts.signal);
    const e = 0.5 - 1 / p;
    for (let i = 0; i < n; i++) {
      const f = w[i]! > 0 ? w[i]! ** e : 0;
      for (let j = 0; j < d; j++) B.set(i, j, f * a.get(i, j));
    }
    const tau = rowNormsSquared(qr(B).Q!);
    const next = new Float64Array(n);
    change = 0;
    for (let i = 0; i < n; i++) {
      // aᵢᵀ(AᵀW^{1−2/p}A)⁻¹aᵢ = τᵢ / wᵢ^{1−2/p}
      const v = w[i]! > 0 ? (tau[i]! * w[i]! ** (2 / p - 1)) ** (p / 2) : 0;
      next[i] = v;
      const c = w[i]! > 0 ? Math.abs(v - w[i]!) / w[i]! : 0;
      if (c > change) change = c;
    }
    w = next;
    it++;
    opts.onProgress?.({ iteration: it, change });
    if (change < tol) break;
  }
  return { weights: w, iterations: it, converged: change < tol, change };
}
