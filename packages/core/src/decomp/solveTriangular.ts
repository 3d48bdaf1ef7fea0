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

/** Options of {@link solveTriangular}. */
export interface SolveTriangularOptions {
  /** T is lower triangular; default `false` (upper, as scipy's `solve_triangular`). */
  lower?: boolean;
  /** Solve Tᵀ·X = B instead of T·X = B; default `false`. */
  transpose?: boolean;
  /** Assume T_ii = 1 and never read the diagonal; default `false`. */
  unitDiagonal?: boolean;
}

/**
 * Solves T·X = B (or Tᵀ·X = B) for triangular T by forward or back substitution
 * (Golub & Van Loan 4th ed., Alg. 3.1.1 / 3.1.2), blocked so that most of the work is a
 * GEMM (the BLAS dtrsm pattern). Only the triangle named by `lower` is read (plus the
 * diagonal unless `unitDiagonal`), so T may hold anything in the other triangle. Neither
 * T nor B is mutated. Backward stable: the computed X solves (T + δT)·X = B with
 * |δT| ≤ n·ε·|T| (Higham 2002, Thm. 8.5).
 *
 * @param T n×n triangular matrix (any strides)
 * @param B n×k Matrix or a vector (Float64Array / Float32Array of length n)
 * @param options see {@link SolveTriangularOptions}
 * @returns X: an n×k float64 Matrix if B is a Matrix, else a Float64Array of length n
 * @throws {ShapeError} `SHAPE_MISMATCH` if T is not square or B's rows differ from n
 * @throws {NonFiniteError} `NON_FINITE` if the triangle read or B holds NaN or ±Infinity
 * @throws {InvalidArgumentError} `INVALID_ARGUMENT` for a zero on the diagonal (T singular),
 *   a non-Matrix T, a B of the wrong kind, or a bad option
 * @example
 * const U = matrix([[2, 1], [0, 4]]);
 * solveTriangular(U, new Float64Array([3, 4])); // Float64Array [1, 1]
 * solveTriangular(L, B, { lower: true, transpose: true }); // Lᵀ·X = B
 */
export function solveTriangular(T: Matrix, B: Matrix, options?: SolveTriangularOptions): Matrix;
export function solveTriangular(
  T: Matrix,
  B: Float64Array | Float32Array,
  options?: SolveTriangularOptions,
): Float64Array;
export function solveTriangular(
  T: Matrix,
  B: Matrix | Float64Array | Float32Array,
  options?: SolveTriangularOptions,
): Matrix | Float64Array;
export function solveTriangular(
  T: Matrix,
  B: Matrix | Float64Array | Float32Array,
  options?: SolveTriangularOptions,
): Matrix | Float64Array {
  const opts = optionsObject('options', options);
  const lower = optionalBoolean('options.lower', opts.lower, false);
  const transpose = optionalBoolean('options.transpose', opts.transpose, false);
  const unit = optionalBoolean('options.unitDiagonal', opts.unitDiagonal, false);
  const t = asMatrix('T', T);
  const n = assertSquare('T', t);
  assertFiniteTriangle('T', t, lower, !unit);
  const rhs = readRhs('B', B, n);
  if (!unit) assertNonzeroDiagonal('T', t);
  const [trs, tcs] = transpose ? [t.colStride, t.rowStride] : [t.rowStride, t.colStride];
  trsmStrided(lower !== transpose, unit, n, rhs.k, t.data, t.offset, trs, tcs, rhs.x, 0, rhs.k, 1);
  return writeRhs(rhs, n);
}
