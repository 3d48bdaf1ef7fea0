import { Matrix } from '../matrix.js';
import { getrf } from './_lu.js';
import { finiteMatrix, rowMajorCopy } from './_work.js';

/** Result of {@link lu}. All matrices are fresh, row-major, float64. */
export interface LuResult {
  /** m×k unit lower triangular (k = min(m, n)); |L_ij| ≤ 1. */
  L: Matrix;
  /** k×n upper triangular / trapezoidal. */
  U: Matrix;
  /** Row order: row i of L·U is row perm[i] of A, i.e. A[perm, :] = L·U. Length m. */
  perm: Int32Array;
  /** Parity of `perm` (so det(A) = sign·∏ U_ii for square A). */
  sign: 1 | -1;
  /**
   * True if some pivot U_ii is exactly zero (LAPACK dgetrf's `info > 0`). A matrix can be
   * numerically singular with `singular: false`; this flag only reports exact zeros.
   */
  singular: boolean;
}

/**
 * LU factorization with partial pivoting, A[perm, :] = L·U, for any m×n matrix.
 *
 * Gaussian elimination with row interchanges (Golub & Van Loan 4th ed., Alg. 3.4.1),
 * blocked right-looking as LAPACK dgetrf: panels factored unblocked, the trailing
 * matrix updated by GEMM. A zero pivot column is skipped, so singular and rank-deficient
 * matrices are factored too (`singular` reports it). The input is copied (never mutated);
 * any dtype or strides are accepted and the result is float64.
 *
 * @param A m×n matrix (any strides)
 * @returns `{ L, U, perm, sign, singular }` with L m×k, U k×n, k = min(m, n), perm length m
 * @throws {InvalidArgumentError} `INVALID_ARGUMENT` if A is not a Matrix
 * @throws {NonFiniteError} `NON_FINITE` if A holds NaN or ±Infinity
 * @example
 * const { L, U, perm } = lu(matrix([[1, 2], [3, 4]]));
 * // perm = [1, 0], L = [[1, 0], [1/3, 1]], U = [[3, 4], [0, 2/3]]
 */
export function lu(A: Matrix): LuResult {
  const a = finiteMatrix('A', A);
  const m = a.rows;
  const n = a.cols;
  const k = Math.min(m, n);
  const w = rowMajorCopy(a);
  const perm = new Int32Array(m);
  const info = getrf(w, m, n, perm);

  const L = new Float64Array(m * k);
  for (let i = 0; i < m; i++) {
    const lim = Math.min(i, k);
    for (let j = 0; j < lim; j++) L[i * k + j] = w[i * n + j]!;
    if (i < k) L[i * k + i] = 1;
  }
  const U = new Float64Array(k * n);
  for (let i = 0; i < k; i++) {
    for (let j = i; j < n; j++) U[i * n + j] = w[i * n + j]!;
  }
  return {
    L: new Matrix(L, m, k),
    U: new Matrix(U, k, n),
    perm,
    sign: info.sign,
    singular: info.zeroPivot >= 0,
  };
}
