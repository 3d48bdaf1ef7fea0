import type { Matrix } from '../matrix.js';
import { svd } from '../spectral/svd.js';
import { _finiteMatrix } from './_input.js';

/**
 * The nuclear (trace, Schatten-1) norm ‖A‖_* = Σ_i σ_i(A), exactly, from the singular values
 * of a values-only SVD (Golub–Kahan bidiagonalization + Demmel–Kahan QR, see {@link svd}):
 * about 4mn·min(m, n) flops, the O(n³) cost that the L1,2 approximation
 * {@link nuclearNormApprox} avoids (Li et al., "Large Language Model Evaluation via Matrix
 * Nuclear-Norm", 2024). It is the convex envelope of rank on the spectral-norm unit ball.
 *
 * @param A m×n matrix (any strides, float64 or float32; not modified)
 * @returns ‖A‖_* ≥ 0 (0 for an empty matrix)
 * @throws {InvalidArgumentError} if `A` is not a Matrix (or 2-d Tensor)
 * @throws {NonFiniteError} if `A` holds NaN or ±Infinity
 * @example
 * nuclearNorm(Matrix.from([[3, 0], [4, 5]])); // √45 + √5 ≈ 8.9443
 */
export function nuclearNorm(A: Matrix): number {
  const a = _finiteMatrix('A', A);
  const { S } = svd(a, { valuesOnly: true });
  // ascending order sums the small values first (less rounding)
  let s = 0;
  for (let i = S.length - 1; i >= 0; i--) s += S[i]!;
  return s;
}
