import { InvalidArgumentError } from '../errors.js';
import { Matrix } from '../matrix.js';
import { getrf } from './_lu.js';
import { luApply } from './_luApply.js';
import { assertSquare, finiteMatrix, rowMajorCopy } from './_work.js';

/**
 * Inverse of a square matrix by LU with partial pivoting and n triangular solves against
 * the identity (Golub & Van Loan 4th ed., §3.4.9; LAPACK dgesv with B = I). Prefer
 * {@link solve} to forming an inverse. The error of A⁻¹ grows with κ(A): expect
 * ‖A⁻¹·A − I‖ ≈ κ(A)·ε.
 *
 * @param A n×n matrix (any strides; not mutated)
 * @returns A⁻¹ as a fresh n×n float64 Matrix (0×0 for 0×0)
 * @throws {ShapeError} `SHAPE_MISMATCH` if A is not square
 * @throws {NonFiniteError} `NON_FINITE` if A holds NaN or ±Infinity
 * @throws {InvalidArgumentError} `INVALID_ARGUMENT` if A is singular (a zero pivot) or not a Matrix
 * @example
 * inv(matrix([[2, 0], [0, 4]])); // [[0.5, 0], [0, 0.25]]
 */
export function inv(A: Matrix): Matrix {
  const a = finiteMatrix('A', A);
  const n = assertSquare('A', a);
  const w = rowMajorCopy(a);
  const perm = new Int32Array(n);
  const info = getrf(w, n, n, perm);
  if (info.zeroPivot >= 0) {
    throw new InvalidArgumentError(
      `A: the matrix is singular and has no inverse (pivot ${info.zeroPivot} of its LU factorization is exactly 0)`,
    );
  }
  const I = new Float64Array(n * n);
  for (let i = 0; i < n; i++) I[i * n + i] = 1;
  const LU = new Matrix(w, n, n);
  return new Matrix(luApply(LU, LU, perm, n, I, n, false), n, n);
}
