import {
  assertNumber,
  InvalidArgumentError,
  type Matrix,
  matmul,
  optionsObject,
  qr,
  solveTriangular,
} from '@lr/core';
import { asDenseMatrix } from './_util.js';
import { leverageScores } from './leverageScores.js';
import { lewisWeights } from './lewisWeights.js';

/** Options of {@link lpSensitivities}. */
export interface LpSensitivitiesOptions {
  /** The ℓp exponent, 0 < p < 4 (Lewis weights are computed for p ≠ 2); default 1. */
  p?: number;
  /**
   * Also compute certified lower bounds sᵢ ≥ |aᵢᵀxᵢ|^p / ‖A·xᵢ‖_p^p at the Lewis direction
   * xᵢ = (AᵀW^{1−2/p}A)⁻¹aᵢ; costs O(n²·d), so default false.
   */
  lowerBounds?: boolean;
}

/** Result of {@link lpSensitivities}. */
export interface LpSensitivitiesResult {
  /** Upper bounds on the sensitivities sᵢ, length n (see {@link lpSensitivities}). */
  scores: Float64Array;
  /** Σ of the upper bounds: an upper bound on the total sensitivity 𝔖. */
  total: number;
  /** The ℓp Lewis weights the bounds come from (the leverage scores for p = 2). */
  lewisWeights: Float64Array;
  /** Lower bounds (with `lowerBounds: true`); Σ of them bounds 𝔖 from below. */
  lower?: Float64Array;
}

/**
 * ℓp sensitivities sᵢ = sup_x |aᵢᵀx|^p / ‖A·x‖_p^p (Langberg–Schulman 2010), bounded above
 * through the ℓp Lewis weights wᵢ as in paper #4 (Woodruff & Yasuda 2023, "Sharper Bounds
 * for ℓp Sensitivity Sampling", and the references there): sᵢ ≤ wᵢ for p ≤ 2 and
 * sᵢ ≤ d^{p/2−1}·wᵢ for p > 2, so the total sensitivity 𝔖 ≤ d (p ≤ 2) and ≤ d^{p/2}
 * (p > 2). Exact sensitivities need one convex program per row; this function returns the
 * upper bounds (exact for p = 2, where sᵢ = τᵢ), and optionally certified lower bounds from
 * one explicit direction per row, so the gap can be inspected.
 *
 * Defaults: `p` 1, `lowerBounds` false.
 *
 * @param A n×d dense matrix, n ≥ d, full column rank
 * @param options see {@link LpSensitivitiesOptions}
 * @returns `{ scores, total, lewisWeights, lower? }`
 * @throws {UnsupportedError} `UNSUPPORTED` for p ≥ 4
 * @throws {InvalidArgumentError} `INVALID_ARGUMENT` for bad options or n < d
 * @throws {NonFiniteError} `NON_FINITE` if an input holds NaN or ±∞
 * @example
 * import { randn } from '@lr/core';
 * import { lpSensitivities } from '@lr/sketch';
 * const { scores, total } = lpSensitivities(randn(400, 5, { seed: 1 }), { p: 1 }); // total ≤ 5
 */
export function lpSensitivities(
  A: Matrix,
  options?: LpSensitivitiesOptions,
): LpSensitivitiesResult {
  const opts = optionsObject('options', options);
  const a = asDenseMatrix('A', A);
  const p = assertNumber('options.p', opts.p ?? 1, Number.MIN_VALUE);
  const n = a.rows;
  const d = a.cols;
  if (n < d) throw new InvalidArgumentError(`A: expected n ≥ d (a tall matrix), got ${n}×${d}`);
  const w = p === 2 ? leverageScores(a).scores : lewisWeights(a, { p }).weights;
  const factor = p > 2 ? d ** (p / 2 - 1) : 1;
  const scores = new Float64Array(n);
  let total = 0;
  for (let i = 0; i < n; i++) {
    scores[i] = Math.min(1, factor * w[i]!);
    total += scores[i]!;
  }
  const result: LpSensitivitiesResult = { scores, total, lewisWeights: w };
  if (opts.lowerBounds) result.lower = lowerBounds(a, w, p);
  return result;
}

function lowerBounds(a: Matrix, w: Float64Array, p: number): Float64Array {
  const n = a.rows;
  const d = a.cols;
  const B = a.clone();
  const e = 0.5 - 1 / p;
  for (let i = 0; i < n; i++) {
    const f = w[i]! > 0 ? w[i]! ** e : 0;
    for (let j = 0; j < d; j++) B.set(i, j, f * a.get(i, j));
  }
  const { R } = qr(B, { mode: 'r' });
  // X = (RᵀR)⁻¹Aᵀ: column i is the Lewis direction of row i.
  const X = solveTriangular(R, solveTriangular(R, a.T.contiguous(), { transpose: true }));
  const AX = matmul(a, X); // n×n
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let norm = 0;
    for (let k = 0; k < n; k++) norm += Math.abs(AX.get(k, i)) ** p;
    out[i] = norm > 0 ? Math.abs(AX.get(i, i)) ** p / norm : 0;
  }
  return out;
}
