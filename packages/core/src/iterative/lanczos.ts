import { zeros } from '../creation.js';
import { EPS } from '../dtype.js';
import { InvalidArgumentError, ShapeError } from '../errors.js';
import { gemvStrided, norm2 } from '../kernels/blas1.js';
import { gemmStrided } from '../kernels/gemm.js';
import { Matrix } from '../matrix.js';
import { applyOperator, type LinearOperator } from '../operator.js';
import { Rng, type Seed } from '../rng.js';
import { eigh } from '../spectral/eigh.js';
import { assertInt, assertNumber, assertOneOf, checkAbort, optionsObject } from '../validate.js';
import { functionArg, orDefault, resolveOperator, signalArg, vectorArg } from './_shared.js';

/** Which end of the spectrum {@link lanczos} computes. */
export type LanczosWhich = 'largest' | 'smallest' | 'magnitude';

/** What {@link lanczos} reports to `onProgress` after each restart cycle. */
export interface LanczosProgress {
  /** Restart cycles done so far (1-based). */
  iteration: number;
  /** How many of the k wanted Ritz pairs meet the tolerance. */
  converged: number;
  /** Largest estimated residual ‖A·v − λ·v‖ among the k wanted Ritz pairs. */
  maxResidual: number;
  /** Products with A so far. */
  matvecs: number;
}

/** Options of {@link lanczos}. Defaults follow `scipy.sparse.linalg.eigsh` where it has one. */
export interface LanczosOptions {
  /** Number of eigenpairs, 1 ≤ k ≤ n (required). */
  k: number;
  /**
   * `'largest'` algebraic (scipy `'LA'`, the default), `'smallest'` algebraic (`'SA'`) or
   * largest `'magnitude'` (`'LM'`).
   */
  which?: LanczosWhich;
  /**
   * A Ritz pair (λ, v) is accepted when ‖A·v − λ·v‖ ≤ tol·‖A‖, with ‖A‖ estimated by the
   * largest |Ritz value| seen. Default 1e-12: scipy's default 0 asks for machine precision
   * relative to |λ|, which a computed residual cannot reach below about √n·ε·‖A‖.
   */
  tol?: number;
  /** Cap on restart cycles; default 10·n (scipy `maxiter`). */
  maxIterations?: number;
  /** Size of the Krylov basis per cycle, k < ncv ≤ n; default min(n, max(2k + 1, 20)) (scipy). */
  ncv?: number;
  /** Starting vector, length n, nonzero; default a random normal vector from `seed` (scipy `v0`). */
  v0?: Float64Array;
  /** Seed of the random starting (and breakdown-replacement) vectors; default 0. */
  seed?: Seed;
  /** Called after every restart cycle. */
  onProgress?: (info: LanczosProgress) => void;
  /** Stops the iteration with an `ABORTED` error when it fires (checked every step). */
  signal?: AbortSignal;
}

/** Result of {@link lanczos}. */
export interface LanczosResult {
  /** The k Ritz values, most wanted first (descending for `'largest'`, ascending for
   * `'smallest'`, by descending |λ| for `'magnitude'`). */
  values: Float64Array;
  /** n×k matrix whose orthonormal column j is the Ritz vector of `values[j]`. */
  vectors: Matrix;
  /** Restart cycles performed. */
  iterations: number;
  /** True when all k pairs met the tolerance (by the Lanczos residual estimate). */
  converged: boolean;
  /** ‖A·v_j − λ_j·v_j‖ computed explicitly for each returned pair, length k. */
  residualNorms: Float64Array;
  /** Products with A (matvecs), the cost measure of Lanczos. */
  matvecs: number;
}

