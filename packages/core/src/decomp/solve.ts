import { InvalidArgumentError } from '../errors.js';
import { Matrix } from '../matrix.js';
import { getrf } from './_lu.js';
import { luApply } from './_luApply.js';
import { assertSquare, finiteMatrix, readRhs, rowMajorCopy, writeRhs } from './_work.js';

/**
 * Solves the square system A·X = B by LU with partial pivoting (Golub & Van Loan 4th ed.,
 * Alg. 3.4.1 then §3.4.3; LAPACK dgesv). Neither A nor B is mutated. For many solves with
 * one A, factor once with {@link lu} and call {@link luSolve}.
 *
 * Singularity is detected as an exactly zero pivot (as LAPACK and numpy do); a nearly
 * singular A gives a large but finite X, with error up to about κ(A)·ε.
 *
 * @param A n×n matrix (any strides)
 * @param B n×k Matrix or a vector (Float64Array / Float32Array of length n)
 * @returns X: an n×k float64 Matrix if B is a Matrix, else a Float64Array of length n
 * @throws {ShapeError} `SHAPE_MISMATCH` if A is not square or B's rows differ from n
 * @throws {NonFiniteError} `NON_FINITE` if A or B holds NaN or ±Infinity
 * @throws {InvalidArgumentError} `INVALID_ARGUMENT` if A is singular (a zero pivot), A is
 *   not a Matrix, or B is neither a Matrix nor a Float64Array
 * @example
 * solve(matrix([[2, 0], [0, 4]]), new Float64Array([2, 4])); // Float64Array [1, 1]
 */
export function solve(A: Matrix, B: Matrix): Matrix;
export function solve(A: Matrix, B: Float64Array | Float32Array): Float64Array;
export function solve(A: Matrix, B: Matrix | Float64Array | Float32Array): Matrix | Float64Array;
export function solve(A: Matrix, B: Matrix | Float64Array | Float32Array): Matrix | Float64Array {
  const a = finiteMatrix('A', A);
  const n = assertSquare('A', a);
  const rhs = readRhs('B', B, n);
  const w = rowMajorCopy(a);
  const perm = new Int32Array(n);
  const info = getrf(w, n, n, perm);
  if (info.zeroPivot >= 0) {
    throw new InvalidArgumentError(
      `A: the matrix is singular (pivot ${info.zeroPivot} of its LU factorization is exactly 0)`,
    );
  }
  const LU = new Matrix(w, n, n);
  const x = luApply(LU, LU, perm, n, rhs.x, rhs.k, false);
  return writeRhs({ ...rhs, x }, n);
}
