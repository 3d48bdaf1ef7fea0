import type { Matrix } from '../matrix.js';
import { getrf } from './_lu.js';
import { assertSquare, finiteMatrix, rowMajorCopy } from './_work.js';

/**
 * Determinant of a square matrix, sign·∏ U_ii from LU with partial pivoting (Golub & Van
 * Loan 4th ed., §3.4; as numpy's `det`). Returns 0 for a singular matrix (never throws on
 * singularity) and 1 for the 0×0 matrix. The product can overflow to ±Infinity or
 * underflow to 0 for large n: use {@link slogdet} then.
 *
 * @param A n×n matrix (any strides; not mutated)
 * @returns det(A) as a number
 * @throws {ShapeError} `SHAPE_MISMATCH` if A is not square
 * @throws {NonFiniteError} `NON_FINITE` if A holds NaN or ±Infinity
 * @throws {InvalidArgumentError} `INVALID_ARGUMENT` if A is not a Matrix
 * @example
 * det(matrix([[1, 2], [3, 4]])); // −2
 */
export function det(A: Matrix): number {
  const a = finiteMatrix('A', A);
  const n = assertSquare('A', a);
  const w = rowMajorCopy(a);
  const info = getrf(w, n, n, new Int32Array(n));
  if (info.zeroPivot >= 0) return 0;
  let d: number = info.sign;
  for (let i = 0; i < n; i++) d *= w[i * n + i]!;
  return d;
}