/** Validates that a dense A is symmetric to a relative 1e-10 (the operator case cannot be checked). */
function assertSymmetric(A: Matrix): void {
  const n = A.rows;
  let maxAbs = 0;
  for (let i = 0; i < n; i++)
    for (let j = 0; j < n; j++) maxAbs = Math.max(maxAbs, Math.abs(A.get(i, j)));
  const tol = 1e-10 * maxAbs;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < i; j++) {
      const d = Math.abs(A.get(i, j) - A.get(j, i));
      if (d > tol) {
        throw new InvalidArgumentError(
          `A: expected a symmetric matrix, got |A[${i}, ${j}] − A[${j}, ${i}]| = ${d} (max |A_ij| = ${maxAbs})`,
        );
      }
    }
  }
}

/**
 * A few extreme eigenpairs of a symmetric matrix or operator by the thick-restart
 * Lanczos method (Wu & Simon 2000, SIAM J. Matrix Anal. Appl. 22(2)) with full
 * reorthogonalization (classical Gram–Schmidt repeated while the Kahan–Parlett / DGKS
 * criterion asks for it). Each cycle builds an ncv-dimensional Krylov basis, solves the
 * projected (arrowhead + tridiagonal) problem with {@link eigh}, and restarts from the
 * k + ⌊(ncv − k)/2⌋ most wanted Ritz vectors. An invariant subspace (breakdown) is
 * continued with a fresh random vector orthogonal to the basis. Only `matvec` is used.
 * Like every single-vector Krylov method (ARPACK included), it sees one direction of each
 * eigenspace in exact arithmetic: further copies of a multiple eigenvalue appear only
 * through rounding and restarts, so with multiplicities a copy can be missed (a larger
 * `ncv` or a block method helps); `converged` refers to the pairs it found.
 *
 * Defaults (scipy.sparse.linalg.eigsh): `which` 'largest' ('LA'), `ncv`
 * min(n, max(2k + 1, 20)), `maxIterations` 10·n; `tol` 1e-12 (see {@link LanczosOptions}).
 *
 * @param A symmetric n×n matrix (checked to a relative 1e-10) or a symmetric {@link LinearOperator}
 * @param options see {@link LanczosOptions}; `k` is required
 * @returns `{ values (k), vectors (n×k), iterations, converged, residualNorms (k), matvecs }`
 * @throws {ShapeError} `SHAPE_MISMATCH` if A is not square or v0 has the wrong length
 * @throws {NonFiniteError} `NON_FINITE` if A or v0 hold NaN/±∞, or a product returns them
 * @throws {InvalidArgumentError} `INVALID_ARGUMENT` for bad options (k outside [1, n],
 *   ncv outside (k, n], v0 = 0) or a non-symmetric dense A
 * @throws {AbortedError} `ABORTED` when `signal` fires
 * @example
 * const { values } = lanczos(A, { k: 3 });                       // 3 largest eigenvalues
 * const low = lanczos(A, { k: 2, which: 'smallest', seed: 1 });  // 2 smallest
 */
export function lanczos(A: Matrix | LinearOperator, options: LanczosOptions): LanczosResult {
  const { op, matrix } = resolveOperator('A', A);
  if (op.rows !== op.cols)
    throw new ShapeError(`A: expected a square matrix, got ${op.rows}×${op.cols}`);
  const n = op.rows;
  if (options === undefined)
    throw new InvalidArgumentError('options: expected an options object with k, got undefined');
  const opts = optionsObject('options', options);
  if (n === 0) throw new InvalidArgumentError('A: expected a non-empty matrix, got 0×0');
  const k = assertInt('options.k', opts.k, 1, n);
  const defaults = {
    which: 'largest' as LanczosWhich,
    tol: 1e-12,
    maxIterations: 10 * n,
    ncv: Math.min(n, Math.max(2 * k + 1, 20)),
  };
  const which = assertOneOf('options.which', orDefault(opts.which, defaults.which), [
    'largest',
    'smallest',
    'magnitude',
  ] as const);
  const tol = assertNumber('options.tol', orDefault(opts.tol, defaults.tol), 0);
  const maxIterations = assertInt(
    'options.maxIterations',
    orDefault(opts.maxIterations, defaults.maxIterations),
    1,
  );
  const ncv = assertInt('options.ncv', orDefault(opts.ncv, defaults.ncv), Math.min(k + 1, n), n);
  const v0 = opts.v0 === undefined ? null : vectorArg('options.v0', opts.v0, n);
  if (v0 && norm2(v0) === 0)
    throw new InvalidArgumentError('options.v0: expected a nonzero vector, got all zeros');
  const rng = Rng.from(opts.seed);
  const onProgress = functionArg('options.onProgress', opts.onProgress);
  const signal = signalArg('options.signal', opts.signal);
  if (matrix) assertSymmetric(matrix);
  checkAbort(signal);
  return lanczosKernel(op, k, which, tol, maxIterations, ncv, v0, rng, onProgress, signal);
}

