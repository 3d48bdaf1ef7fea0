import { eye, zeros } from '../creation.js';
import { InvalidArgumentError } from '../errors.js';
import { gemm } from '../kernels/gemm.js';
import type { Matrix } from '../matrix.js';
import { applyOperator, type LinearOperator } from '../operator.js';
import type { Seed } from '../rng.js';
import { svd } from '../spectral/svd.js';
import { assertInt, assertNumber, assertOneOf, checkAbort, optionsObject } from '../validate.js';
import { flipSigns, functionArg, orDefault, resolveOperator, signalArg } from './_shared.js';
import { type LanczosProgress, lanczos } from './lanczos.js';
import { type PowerIterationNormalizer, randomizedSvd } from './randomizedSvd.js';

/** Algorithms {@link truncatedSvd} can use. */
export type TruncatedSvdMethod = 'auto' | 'exact' | 'randomized' | 'lanczos';

/** Options of {@link truncatedSvd}. */
export interface TruncatedSvdOptions {
  /** Number of singular triplets, 1 ≤ rank ≤ min(m, n) (required). */
  rank: number;
  /**
   * Default `'auto'`: `'exact'` when min(m, n) ≤ 256 or 4·rank ≥ min(m, n) (a full SVD
   * is then about as cheap), otherwise `'lanczos'` (accurate to `tol`, like scipy's
   * `svds` default ARPACK solver). `'randomized'` is scikit-learn's `TruncatedSVD`
   * default: fastest, approximate (see {@link randomizedSvd}). `'exact'` on an operator
   * materializes it with n products.
   */
  method?: TruncatedSvdMethod;
  /** Seed for the randomized and Lanczos methods; default 0. */
  seed?: Seed;
  /** Lanczos: residual tolerance relative to ‖A‖² on AᵀA (or AAᵀ); default 1e-12 (see {@link lanczos}). */
  tol?: number;
  /** Lanczos: cap on restart cycles; default 10·min(m, n). */
  maxIterations?: number;
  /** Lanczos: basis size; default min(min(m, n), max(2·rank + 1, 20)). */
  ncv?: number;
  /** Randomized: oversampling; default 10. */
  oversample?: number;
  /** Randomized: power iterations; default 'auto'. */
  powerIterations?: number | 'auto';
  /** Randomized: normalizer; default 'auto'. */
  normalizer?: PowerIterationNormalizer;
  /** Lanczos: called after every restart cycle. */
  onProgress?: (info: LanczosProgress) => void;
  /** Stops the work with an `ABORTED` error when it fires. */
  signal?: AbortSignal;
}

/** Result of {@link truncatedSvd}: A ≈ U·diag(S)·Vt. */
export interface TruncatedSvdResult {
  /** m×rank, orthonormal columns; the largest-magnitude entry of each column is positive. */
  U: Matrix;
  /** The rank largest singular values, descending. */
  S: Float64Array;
  /** rank×n, orthonormal rows. */
  Vt: Matrix;
  /** The method used (`'auto'` resolved). */
  method: Exclude<TruncatedSvdMethod, 'auto'>;
  /** Lanczos restart cycles or randomized power iterations; 0 for exact. */
  iterations: number;
  /** False only when Lanczos hit its cycle cap before `tol` (exact and randomized have no test). */
  converged: boolean;
}

/**
 * The `rank` largest singular triplets of A, by one of three methods: `'exact'` (full
 * {@link svd}, then truncation), `'randomized'` ({@link randomizedSvd}, Halko, Martinsson &
 * Tropp 2011) or `'lanczos'` (thick-restart {@link lanczos} on the smaller of AᵀA and AAᵀ,
 * as scipy's `svds` does with ARPACK, followed by a Rayleigh–Ritz SVD of A·V (or Aᵀ·U),
 * which gives the singular values to second order in the Ritz-vector error; singular
 * values below about √ε·σ₁ are still blurred by forming the Gram operator).
 *
 * Defaults: `method` 'auto' (exact when min(m, n) ≤ 256 or 4·rank ≥ min(m, n), else
 * lanczos), `seed` 0, method options as in {@link lanczos} and {@link randomizedSvd}.
 *
 * @param A m×n matrix (any strided view) or a {@link LinearOperator}
 * @param options see {@link TruncatedSvdOptions}; `rank` is required
 * @returns `{ U (m×rank), S (rank), Vt (rank×n), method, iterations, converged }`
 * @throws {InvalidArgumentError} `INVALID_ARGUMENT` for rank outside [1, min(m, n)] or bad options
 * @throws {NonFiniteError} `NON_FINITE` if A holds NaN/±∞ or an operator returns them
 * @throws {AbortedError} `ABORTED` when `signal` fires
 * @example
 * const { S } = truncatedSvd(A, { rank: 5 });
 * const fast = truncatedSvd(A, { rank: 5, method: 'randomized', seed: 3 });
 */
