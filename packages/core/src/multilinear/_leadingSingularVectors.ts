// Leading left singular subspace of a small dense matrix, for HOSVD and HOOI.
import { Matrix } from '../matrix.js';
import { svd } from '../spectral/svd.js';

/**
 * The r leading left singular vectors (I×r, row-major float64) of the I×J row-major matrix
 * in `a`, and all its singular values, from the thin SVD (the full SVD when r exceeds
 * min(I, J), completing the basis). Computing the SVD of the unfolding itself, rather than
 * the eigenvectors of its Gram matrix, keeps the subspace accurate for singular values far
 * below ‖A‖ (no squaring of the condition number).
 */
export function _leadingLeftSingularVectors(
  a: Float64Array,
  I: number,
  J: number,
  r: number,
): { U: Matrix; S: Float64Array } {
  const { U, S } = svd(new Matrix(a, I, J), { full: r > Math.min(I, J) });
  return { U: U!.colRange(0, r).clone(), S };
}
