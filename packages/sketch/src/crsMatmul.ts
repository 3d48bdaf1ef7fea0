import {
  assertInt,
  assertOneOf,
  InvalidArgumentError,
  Matrix,
  matmul,
  optionsObject,
  Rng,
  type Seed,
  ShapeError,
} from '@lr/core';
import { asDenseMatrix } from './_util.js';

/** Options of {@link crsMatmul}. */
export interface CrsMatmulOptions {
  /** Number of column–row pairs kept, integer in [1, n]. Required. */
  k: number;
  /** `'crs'` (plain column–row sampling) or `'wta-crs'` (winner-take-all, paper #20); default `'wta-crs'`. */
  method?: 'crs' | 'wta-crs';
  /** Seed (or an Rng); default 0. */
  seed?: Seed;
}

/** Result of {@link crsMatmul}. */
export interface CrsMatmulResult {
  /** The unbiased estimate of A·B (m×p). */
  product: Matrix;
  /**
   * Index of each kept column–row pair, length k: first the |C| deterministic ones
   * (WTA-CRS), then the k − |C| sampled ones (with repeats).
   */
  selected: Int32Array;
  /** Scale applied to each kept pair (1 for the deterministic ones), length k. */
  scales: Float64Array;
  /** pᵢ ∝ ‖A_{:,i}‖·‖B_{i,:}‖, length n, Σ p = 1. */
  probabilities: Float64Array;
  /** |C|, the number of pairs kept deterministically (0 for `'crs'`). */
  deterministic: number;
}

/**
 * Approximate matrix product by column–row sampling. With pᵢ ∝ ‖A_{:,i}‖·‖B_{i,:}‖
 * (Drineas–Kannan–Mahoney 2006, the variance-optimal i.i.d. distribution):
 *
 * - `'crs'`: k i.i.d. draws j₁…j_k, estimate (1/k)·Σₜ A_{:,jₜ}B_{jₜ,:}/p_{jₜ};
 * - `'wta-crs'` (Liu et al. 2023, paper #20): keep the top |C| pairs by pᵢ
 *   deterministically, with |C| = argmin_{0≤c<k} (1 − Σ_{top c} p)/(k − c), and sample the
 *   other k − |C| i.i.d. from the rest with probability pᵢ/(1 − p_C); estimate
 *   Σ_{i∈C} A_{:,i}B_{i,:} + ((1 − p_C)/(k − |C|))·Σₜ A_{:,jₜ}B_{jₜ,:}/p_{jₜ}.
 *
 * Both are unbiased; WTA-CRS has lower variance when p is concentrated. The product is one
 * GEMM of the m×k gathered columns by the k×p gathered rows.
 *
 * Defaults: `method` `'wta-crs'`, `seed` 0.
 *
 * @param A m×n dense matrix
 * @param B n×p dense matrix
 * @param options `k` (required), `method`, `seed`
 * @returns `{ product, selected, scales, probabilities, deterministic }`
 * @throws {ShapeError} `SHAPE_MISMATCH` if A.cols ≠ B.rows
 * @throws {InvalidArgumentError} `INVALID_ARGUMENT` for bad options, or A·B with all pᵢ = 0
 * @throws {NonFiniteError} `NON_FINITE` if an input holds NaN or ±∞
 * @example
 * import { randn } from '@lr/core';
 * import { crsMatmul } from '@lr/sketch';
 * const A = randn(20, 500, { seed: 1 });
 * const B = randn(500, 30, { seed: 2 });
 * const { product } = crsMatmul(A, B, { k: 100, method: 'wta-crs', seed: 3 }); // ≈ A·B
 */
export function crsMatmul(A: Matrix, B: Matrix, options: CrsMatmulOptions): CrsMatmulResult {
  const opts = optionsObject('options', options);
  const a = asDenseMatrix('A', A);
  const b = asDenseMatrix('B', B);
  if (a.cols !== b.rows) {
    throw new ShapeError(`crsMatmul: A is ${a.rows}×${a.cols} but B is ${b.rows}×${b.cols}`);
  }
  const n = a.cols;
  const k = assertInt('options.k', opts.k, 1, Math.max(1, n));
  const method = assertOneOf('options.method', opts.method ?? 'wta-crs', [
    'crs',
    'wta-crs',
  ] as const);
  const rng = Rng.from(opts.seed);

  const w = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let ca = 0;
    for (let r = 0; r < a.rows; r++) ca += a.get(r, i) ** 2;
    let rb = 0;
    for (let c = 0; c < b.cols; c++) rb += b.get(i, c) ** 2;
    w[i] = Math.sqrt(ca * rb);
  }
  let total = 0;
  for (let i = 0; i < n; i++) total += w[i]!;
  if (!(total > 0)) {
    throw new InvalidArgumentError('A, B: every column–row pair is zero; nothing to sample');
  }
  const { selected, scales, probabilities: p, deterministic: c } = crsSelect(w, k, method, rng);
  // product = A[:, sel]·diag(scales)·B[sel, :], one GEMM
  const Ak = new Matrix(new Float64Array(a.rows * k), a.rows, k);
  const Bk = new Matrix(new Float64Array(k * b.cols), k, b.cols);
  const used = selected.length;
  for (let t = 0; t < used; t++) {
    const i = selected[t]!;
    const s = scales[t]!;
    for (let r = 0; r < a.rows; r++) Ak.set(r, t, s * a.get(r, i));
    for (let q = 0; q < b.cols; q++) Bk.set(t, q, b.get(i, q));
  }
  return {
    product: matmul(Ak, Bk),
    selected: selected.subarray(0, used),
    scales: scales.subarray(0, used),
    probabilities: p,
    deterministic: c,
  };
}