export function truncatedSvd(
  A: Matrix | LinearOperator,
  options: TruncatedSvdOptions,
): TruncatedSvdResult {
  const { op, matrix } = resolveOperator('A', A);
  const m = op.rows;
  const n = op.cols;
  if (options === undefined)
    throw new InvalidArgumentError('options: expected an options object with rank, got undefined');
  const opts = optionsObject('options', options);
  const minDim = Math.min(m, n);
  if (minDim === 0) throw new InvalidArgumentError(`A: expected a non-empty matrix, got ${m}×${n}`);
  const rank = assertInt('options.rank', opts.rank, 1, minDim);
  const raw = assertOneOf('options.method', orDefault(opts.method, 'auto'), [
    'auto',
    'exact',
    'randomized',
    'lanczos',
  ] as const);
  const method = raw !== 'auto' ? raw : minDim <= 256 || 4 * rank >= minDim ? 'exact' : 'lanczos';
  const signal = signalArg('options.signal', opts.signal);
  functionArg('options.onProgress', opts.onProgress);
  if (opts.tol !== undefined) assertNumber('options.tol', opts.tol, 0);
  checkAbort(signal);

  if (method === 'randomized') {
    const r = randomizedSvd(matrix ?? op, {
      rank,
      ...(opts.oversample !== undefined ? { oversample: opts.oversample } : {}),
      ...(opts.powerIterations !== undefined ? { powerIterations: opts.powerIterations } : {}),
      ...(opts.normalizer !== undefined ? { normalizer: opts.normalizer } : {}),
      ...(opts.seed !== undefined ? { seed: opts.seed } : {}),
      ...(signal ? { signal } : {}),
    });
    return { U: r.U, S: r.S, Vt: r.Vt, method, iterations: r.powerIterations, converged: true };
  }
  if (method === 'exact') {
    // an operator is materialized as A·I (n products, or one matmat)
    const dense = matrix ?? applyOperator(op, eye(n));
    const { U, S, Vt } = svd(dense);
    return {
      U: U!.colRange(0, rank).clone(),
      S: S.slice(0, rank),
      Vt: Vt!.rowRange(0, rank).clone(),
      method,
      iterations: 0,
      converged: true,
    };
  }
  return lanczosSvd(op, rank, opts, signal);
}

// Lanczos on the Gram operator of the smaller side, then Rayleigh–Ritz on A.
function lanczosSvd(
  op: LinearOperator,
  rank: number,
  opts: TruncatedSvdOptions,
  signal: AbortSignal | undefined,
): TruncatedSvdResult {
  const m = op.rows;
  const n = op.cols;
  const tall = m >= n;
  const g = tall ? n : m;
  const gram: LinearOperator = tall
    ? {
        rows: n,
        cols: n,
        matvec: (x) => op.rmatvec(op.matvec(x)),
        rmatvec: (x) => op.rmatvec(op.matvec(x)),
      }
    : {
        rows: m,
        cols: m,
        matvec: (x) => op.matvec(op.rmatvec(x)),
        rmatvec: (x) => op.matvec(op.rmatvec(x)),
      };
  const res = lanczos(gram, {
    k: rank,
    which: 'largest',
    ...(opts.tol !== undefined ? { tol: opts.tol } : {}),
    ...(opts.maxIterations !== undefined
      ? { maxIterations: opts.maxIterations }
      : { maxIterations: 10 * g }),
    ...(opts.ncv !== undefined ? { ncv: opts.ncv } : {}),
    ...(opts.seed !== undefined ? { seed: opts.seed } : {}),
    ...(opts.onProgress ? { onProgress: opts.onProgress } : {}),
    ...(signal ? { signal } : {}),
  });
  const X = res.vectors; // g×rank, orthonormal
  checkAbort(signal);
  // W = A·V (tall) or Aᵀ·U (wide), then W = Uw·Sw·Vwt
  const W = applyOperator(op, X, !tall);
  const { U: Uw, S, Vt: Vwt } = svd(W);
  let U: Matrix;
  let Vt: Matrix;
  if (tall) {
    // A·V = Uw·S·Vwt  ⇒  A ≈ Uw·S·(V·Vwtᵀ)ᵀ
    U = Uw!;
    Vt = gemm(Vwt!, X, zeros(rank, n), { transB: true });
  } else {
    // Aᵀ·U0 = Uw·S·Vwt  ⇒  A ≈ (U0·Vwtᵀ)·S·Uwᵀ
    U = gemm(X, Vwt!, zeros(m, rank), { transB: true });
    Vt = Uw!.T.clone();
  }
  flipSigns(U, Vt);
  return { U, S, Vt, method: 'lanczos', iterations: res.iterations, converged: res.converged };
}
