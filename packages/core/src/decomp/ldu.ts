import type { Matrix } from '../matrix.js';
import { lu } from './lu.js';

/** Result of {@link ldu}. */
export interface LduResult {
  /** m×k unit lower triangular, k = min(m, n) (the L of {@link lu}). */
  L: Matrix;
  /** The k pivots U_ii of the LU factorization. */
  D: Float64Array;
  /** k×n upper triangular: row i of the LU factor U divided by D_i (unit diagonal where D_i ≠ 0). */
  U: Matrix;
  /** Row order: A[perm, :] = L·diag(D)·U. Length m. */
  perm: Int32Array;
}

/**
 * LDU factorization A[perm, :] = L·diag(D)·U from LU with partial pivoting (Golub & Van
 * Loan 4th ed., §4.1.1 on top of Alg. 3.4.1): D = diag(U_LU) and U = D⁻¹·U_LU, unit
 * upper triangular.
 *
 * Zero pivots: where D_i = 0 (exactly) row i of U is the LU row unchanged, so U_ii = 0
 * marks it. The product L·diag(D)·U then drops that row's entries right of the
 * diagonal, so it reproduces A[perm, :] only when they are zero (always true for the
 * last pivot of a square matrix); use {@link lu} when exact reconstruction of a
 * singular A matters.
 *
 * @param A m×n matrix (any strides; not mutated)
 * @returns `{ L, D, U, perm }` with L m×k, D length k, U k×n, perm length m
 * @throws {InvalidArgumentError} `INVALID_ARGUMENT` if A is not a Matrix
 * @throws {NonFiniteError} `NON_FINITE` if A holds NaN or ±Infinity
 * @example
 * const { L, D, U } = ldu(matrix([[4, 2], [2, 3]])); // D = [4, 2], U = [[1, 0.5], [0, 1]]
 */
export function ldu(A: Matrix): LduResult {
  const { L, U, perm } = lu(A);
  const k = U.rows;
  const n = U.cols;
  const u = U.data; // fresh and row-major: safe to scale in place
  const D = new Float64Array(k);
  for (let i = 0; i < k; i++) {
    const d = u[i * n + i]!;
    D[i] = d;
    if (d === 0) continue;
    u[i * n + i] = 1;
    for (let j = i + 1; j < n; j++) u[i * n + j] /= d;
  }
  return { L, D, U, perm };
}
