import type { Matrix } from '../matrix.js';
import { asMatrix } from '../matrix.js';
import { optionsObject } from '../validate.js';
import { trsmStrided } from './_trsm.js';
import {
  assertFiniteTriangle,
  assertNonzeroDiagonal,
  assertSquare,
  optionalBoolean,
  readRhs,
  writeRhs,
} from './_work.js';

/** Options of {@link choleskySolve}. */
export interface CholeskySolveOptions {
  /** The factor is lower (A = L·Lᵀ, default, as {@link cholesky}'s default) or upper (A = Uᵀ·U). */
  lower?: boolean;
}

/**
 * Solves A·X = B given the Cholesky factor of A from {@link cholesky}: two triangular
 * solves, L·Y = B then Lᵀ·X = Y (Golub & Van Loan 4th ed., §4.2; LAPACK dpotrs). Only the
 * factor's triangle named by `lower` is read.
 *
 * @param L n×n Cholesky factor (lower by default; pass `{ lower: false }` for U = Lᵀ)
 * @param B n×k Matrix or a vector (Float64Array / Float32Array of length n)
 * @param options see {@link CholeskySolveOptions}
 * @returns X: an n×k float64 Matrix if B is a Matrix, else a Float64Array of length n
 * @throws {ShapeError} `SHAPE_MISMATCH` if L is not square or B's rows differ from n
 * @throws {NonFiniteError} `NON_FINITE` if the factor's triangle or B holds NaN or ±Infinity
 * @throws {InvalidArgumentError} `INVALID_ARGUMENT` for a zero on the factor's diagonal, a
 *   non-Matrix factor, a B of the wrong kind, or a bad option
 * @example
 * const L = cholesky(A);
 * const x = choleskySolve(L, b); // A·x = b
 */
export function choleskySolve(L: Matrix, B: Matrix, options?: CholeskySolveOptions): Matrix;
export function choleskySolve(
  L: Matrix,
  B: Float64Array | Float32Array,
  options?: CholeskySolveOptions,
): Float64Array;
export function choleskySolve(
  L: Matrix,
  B: Matrix | Float64Array | Float32Array,
  options?: CholeskySolveOptions,
): Matrix | Float64Array;
export function choleskySolve(
  L: Matrix,
  B: Matrix | Float64Array | Float32Array,
  options?: CholeskySolveOptions,
): Matrix | Float64Array {
  const opts = optionsObject('options', options);
  const lower = optionalBoolean('options.lower', opts.lower, true);
  const f = asMatrix('L', L);
  const n = assertSquare('L', f);
  assertFiniteTriangle('L', f, lower, true);
  const rhs = readRhs('B', B, n);
  assertNonzeroDiagonal('L', f);
  // work with the lower factor G (G = L, or G = Uᵀ): A = G·Gᵀ
  const [grs, gcs] = lower ? [f.rowStride, f.colStride] : [f.colStride, f.rowStride];
  trsmStrided(true, false, n, rhs.k, f.data, f.offset, grs, gcs, rhs.x, 0, rhs.k, 1);
  trsmStrided(false, false, n, rhs.k, f.data, f.offset, gcs, grs, rhs.x, 0, rhs.k, 1);
  return writeRhs(rhs, n);
}