// Orders indices of Ritz values θ from most to least wanted.
function wantedOrder(theta: Float64Array, which: LanczosWhich): number[] {
  const idx = Array.from(theta, (_, i) => i);
  if (which === 'largest') idx.sort((a, b) => theta[b]! - theta[a]!);
  else if (which === 'smallest') idx.sort((a, b) => theta[a]! - theta[b]!);
  else idx.sort((a, b) => Math.abs(theta[b]!) - Math.abs(theta[a]!));
  return idx;
}

// Thick-restart Lanczos on validated input. Basis vectors are the rows of `V` (row-major,
// (ncv + 1)×n) so projections and updates are GEMVs on contiguous rows.
function lanczosKernel(
  op: LinearOperator,
  k: number,
  which: LanczosWhich,
  tol: number,
  maxIterations: number,
  ncv: number,
  v0: Float64Array | null,
  rng: Rng,
  onProgress: ((info: LanczosProgress) => void) | undefined,
  signal: AbortSignal | undefined,
): LanczosResult {
  const n = op.rows;
  const V = new Float64Array((ncv + 1) * n);
  const T = new Float64Array(ncv * ncv);
  const h = new Float64Array(ncv + 1);
  const c = new Float64Array(ncv + 1);
  let matvecs = 0;

  // w ← w − V[0..j)ᵀ·(V[0..j)·w), repeated while the norm drops by more than 1/√2
  // (Daniel, Gragg, Kaufman & Stewart 1976); accumulates the coefficients into h.
  const orthogonalize = (w: Float64Array, j: number): number => {
    h.fill(0, 0, j);
    let before = norm2(w);
    let after = before;
    for (let pass = 0; pass < 3 && j > 0; pass++) {
      gemvStrided(j, n, 1, V, 0, n, 1, w, 0, 1, 0, c, 0, 1);
      gemvStrided(n, j, -1, V, 0, 1, n, c, 0, 1, 1, w, 0, 1);
      for (let i = 0; i < j; i++) h[i] = h[i]! + c[i]!;
      after = norm2(w);
      if (after > Math.SQRT1_2 * before) break;
      before = after;
    }
    return after;
  };
  // Puts a unit vector orthogonal to V[0..j) into row j (random, for breakdowns).
  const randomRow = (j: number): void => {
    for (let attempt = 0; attempt < 5; attempt++) {
      const w = rng.fillNormal(new Float64Array(n));
      const nrm = orthogonalize(w, j);
      if (nrm > 1e-8 * Math.sqrt(n)) {
        for (let i = 0; i < n; i++) V[j * n + i] = w[i]! / nrm;
        return;
      }
    }
    // j = n cannot happen (callers ask for at most n basis vectors); keep the row zero.
  };

  const start = v0 ?? rng.fillNormal(new Float64Array(n));
  const s0 = norm2(start);
  for (let i = 0; i < n; i++) V[i] = start[i]! / s0;

  let jStart = 0;
  let iterations = 0;
  let anorm = 0;
  let betaM = 0;
  let theta: Float64Array = new Float64Array(0);
  let Y: Matrix = zeros(0, 0);
  let order: number[] = [];
  let converged = false;
  const m = ncv;

  for (;;) {
    // extend the basis from jStart to m vectors
    for (let j = jStart; j < m; j++) {
      checkAbort(signal);
      const w = op.matvec(V.subarray(j * n, (j + 1) * n));
      matvecs++;
      const normAv = norm2(w);
      const beta = orthogonalize(w, j + 1);
      for (let i = 0; i <= j; i++) {
        T[i * m + j] = h[i]!;
        T[j * m + i] = h[i]!;
      }
      let b = beta;
      if (j + 1 < n) {
        if (beta <= 4 * EPS.float64 * Math.sqrt(j + 1) * normAv) {
          // invariant subspace: continue with a random direction, decoupled (β = 0)
          randomRow(j + 1);
          b = 0;
        } else {
          for (let i = 0; i < n; i++) V[(j + 1) * n + i] = w[i]! / beta;
        }
      } else {
        b = 0; // the basis spans the whole space: the projection is exact
      }
      if (j + 1 < m) {
        T[(j + 1) * m + j] = b;
        T[j * m + j + 1] = b;
      } else {
        betaM = b;
      }
    }
    iterations++;
    const { values, vectors } = eigh(new Matrix(T, m, m));
    theta = values;
    Y = vectors!;
    for (let i = 0; i < m; i++) anorm = Math.max(anorm, Math.abs(theta[i]!));
    order = wantedOrder(theta, which);
    let nconv = 0;
    let maxResidual = 0;
    for (let i = 0; i < k; i++) {
      const r = Math.abs(betaM * Y.get(m - 1, order[i]!));
      maxResidual = Math.max(maxResidual, r);
      if (r <= tol * anorm) nconv++;
    }
    onProgress?.({ iteration: iterations, converged: nconv, maxResidual, matvecs });
    if (nconv === k) {
      converged = true;
      break;
    }
    if (iterations >= maxIterations) break;

    // thick restart: keep the kk most wanted Ritz vectors, then the residual direction
    const kk = Math.min(m - 1, k + Math.floor((m - k) / 2));
    const Ysel = zeros(kk, m); // row i = Ritz coefficients of the i-th kept pair
    for (let i = 0; i < kk; i++)
      for (let r = 0; r < m; r++) Ysel.data[i * m + r] = Y.get(r, order[i]!);
    const kept = new Float64Array(kk * n);
    gemmStrided(kk, n, m, 1, Ysel.data, 0, m, 1, V, 0, n, 1, 0, kept, 0, n, 1);
    V.copyWithin(kk * n, m * n, (m + 1) * n);
    V.set(kept, 0);
    T.fill(0);
    for (let i = 0; i < kk; i++) {
      const s = betaM * Y.get(m - 1, order[i]!);
      T[i * m + i] = theta[order[i]!]!;
      T[kk * m + i] = s;
      T[i * m + kk] = s;
    }
    jStart = kk;
  }

  // Ritz vectors X = V[0..m)ᵀ·Y[:, wanted] (n×k) and their true residuals
  const values = new Float64Array(k);
  const Yk = zeros(m, k);
  for (let i = 0; i < k; i++) {
    values[i] = theta[order[i]!]!;
    for (let r = 0; r < m; r++) Yk.data[r * k + i] = Y.get(r, order[i]!);
  }
  const X = zeros(n, k);
  gemmStrided(n, k, m, 1, V, 0, 1, n, Yk.data, 0, k, 1, 0, X.data, 0, k, 1);
  const AX = applyOperator(op, X);
  matvecs += k;
  const residualNorms = new Float64Array(k);
  const col = new Float64Array(n);
  for (let i = 0; i < k; i++) {
    for (let r = 0; r < n; r++) col[r] = AX.get(r, i) - values[i]! * X.get(r, i);
    residualNorms[i] = norm2(col);
  }
  return { values, vectors: X, iterations, converged, residualNorms, matvecs };
}
