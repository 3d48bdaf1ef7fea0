import type { Matrix } from '../matrix.js';
import { svd } from './svd.js';

/**
 * The singular values of A in descending order: `svd(A, { valuesOnly: true }).S`.
 * Bidiagonalization (blocked; after a QR factorization when m ≥ 11n/6) plus the
 * Demmel–Kahan QR iteration without vectors (about 4mn² − (4/3)n³ flops for m ≥ n, about
 * 2mn² + 2n³ with the QR first); see {@link svd}.
 *
 * @param A m×n matrix (any strides, float64 or float32; computed in float64)
 * @returns Float64Array of length min(m, n), non-negative, descending
 * @throws {InvalidArgumentError} `INVALID_ARGUMENT` when A is not a Matrix
 * @throws {NonFiniteError} `NON_FINITE` when A holds NaN or ±Infinity
 * @throws {NotConvergedError} `NOT_CONVERGED` if the QR iteration fails (not expected)
 * @example
 * singularValues(Matrix.from([[3, 0], [4, 5]])); // ≈ [6.7082, 2.2361]
 */
export function singularValues(A: Matrix): Float64Array {
  return svd(A, { valuesOnly: true }).S;
}
