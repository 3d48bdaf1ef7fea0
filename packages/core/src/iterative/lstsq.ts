import { zeros } from '../creation.js';
import { EPS } from '../dtype.js';
import { InvalidArgumentError, ShapeError } from '../errors.js';
import { gemm } from '../kernels/gemm.js';
import { Matrix } from '../matrix.js';
import { svd } from '../spectral/svd.js';
import { Tensor } from '../tensor.js';
import { assertNumber, describe, optionsObject } from '../validate.js';
import { assertFiniteMatrix, orDefault, vectorArg } from './_shared.js';

/** Options of {@link lstsq}. */
export interface LstsqOptions {
  /**
   * Singular values ≤ rcond·σ_max are treated as zero; default max(m, n)·ε (numpy's
   * `rcond=None`).
   */
  rcond?: number;
}

/** Result of {@link lstsq}; `T` is `Float64Array` for a vector b and `Matrix` for a matrix B. */
export interface LstsqResult<T extends Float64Array | Matrix> {
  /** The minimum-norm least-squares solution: length n (vector b) or n×k (matrix B). */
  x: T;
  /**
   * Per column of B, the sum of squared residuals ‖b − A·x‖² — only when m > n and A has
   * full column rank, otherwise empty (numpy's convention).
   */
  residuals: Float64Array;
  /** Numerical rank: the number of singular values > rcond·σ_max. */
  rank: number;
  /** Singular values of A, descending, length min(m, n). */
  singularValues: Float64Array;
}

/**
 * Minimum-norm least-squares solution of A·x ≈ b through the SVD, as `numpy.linalg.lstsq`
 * (LAPACK dgelsd's semantics): x = V·diag(1/σ_i for σ_i > rcond·σ_max)·Uᵀ·b. Works for
 * over- and under-determined systems of any rank (Golub & Van Loan 4th ed., §5.5.4).
 *
 * Defaults (numpy.linalg.lstsq): `rcond` max(m, n)·ε.
 *
 * @param A m×n matrix (any strided view)
 * @param B right-hand side: a Float64Array of length m, or an m×k Matrix
 * @param options see {@link LstsqOptions}
 * @returns `{ x (n or n×k), residuals (k or empty), rank, singularValues (min(m, n)) }`
 * @throws {ShapeError} `SHAPE_MISMATCH` if B does not have m rows
 * @throws {NonFiniteError} `NON_FINITE` if A or B hold NaN/±∞
 * @throws {InvalidArgumentError} `INVALID_ARGUMENT` for a non-matrix A, bad B or bad options
 * @example
 * const A = Matrix.from([[1, 0], [1, 1], [1, 2]]);
 * const { x, residuals, rank } = lstsq(A, new Float64Array([1, 2, 2]));
 * // x ≈ [7/6, 1/2], residuals ≈ [1/6], rank 2
 */
export function lstsq(
  A: Matrix,
  B: Float64Array,
  options?: LstsqOptions,
): LstsqResult<Float64Array>;
export function lstsq(A: Matrix, B: Matrix, options?: LstsqOptions): LstsqResult<Matrix>;
export function lstsq(
  A: Matrix,
  B: Matrix | Float64Array,
  options?: LstsqOptions,
): LstsqResult<Matrix | Float64Array>;
export function lstsq(
  A: Matrix,
  B: Matrix | Float64Array,
  options?: LstsqOptions,
): LstsqResult<Matrix | Float64Array> {
  if (!(A instanceof Tensor) || A.ndim !== 2) {
    throw new InvalidArgumentError(`A: expected a Matrix, got ${describe(A)}`);
  }
  const a = Matrix.fromTensor(A);
  assertFiniteMatrix('A', a);
  const m = a.rows;
  const n = a.cols;
  let b: Matrix;
  let vector = false;
  if (B instanceof Tensor) {
    if (B.ndim !== 2)
      throw new ShapeError(
        `B: expected a vector or a 2-d matrix, got shape [${B.shape.join(', ')}]`,
      );
    b = Matrix.fromTensor(B);
    if (b.rows !== m)
      throw new ShapeError(`B: expected ${m} rows (the rows of A), got ${b.rows}×${b.cols}`);
    assertFiniteMatrix('B', b);
  } else {
    b = new Matrix(vectorArg('B', B, m), m, 1);
    vector = true;
  }
  const opts = optionsObject('options', options);
  const defaults = { rcond: Math.max(m, n) * EPS.float64 };
  const rcond = assertNumber('options.rcond', orDefault(opts.rcond, defaults.rcond), 0);

  const k = b.cols;
  const x = zeros(n, k);
  const minDim = Math.min(m, n);
  if (minDim === 0) {
    // numpy: x = 0, rank 0, no singular values; residuals ‖b‖² when m > n = 0
    const residuals = m > n ? columnSumSquares(b) : new Float64Array(0);
    return {
      x: vector ? x.toFloat64Array() : x,
      residuals,
      rank: 0,
      singularValues: new Float64Array(0),
    };
  }
  const { U, S, Vt } = svd(a);
  const cutoff = rcond * S[0]!;
  let rank = 0;
  while (rank < minDim && S[rank]! > cutoff) rank++;
  if (rank > 0) {
    // x = V_r·diag(1/σ)·U_rᵀ·b
    const C = gemm(U!.colRange(0, rank), b, zeros(rank, k), { transA: true });
    for (let i = 0; i < rank; i++) {
      const s = 1 / S[i]!;
      for (let j = 0; j < k; j++) C.data[i * k + j] = C.data[i * k + j]! * s;
    }
    gemm(Vt!.rowRange(0, rank), C, x, { transA: true });
  }
  let residuals: Float64Array = new Float64Array(0);
  if (m > n && rank === n) {
    // direct residual b − A·x (no cancellation, unlike ‖b‖² − ‖Uᵀb‖²)
    const R = b.clone('float64');
    gemm(a, x, R, { alpha: -1, beta: 1 });
    residuals = columnSumSquares(R);
  }
  return { x: vector ? x.toFloat64Array() : x, residuals, rank, singularValues: S };
}

function columnSumSquares(R: Matrix): Float64Array {
  const out = new Float64Array(R.cols);
  for (let i = 0; i < R.rows; i++)
    for (let j = 0; j < R.cols; j++) out[j] = out[j]! + R.get(i, j) ** 2;
  return out;
}
