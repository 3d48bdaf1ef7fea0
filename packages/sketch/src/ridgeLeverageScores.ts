import { assertNumber, InvalidArgumentError, Matrix, optionsObject, qr } from '@lr/core';
import { asDenseMatrix, rowNormsSquared } from './_util.js';

/** Options of {@link ridgeLeverageScores}. */
export interface RidgeLeverageScoresOptions {
  /** Ridge λ ≥ 0; default 1 (Alaoui–Mahoney 2015 use λ tied to the regularization). */
  lambda?: number;
}

/**
 * Ridge leverage scores τᵢ(λ) = aᵢᵀ(AᵀA + λI)⁻¹aᵢ (Alaoui & Mahoney 2015), computed
 * exactly as the squared row norms of the first n rows of Q in the thin QR of the stacked
 * matrix [A; √λ·I]. Their sum is the effective dimension Σ σⱼ²/(σⱼ² + λ).
 *
 * @param A n×d dense matrix (any shape with λ > 0; full column rank for λ = 0)
 * @param options `lambda` (default 1)
 * @returns `{ scores (length n), total }` with total the effective dimension
 * @throws {InvalidArgumentError} `INVALID_ARGUMENT` for a negative λ, or λ = 0 with n < d
 * @throws {NonFiniteError} `NON_FINITE` if an input holds NaN or ±∞
 * @example
 * import { randn } from '@lr/core';
 * import { ridgeLeverageScores } from '@lr/sketch';
 * const { total } = ridgeLeverageScores(randn(200, 10, { seed: 1 }), { lambda: 50 }); // < 10
 */
export function ridgeLeverageScores(
  A: Matrix,
  options?: RidgeLeverageScoresOptions,
): { scores: Float64Array; total: number } {
  const opts = optionsObject('options', options);
  const a = asDenseMatrix('A', A);
  const lambda = assertNumber('options.lambda', opts.lambda ?? 1, 0);
  const n = a.rows;
  const d = a.cols;
  if (lambda === 0 && n < d) throw new InvalidArgumentError(`A: λ = 0 needs n ≥ d, got ${n}×${d}`);
  const stacked = new Matrix(new Float64Array((n + d) * d), n + d, d);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) stacked.set(i, j, a.get(i, j));
  const sl = Math.sqrt(lambda);
  for (let j = 0; j < d; j++) stacked.set(n + j, j, sl);
  const Q = qr(stacked).Q!;
  const scores = rowNormsSquared(Q.rowRange(0, n));
  let total = 0;
  for (const s of scores) total += s;
  return { scores, total };
}
