import { InvalidArgumentError, ShapeError } from '../errors.js';
import type { Matrix } from '../matrix.js';
import { asMatrix } from '../matrix.js';
import { describe, optionsObject } from '../validate.js';
import { luApply } from './_luApply.js';
import { assertFiniteTriangle, optionalBoolean, readRhs, writeRhs } from './_work.js';
import type { LuResult } from './lu.js';

/** Options of {@link luSolve}. */
export interface LuSolveOptions {
  /** Solve Aᵀ·X = B instead of A·X = B; default `false` (LAPACK dgetrs `trans`). */
  transpose?: boolean;
}

/**
 * Solves A·X = B (or Aᵀ·X = B) with the LU factorization of a square A from {@link lu},
 * by a row permutation and two triangular solves (Golub & Van Loan 4th ed., §3.4.3,
 * LAPACK dgetrs). Reuse one factorization for many right-hand sides. Reads only the
 * strict lower triangle of L (unit diagonal assumed) and the upper triangle of U.
 *
 * @param factors `{ L, U, perm }` of a square n×n matrix, as returned by {@link lu}
 * @param B n×k Matrix or a vector (Float64Array / Float32Array of length n)
 * @param options see {@link LuSolveOptions}
 * @returns X: an n×k float64 Matrix if B is a Matrix, else a Float64Array of length n
 * @throws {InvalidArgumentError} `INVALID_ARGUMENT` if `factors` is not an LU result, or
 *   U has a zero pivot (A is singular)
 * @throws {ShapeError} `SHAPE_MISMATCH` if the factors are not square or B's rows differ
 * @throws {NonFiniteError} `NON_FINITE` if the factors or B hold NaN or ±Infinity
 * @example
 * const f = lu(A);
 * const x1 = luSolve(f, b1);
 * const x2 = luSolve(f, b2, { transpose: true }); // Aᵀ·x2 = b2
 */
export function luSolve(
  factors: Pick<LuResult, 'L' | 'U' | 'perm'>,
  B: Matrix,
  options?: LuSolveOptions,
): Matrix;
export function luSolve(
  factors: Pick<LuResult, 'L' | 'U' | 'perm'>,
  B: Float64Array | Float32Array,
  options?: LuSolveOptions,
): Float64Array;
export function luSolve(
  factors: Pick<LuResult, 'L' | 'U' | 'perm'>,
  B: Matrix | Float64Array | Float32Array,
  options?: LuSolveOptions,
): Matrix | Float64Array;
export function luSolve(
  factors: Pick<LuResult, 'L' | 'U' | 'perm'>,
  B: Matrix | Float64Array | Float32Array,
  options?: LuSolveOptions,
): Matrix | Float64Array {
  const opts = optionsObject('options', options);
  const transpose = optionalBoolean('options.transpose', opts.transpose, false);
  if (factors === null || typeof factors !== 'object') {
    throw new InvalidArgumentError(
      `factors: expected the result of lu(), got ${describe(factors)}`,
    );
  }
  const L = asMatrix('factors.L', factors.L);
  const U = asMatrix('factors.U', factors.U);
  const perm = factors.perm;
  const n = L.rows;
  if (L.cols !== n || U.rows !== n || U.cols !== n) {
    throw new ShapeError(
      `factors: expected square n×n L and U (the LU of a square matrix), got L [${L.rows}, ${L.cols}] and U [${U.rows}, ${U.cols}]`,
    );
  }
  if (!(perm instanceof Int32Array) || perm.length !== n) {
    throw new InvalidArgumentError(
      `factors.perm: expected an Int32Array of length ${n}, got ${describe(perm)}`,
    );
  }
  const seen = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const p = perm[i]!;
    if (p < 0 || p >= n || seen[p]) {
      throw new InvalidArgumentError(
        `factors.perm: expected a permutation of 0…${n - 1}, found ${p} at index ${i}`,
      );
    }
    seen[p] = 1;
  }
  assertFiniteTriangle('factors.L', L, true, false);
  assertFiniteTriangle('factors.U', U, false, true);
  const rhs = readRhs('B', B, n);
  for (let i = 0; i < n; i++) {
    if (U.get(i, i) === 0) {
      throw new InvalidArgumentError(
        `factors: the matrix is singular (pivot U[${i}][${i}] is exactly 0)`,
      );
    }
  }
  const x = luApply(L, U, perm, n, rhs.x, rhs.k, transpose);
  return writeRhs({ ...rhs, x }, n);
}
