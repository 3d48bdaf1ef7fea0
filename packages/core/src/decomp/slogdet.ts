import type { Matrix } from '../matrix.js';
import { getrf } from './_lu.js';
import { assertSquare, finiteMatrix, rowMajorCopy } from './_work.js';

/** Result of {@link slogdet}: det(A) = sign·exp(logAbsDet). */
export interface SlogdetResult {
  /** −1, 0 (singular) or 1. */
  sign: -1 | 0 | 1;
  /** log|det(A)|; −Infinity when A is singular, 0 for the 0×0 matrix. */
  logAbsDet: number;
}

/**
 * Sign and natural log of |det(A)| from LU with partial pivoting (Golub & Van Loan 4th
 * ed., §3.4; numpy's `slogdet`): no overflow or underflow where {@link det} would give
 * ±Infinity or 0, as for Gaussian-process log-likelihoods.
 *
 * @param A n×n matrix (any strides; not mutated)
 * @returns `{ sign, logAbsDet }`; `{ sign: 0, logAbsDet: -Infinity }` for a singular A
 * @throws {ShapeError} `SHAPE_MISMATCH` if A is not square
 * @throws {NonFiniteError} `NON_FINITE` if A holds NaN or ±Infinity
 * @throws {InvalidArgumentError} `INVALID_ARGUMENT` if A is not a Matrix
 * @example
 * slogdet(eye(500)); // { sign: 1, logAbsDet: 0 }
 */
export function slogdet(A: Matrix): SlogdetResult {
  const a = finiteMatrix('A', A);
  const n = assertSquare('A', a);
  const w = rowMajorCopy(a);
  const info = getrf(w, n, n, new Int32Array(n));
  if (info.zeroPivot >= 0) return { sign: 0, logAbsDet: -Infinity };
  let sign: number = info.sign;
  let log = 0;
  for (let i = 0; i < n; i++) {
    const u = w[i * n + i]!;
    if (u < 0) sign = -sign;
    log += Math.log(Math.abs(u));
  }
  return { sign: sign as -1 | 1, logAbsDet: log };
}