/** Which pairs a column–row sampler keeps: see {@link crsSelect}. */
export interface CrsSelection {
  /** Kept indices, length k (or |C| when every weight lies in C): deterministic ones first. */
  selected: Int32Array;
  /** Scale of each kept index (1 for the deterministic ones). */
  scales: Float64Array;
  /** The normalized weights pᵢ. */
  probabilities: Float64Array;
  /** |C|, the number kept deterministically (0 for `'crs'`). */
  deterministic: number;
}

/**
 * The sampling step of {@link crsMatmul} on its own, for callers that know the weights
 * pᵢ before the product exists (e.g. a layer that keeps only the sampled activations for
 * its backward pass): normalizes `weights`, keeps the WTA-CRS top set C deterministically
 * and draws the other k − |C| i.i.d. from the rest, with the scales that make
 * Σₜ scaleₜ·X_{selectedₜ} an unbiased estimate of Σᵢ Xᵢ.
 * @throws {InvalidArgumentError} `INVALID_ARGUMENT` if k is out of range or all weights are 0
 * @example
 * const { selected, scales } = crsSelect(rowNorms, 32, 'wta-crs', new Rng(1));
 */
export function crsSelect(
  weights: ArrayLike<number>,
  k: number,
  method: 'crs' | 'wta-crs' = 'wta-crs',
  rng: Rng = new Rng(0),
): CrsSelection {
  const n = weights.length;
  assertInt('k', k, 1, Math.max(1, n));
  const p = new Float64Array(n);
  let total = 0;
  for (let i = 0; i < n; i++) {
    const v = weights[i]!;
    if (!(v >= 0) || !Number.isFinite(v)) {
      throw new InvalidArgumentError(`weights[${i}]: expected a finite number ≥ 0, got ${v}`);
    }
    p[i] = v;
    total += v;
  }
  if (!(total > 0)) throw new InvalidArgumentError('weights: all zero; nothing to sample');
  for (let i = 0; i < n; i++) p[i]! /= total;
  const selected = new Int32Array(k);
  const scales = new Float64Array(k);
  let c = 0;
  const inC = new Uint8Array(n);
  if (method === 'wta-crs') {
    const order = Array.from({ length: n }, (_, i) => i).sort((x, y) => p[y]! - p[x]! || x - y);
    let best = 1 / k;
    let bestC = 0;
    let mass = 0;
    for (let cc = 1; cc < k; cc++) {
      mass += p[order[cc - 1]!]!;
      const val = Math.max(0, 1 - mass) / (k - cc);
      if (val < best) {
        best = val;
        bestC = cc;
      }
    }
    c = bestC;
    for (let t = 0; t < c; t++) {
      const i = order[t]!;
      inC[i] = 1;
      selected[t] = i;
      scales[t] = 1;
    }
  }
  // Sample the remaining k − c from p restricted to the complement of C.
  const cdf = new Float64Array(n);
  let acc = 0;
  for (let i = 0; i < n; i++) {
    if (!inC[i]) acc += p[i]!;
    cdf[i] = acc;
  }
  const draws = k - c;
  if (!(acc > 0)) {
    return {
      selected: selected.slice(0, c),
      scales: scales.slice(0, c),
      probabilities: p,
      deterministic: c,
    };
  }
  for (let t = 0; t < draws; t++) {
    const u = rng.uniform() * acc;
    let lo = 0;
    let hi = n - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cdf[mid]! > u) hi = mid;
      else lo = mid + 1;
    }
    while ((p[lo] === 0 || inC[lo]) && lo > 0) lo--;
    selected[c + t] = lo;
    // (1 − p_C)/(k − c) · 1/pⱼ, with p_C = 0 for plain CRS
    scales[c + t] = acc / (draws * p[lo]!);
  }
  return { selected, scales, probabilities: p, deterministic: c };
}
