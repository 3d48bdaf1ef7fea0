import { ShapeError } from '../errors.js';
import { asMatrix, Matrix } from '../matrix.js';
import { assertOneOf, optionsObject } from '../validate.js';
import {
  _booleanOption,
  _copyTriangle,
  _maxAbs,
  _normalizeColumnSigns,
  _normalizeSigns,
  _scaleIntoRange,
  _transpose,
} from './_input.js';
import { _tridiagonalDC } from './_tridiagonalDC.js';
import { _tridiagonalEigen } from './_tridiagonalEigen.js';
import {
  _applyTridiagonalQ,
  _formTridiagonalQt,
  _tridiagonalize,
  _tridiagonalizeBlocked,
} from './_tridiagonalize.js';
import { _spectralTuning } from './_tuning.js';

/** Options of {@link eigh}. */
export interface EighOptions {
  /** Compute eigenvalues only (`vectors` is null); default false. */
  valuesOnly?: boolean;
  /**
   * Which triangle of A to read; the other is ignored. Default `'lower'`, as
   * `numpy.linalg.eigh` (LAPACK's UPLO = 'L').
   */
  uplo?: 'lower' | 'upper';
}

/** Result of {@link eigh}: A = V·diag(values)·Vᵀ. */
export interface EighResult {
  /** The n eigenvalues in ascending order, like `numpy.linalg.eigh`. */
  values: Float64Array;
  /**
   * n×n orthogonal matrix (float64, row-major) whose column j is the unit eigenvector
   * of `values[j]`, signed so that its entry of largest magnitude is positive;
   * null when `valuesOnly`.
   */
  vectors: Matrix | null;
}

/**
 * Eigen-decomposition of a real symmetric matrix, A = V·diag(λ)·Vᵀ.
 *
 * Algorithm (LAPACK dsyevd's path): the triangle is copied into a fresh float64 work array,
 * scaled into the safe range if its entries are extremely large or small (as LAPACK dsyev),
 * and reduced to tridiagonal form T = QᵀAQ by Householder reflectors (Golub & Van Loan,
 * *Matrix Computations*, 4th ed., Alg. 8.3.1), in panels of 32 whose trailing updates are
 * GEMMs (LAPACK dsytrd/dlatrd) from n = 65 on. With vectors and n > 25, T is diagonalized by
 * Cuppen's divide and conquer with Gu & Eisenstat's eigenvectors (SIAM J. Matrix Anal. Appl.
 * 15, 1994; LAPACK dstedc), whose vectors stay orthogonal for clustered eigenvalues, and the
 * eigenvectors V = Q·Z are formed by compact-WY blocks (LAPACK dormtr); both are GEMMs.
 * Otherwise (values only, or n ≤ 25) T is diagonalized by the implicit QL/QR iteration with
 * Wilkinson-type shifts (GvL Alg. 8.3.2–8.3.3, structured as LAPACK dsteqr), the rotations
 * accumulated onto Q. Eigenvalues are accurate to about ε·‖A‖₂ in absolute terms;
 * eigenvectors are orthogonal to working precision. Cost ≈ (4/3)n³ flops for values only
 * and at most about 4.7n³ with vectors (less when the divide and conquer deflates), most of
 * it in GEMM. Values computed with and without vectors agree to ε·‖A‖₂ (bit for bit up to
 * n = 25).
 *
 * @param A symmetric n×n matrix (any strides, float64 or float32; computed in float64).
 *   Symmetry is assumed, not checked: only the `uplo` triangle is read.
 * @param options see {@link EighOptions}
 * @returns `{ values, vectors }`: `values` length n ascending; `vectors` n×n or null
 * @throws {InvalidArgumentError} `INVALID_ARGUMENT` when A is not a Matrix (or 2-d
 *   Tensor) or an option has the wrong type
 * @throws {ShapeError} `SHAPE_MISMATCH` when A is not square
 * @throws {NonFiniteError} `NON_FINITE` when the triangle read holds NaN or ±Infinity
 * @throws {NotConvergedError} `NOT_CONVERGED` if the QL/QR iteration needs more than
 *   30·n sweeps (LAPACK's limit), or a secular equation of the divide and conquer more
 *   than 100 iterations (not expected to happen)
 * @example
 * const { values, vectors } = eigh(Matrix.from([[2, 1], [1, 2]]));
 * // values ≈ [1, 3]; vectors.col(1) ≈ [0.7071, 0.7071]
 */
export function eigh(A: Matrix, options?: EighOptions): EighResult {
  const a = asMatrix('A', A);
  const opts = optionsObject('options', options);
  const valuesOnly = _booleanOption('options.valuesOnly', opts.valuesOnly, false);
  const uplo = assertOneOf('options.uplo', opts.uplo ?? 'lower', ['lower', 'upper'] as const);
  if (a.rows !== a.cols) {
    throw new ShapeError(`A: expected a square matrix, got shape [${a.rows}, ${a.cols}]`);
  }
  const n = a.rows;
  const w = _copyTriangle('A', a, uplo);
  const sigma = _scaleIntoRange(w, n * n, _maxAbs(w, n * n));

  const d = new Float64Array(n);
  const e = new Float64Array(Math.max(n - 1, 0));
  const tau = new Float64Array(Math.max(n - 1, 0));
  if (!valuesOnly && n > _spectralTuning.dcMin) {
    // blocked reduction, divide and conquer on T, then V = Q·Z by blocks (LAPACK dsyevd)
    _tridiagonalizeBlocked(w, n, d, e, tau);
    const v = new Float64Array(n * n);
    _tridiagonalDC(n, d, e, v, n);
    _applyTridiagonalQ(w, n, tau, v, n, n);
    if (sigma !== 1) for (let i = 0; i < n; i++) d[i] = d[i]! / sigma;
    _normalizeColumnSigns(v, n, n, n);
    return { values: d, vectors: new Matrix(v, n, n) };
  }
  if (n > _spectralTuning.blockMin) _tridiagonalizeBlocked(w, n, d, e, tau);
  else _tridiagonalize(w, n, d, e, tau);
  let qt: Float64Array | null = null;
  if (!valuesOnly) {
    qt = new Float64Array(n * n);
    _formTridiagonalQt(w, n, tau, qt);
  }
  _tridiagonalEigen(n, d, e, qt, n, n);
  if (sigma !== 1) for (let i = 0; i < n; i++) d[i] = d[i]! / sigma;
  if (!qt) return { values: d, vectors: null };
  _normalizeSigns(qt, n, n, n, null, 0, 0);
  return { values: d, vectors: new Matrix(_transpose(qt, n, n), n, n) };
}
