import { InvalidArgumentError, NonFiniteError } from '../errors.js';
import { dotStrided } from '../kernels/blas1.js';
import { gemmStrided } from '../kernels/gemm.js';
import { asMatrix, Matrix } from '../matrix.js';
import { optionsObject } from '../validate.js';
import { assertSquare, optionalBoolean } from './_work.js';

/** Options of {@link cholesky}. */
export interface CholeskyOptions {
  /**
   * `true` (default, as numpy): read the lower triangle of A and return L with A = L·Lᵀ.
   * `false`: read the upper triangle and return U with A = Uᵀ·U (scipy's default, LAPACK
   * dpotrf `uplo = 'U'`).
   */
  lower?: boolean;
}

/** Panel width of the blocked factorization. */
const NB = 64;

/**
 * Cholesky factorization of a symmetric positive definite matrix, A = L·Lᵀ (or Uᵀ·U).
 *
 * Blocked left-looking Cholesky (Golub & Van Loan 4th ed., Alg. 4.2.1 in the block form
 * of §4.2.9, as LAPACK dpotrf): each block column is updated by one GEMM with the
 * columns already computed, then finished by the dot-product (Cholesky–Crout) form.
 * Only one triangle of A is read (like LAPACK dpotrf), so the other may hold anything;
 * only that triangle is checked for NaN / Infinity. The input is not mutated; the result
 * is a fresh float64 matrix with zeros in the other triangle.
 *
 * @param A n×n symmetric positive definite matrix (any strides)
 * @param options see {@link CholeskyOptions}
 * @returns L (n×n lower triangular, positive diagonal), or U = Lᵀ when `lower: false`
 * @throws {InvalidArgumentError} `INVALID_ARGUMENT` "not positive definite" naming the
 *   failing pivot index j (the leading j+1 × j+1 minor is not positive definite); also
 *   for a non-Matrix A or a bad option
 * @throws {ShapeError} `SHAPE_MISMATCH` if A is not square
 * @throws {NonFiniteError} `NON_FINITE` if the triangle read holds NaN or ±Infinity
 * @example
 * cholesky(matrix([[4, 2], [2, 5]])); // [[2, 0], [1, 2]]
 */
export function cholesky(A: Matrix, options?: CholeskyOptions): Matrix {
  const opts = optionsObject('options', options);
  const lower = optionalBoolean('options.lower', opts.lower, true);
  const a0 = asMatrix('A', A);
  const n = assertSquare('A', a0);
  // the upper triangle of A is the lower triangle of Aᵀ
  const a = lower ? a0 : a0.T;
  const w = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      const v = a.get(i, j);
      if (v - v !== 0) {
        const [r, c] = lower ? [i, j] : [j, i];
        throw new NonFiniteError(`A: expected finite values, found ${v} at (${r}, ${c})`);
      }
      w[i * n + j] = v;
    }
  }
  potrf(w, n);
  if (lower) return new Matrix(w, n, n);
  const u = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j <= i; j++) u[j * n + i] = w[i * n + j]!;
  return new Matrix(u, n, n);
}

/** In-place lower Cholesky of the row-major n×n `w` (lower triangle read and written). */
function potrf(w: Float64Array, n: number): void {
  for (let j0 = 0; j0 < n; j0 += NB) {
    const j1 = Math.min(j0 + NB, n);
    const b = j1 - j0;
    // A[j0:n, j0:j1] −= L[j0:n, 0:j0] · L[j0:j1, 0:j0]ᵀ
    if (j0 > 0) {
      gemmStrided(n - j0, b, j0, -1, w, j0 * n, n, 1, w, j0 * n, 1, n, 1, w, j0 * n + j0, n, 1);
    }
    // Cholesky–Crout on the block column, with dot products over columns j0 … j−1
    for (let j = j0; j < j1; j++) {
      const rj = j * n + j0;
      const d = w[j * n + j]! - dotStrided(j - j0, w, rj, 1, w, rj, 1);
      if (!(d > 0)) {
        throw new InvalidArgumentError(
          `A: not positive definite: pivot ${j} is ${d} ≤ 0 (the leading ${j + 1}×${j + 1} minor is not positive definite)`,
        );
      }
      const ljj = Math.sqrt(d);
      w[j * n + j] = ljj;
      for (let i = j + 1; i < n; i++) {
        const ri = i * n + j0;
        w[i * n + j] = (w[i * n + j]! - dotStrided(j - j0, w, ri, 1, w, rj, 1)) / ljj;
      }
    }
  }
  for (let i = 0; i < n; i++) w.fill(0, i * n + i + 1, i * n + n);
}
