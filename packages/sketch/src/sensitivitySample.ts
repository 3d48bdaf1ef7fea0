import {
  assertInt,
  assertNumber,
  assertOneOf,
  InvalidArgumentError,
  type Matrix,
  optionsObject,
  Rng,
  type Seed,
  ShapeError,
} from '@lr/core';
import { asDenseMatrix } from './_util.js';
import { leverageScores } from './leverageScores.js';
import { lewisWeights } from './lewisWeights.js';
import { lpSensitivities } from './lpSensitivities.js';

/** How {@link sensitivitySample} weighs the rows. */
export type SamplingMethod =
  | 'sensitivity'
  | 'lewis'
  | 'root-leverage'
  | 'leverage+sensitivity'
  | 'leverage'
  | 'uniform';

/** Options of {@link sensitivitySample}. */
export interface SensitivitySampleOptions {
  /** The ℓp exponent (0 < p < 4); default 1. */
  p?: number;
  /** Number of i.i.d. draws (with replacement), integer ≥ 1. Required. */
  samples: number;
  /**
   * Sampling distribution qᵢ ∝ …; default `'sensitivity'`:
   * - `'sensitivity'`: the sensitivity upper bounds of {@link lpSensitivities} (paper #4's
   *   ℓp sensitivity sampling);
   * - `'lewis'`: the ℓp Lewis weights (Cohen–Peng 2015);
   * - `'root-leverage'`: √τᵢ, τ the leverage scores (paper #4's root-leverage sampling for
   *   1 ≤ p < 2);
   * - `'leverage+sensitivity'`: ½·τᵢ/Στ + ½·sᵢ/Σs (paper #4's mix for p > 2);
   * - `'leverage'`: τᵢ; `'uniform'`: 1/n.
   * Ignored when `scores` is given.
   */
  method?: SamplingMethod;
  /** Nonnegative importance scores to sample by (length n), overriding `method`. */
  scores?: Float64Array;
  /** Seed (or an Rng); default 0. */
  seed?: Seed;
}

/** Result of {@link sensitivitySample}. */
export interface RowSample {
  /** Sampled row indices (length `samples`, with repeats). */
  rows: Int32Array;
  /**
   * Weight of each draw, 1/(samples·q_row): Σₖ weightsₖ·|a_{rowsₖ}ᵀx|^p is an unbiased
   * estimate of ‖A·x‖_p^p for every x. The sketched matrix is diag(weights^{1/p})·A[rows].
   */
  weights: Float64Array;
  /** The sampling distribution q, length n, Σ q = 1. */
  probabilities: Float64Array;
  /** The exponent p the weights are meant for. */
  p: number;
}

/**
 * Importance row sampling for ℓp subspace embeddings: draws `samples` rows i.i.d. from
 * q ∝ scores and weights each draw by 1/(samples·q), so ‖S·A·x‖_p^p is unbiased for
 * ‖A·x‖_p^p. Paper #4 (Woodruff & Yasuda 2023) shows sensitivity sampling needs about
 * 𝔖^{2/p} rows for 1 ≤ p < 2 and 𝔖^{2−2/p} for p > 2 (up to ε⁻² and log factors; see
 * {@link sensitivitySampleSize}), root-leverage sampling about d for 1 ≤ p < 2, and the
 * leverage+sensitivity mix about d^{2/p}·𝔖^{2−4/p} for p > 2.
 *
 * Defaults: `p` 1, `method` `'sensitivity'`, `seed` 0.
 *
 * @param A n×d dense matrix (n ≥ d, full column rank for score-based methods)
 * @param options see {@link SensitivitySampleOptions}; `samples` is required
 * @returns `{ rows, weights, probabilities, p }`
 * @throws {InvalidArgumentError} `INVALID_ARGUMENT` for bad options or scores that are negative, non-finite or all zero
 * @throws {ShapeError} `SHAPE_MISMATCH` if `scores` does not have length n
 * @example
 * import { randn } from '@lr/core';
 * import { sampleRows, sensitivitySample } from '@lr/sketch';
 * const A = randn(2000, 5, { seed: 1 });
 * const sample = sensitivitySample(A, { p: 1, samples: 300, seed: 2 });
 * const SA = sampleRows(A, sample); // 300×5, ‖SA·x‖₁ ≈ ‖A·x‖₁
 */
export function sensitivitySample(A: Matrix, options: SensitivitySampleOptions): RowSample {
  const opts = optionsObject('options', options);
  const a = asDenseMatrix('A', A);
  const n = a.rows;
  const p = assertNumber('options.p', opts.p ?? 1, Number.MIN_VALUE);
  const samples = assertInt('options.samples', opts.samples, 1);
  let scores: Float64Array;
  if (opts.scores !== undefined) {
    if (!(opts.scores instanceof Float64Array)) {
      throw new InvalidArgumentError('options.scores: expected a Float64Array');
    }
    if (opts.scores.length !== n) {
      throw new ShapeError(`options.scores: expected length ${n}, got ${opts.scores.length}`);
    }
    scores = opts.scores;
  } else {
    const method = assertOneOf('options.method', opts.method ?? 'sensitivity', [
      'sensitivity',
      'lewis',
      'root-leverage',
      'leverage+sensitivity',
      'leverage',
      'uniform',
    ] as const);
    scores = methodScores(a, p, method);
  }
  const q = normalize(scores);
  const cdf = new Float64Array(n);
  let acc = 0;
  for (let i = 0; i < n; i++) {
    acc += q[i]!;
    cdf[i] = acc;
  }
  const rng = Rng.from(opts.seed);
  const rows = new Int32Array(samples);
  const weights = new Float64Array(samples);
  for (let k = 0; k < samples; k++) {
    const u = rng.uniform() * acc;
    let lo = 0;
    let hi = n - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cdf[mid]! > u) hi = mid;
      else lo = mid + 1;
    }
    while (q[lo] === 0 && lo > 0) lo--; // never land on a zero-probability row
    rows[k] = lo;
    weights[k] = 1 / (samples * q[lo]!);
  }
  return { rows, weights, probabilities: q, p };
}

function methodScores(a: Matrix, p: number, method: SamplingMethod): Float64Array {
  const n = a.rows;
  switch (method) {
    case 'uniform':
      return new Float64Array(n).fill(1);
    case 'leverage':
      return leverageScores(a).scores;
    case 'root-leverage':
      return leverageScores(a).scores.map(Math.sqrt);
    case 'lewis':
      return p === 2 ? leverageScores(a).scores : lewisWeights(a, { p }).weights;
    case 'sensitivity':
      return lpSensitivities(a, { p }).scores;
    case 'leverage+sensitivity': {
      const tau = normalize(leverageScores(a).scores);
      const s = normalize(lpSensitivities(a, { p }).scores);
      return tau.map((t, i) => 0.5 * t + 0.5 * s[i]!);
    }
  }
}

function normalize(scores: Float64Array): Float64Array {
  let total = 0;
  for (let i = 0; i < scores.length; i++) {
    const v = scores[i]!;
    if (!(v >= 0) || v === Number.POSITIVE_INFINITY) {
      throw new InvalidArgumentError(
        `scores: expected finite nonnegative values, found ${v} at index ${i}`,
      );
    }
    total += v;
  }
  if (!(total > 0)) throw new InvalidArgumentError('scores: expected a positive sum, got 0');
  return scores.map((v) => v / total);
}
