import { zeros } from '../creation.js';
import { lu } from '../decomp/lu.js';
import { qr } from '../decomp/qr.js';
import { InvalidArgumentError } from '../errors.js';
import { gemm } from '../kernels/gemm.js';
import type { Matrix } from '../matrix.js';
import { applyOperator, type LinearOperator } from '../operator.js';
import { Rng, type Seed } from '../rng.js';
import { svd } from '../spectral/svd.js';
import { assertInt, assertOneOf, checkAbort, describe, optionsObject } from '../validate.js';
import { flipSigns, orDefault, resolveOperator, signalArg, transposeOperator } from './_shared.js';

/** How {@link randomizedSvd} re-normalizes the block between power iterations. */
export type PowerIterationNormalizer = 'auto' | 'qr' | 'lu' | 'none';

/** Options of {@link randomizedSvd}. Defaults follow scikit-learn's `randomized_svd`. */
export interface RandomizedSvdOptions {
  /** Number of singular triplets, 1 ≤ rank ≤ min(m, n) (required; sklearn `n_components`). */
  rank: number;
  /**
   * Extra random samples beyond `rank`; default 10 (sklearn `n_oversamples`). The sample
   * count rank + oversample is capped at min(m, n); the result reports the value used.
   */
  oversample?: number;
  /**
   * Power (subspace) iterations q; default `'auto'`: 7 if rank < 0.1·min(m, n), else 4
   * (sklearn `n_iter='auto'`).
   */
  powerIterations?: number | 'auto';
  /**
   * Normalization between power iterations; default `'auto'`: `'none'` if q ≤ 2, else
   * `'lu'` (sklearn `power_iteration_normalizer='auto'`). `'qr'` is the most stable,
   * `'lu'` is cheaper and nearly as good, `'none'` loses the small directions to rounding
   * when q is large.
   */
  normalizer?: PowerIterationNormalizer;
  /**
   * Work on Aᵀ; default `'auto'`: when m < n (sklearn `transpose='auto'`), so that the
   * random test matrix has the smaller dimension.
   */
  transpose?: 'auto' | boolean;
  /** Seed of the Gaussian test matrix; default 0. */
  seed?: Seed;
  /** Stops the work with an `ABORTED` error when it fires (checked before every product). */
  signal?: AbortSignal;
}

/** Result of {@link randomizedSvd}: A ≈ U·diag(S)·Vt. */
export interface RandomizedSvdResult {
  /** m×rank, orthonormal columns; the largest-magnitude entry of each column is positive. */
  U: Matrix;
  /** rank singular value estimates, descending. */
  S: Float64Array;
  /** rank×n, orthonormal rows. */
  Vt: Matrix;
  /** Oversampling actually used (after capping rank + oversample at min(m, n)). */
  oversample: number;
  /** Power iterations actually used (`'auto'` resolved). */
  powerIterations: number;
  /** Normalizer actually used (`'auto'` resolved). */
  normalizer: 'qr' | 'lu' | 'none';
  /** Whether the work was done on Aᵀ (`'auto'` resolved). */
  transpose: boolean;
}

// Row-permuted L of Y's LU factorization (scipy `lu(Y, permute_l=True)[0]`): Y = P·L·U.
function permutedL(Y: Matrix): Matrix {
  const { L, perm } = lu(Y);
  const out = zeros(L.rows, L.cols);
  const k = L.cols;
  for (let i = 0; i < L.rows; i++) out.data.set(L.data.subarray(i * k, (i + 1) * k), perm[i]! * k);
  return out;
}

function normalize(Y: Matrix, how: 'qr' | 'lu' | 'none'): Matrix {
  if (how === 'none') return Y;
  if (how === 'lu') return permutedL(Y);
  return qr(Y).Q!;
}

/**
 * Randomized truncated SVD (Halko, Martinsson & Tropp 2011, SIAM Review 53(2)): the
 * randomized range finder with power iterations (Alg. 4.3 / 4.4, with scikit-learn's
 * choice of LU or QR re-normalization between iterations) builds an orthonormal Q
 * (m×l, l = rank + oversample) with A ≈ Q·Qᵀ·A; the small B = Qᵀ·A is factored by
 * {@link svd} (Alg. 5.1), and U = Q·Û. Every product goes through GEMM (`matmat` for
 * operators). The error obeys E‖A − U·S·Vt‖₂ ≤ (1 + 9√(l·min(m,n)))^{1/(2q+1)}·σ_{rank+1}
 * up to constants (HMT Cor. 10.10), so a few power iterations make it nearly optimal.
 *
 * Defaults (sklearn.utils.extmath.randomized_svd): `oversample` 10, `powerIterations`
 * 'auto' (7 if rank < 0.1·min(m, n), else 4), `normalizer` 'auto' ('none' if q ≤ 2, else
 * 'lu'), `transpose` 'auto' (m < n), `seed` 0. Signs follow sklearn's `svd_flip` (based on U).
 *
 * @param A m×n matrix (any strided view) or a {@link LinearOperator} (needs `matvec` and `rmatvec`)
 * @param options see {@link RandomizedSvdOptions}; `rank` is required
 * @returns `{ U (m×rank), S (rank), Vt (rank×n), oversample, powerIterations, normalizer, transpose }`
 * @throws {InvalidArgumentError} `INVALID_ARGUMENT` for rank outside [1, min(m, n)] or bad options
 * @throws {NonFiniteError} `NON_FINITE` if A holds NaN/±∞ or an operator returns them
 * @throws {AbortedError} `ABORTED` when `signal` fires
 * @example
 * const { U, S, Vt } = randomizedSvd(A, { rank: 10, seed: 1 });
 */
export function randomizedSvd(
  A: Matrix | LinearOperator,
  options: RandomizedSvdOptions,
): RandomizedSvdResult {
  const { op } = resolveOperator('A', A);
  const m = op.rows;
  const n = op.cols;
  if (options === undefined)
    throw new InvalidArgumentError('options: expected an options object with rank, got undefined');
  const opts = optionsObject('options', options);
  const minDim = Math.min(m, n);
  if (minDim === 0) throw new InvalidArgumentError(`A: expected a non-empty matrix, got ${m}×${n}`);
  const rank = assertInt('options.rank', opts.rank, 1, minDim);
  const defaults = {
    oversample: 10,
    powerIterations: 'auto',
    normalizer: 'auto',
    transpose: 'auto',
  } as const;
  const oversample = assertInt(
    'options.oversample',
    orDefault(opts.oversample, defaults.oversample),
  );
  const pRaw = orDefault(opts.powerIterations, defaults.powerIterations);
  const powerIterations =
    pRaw === 'auto' ? (rank < 0.1 * minDim ? 7 : 4) : assertInt('options.powerIterations', pRaw);
  const nRaw = assertOneOf('options.normalizer', orDefault(opts.normalizer, defaults.normalizer), [
    'auto',
    'qr',
    'lu',
    'none',
  ] as const);
  const normalizer = nRaw === 'auto' ? (powerIterations <= 2 ? 'none' : 'lu') : nRaw;
  const tRaw = orDefault(opts.transpose, defaults.transpose);
  if (tRaw !== 'auto' && typeof tRaw !== 'boolean') {
    throw new InvalidArgumentError(
      `options.transpose: expected 'auto' or a boolean, got ${describe(tRaw)}`,
    );
  }
  const transpose = tRaw === 'auto' ? m < n : tRaw;
  const rng = Rng.from(opts.seed);
  const signal = signalArg('options.signal', opts.signal);
  checkAbort(signal);

  const M = transpose ? transposeOperator(op) : op;
  const l = Math.min(rank + oversample, minDim);
  const { Q, Ub, S, Vbt } = rangeFinderSvd(M, l, powerIterations, normalizer, rng, signal);

  // U_M = Q·Û (M-rows × l)
  const UM = gemm(Q, Ub, zeros(Q.rows, Ub.cols));
  let U: Matrix;
  let Vt: Matrix;
  if (!transpose) {
    U = UM.colRange(0, rank).clone();
    Vt = Vbt.rowRange(0, rank).clone();
  } else {
    // A = Mᵀ = Vbtᵀ·S·U_Mᵀ
    U = Vbt.rowRange(0, rank).T.clone();
    Vt = UM.colRange(0, rank).T.clone();
  }
  flipSigns(U, Vt);
  return {
    U,
    S: S.slice(0, rank),
    Vt,
    oversample: l - rank,
    powerIterations,
    normalizer,
    transpose,
  };
}

// HMT Alg. 4.4 (+ sklearn's normalizers) then Alg. 5.1 on validated input: returns the
// basis Q (rows×l) and the SVD of B = Qᵀ·M as Ub (l×l), S, Vbt (l×cols).
function rangeFinderSvd(
  M: LinearOperator,
  l: number,
  q: number,
  normalizer: 'qr' | 'lu' | 'none',
  rng: Rng,
  signal: AbortSignal | undefined,
): { Q: Matrix; Ub: Matrix; S: Float64Array; Vbt: Matrix } {
  let Z = zeros(M.cols, l);
  rng.fillNormal(Z.data);
  for (let i = 0; i < q; i++) {
    checkAbort(signal);
    const Y = normalize(applyOperator(M, Z), normalizer);
    checkAbort(signal);
    Z = normalize(applyOperator(M, Y, true), normalizer);
  }
  checkAbort(signal);
  const Q = qr(applyOperator(M, Z)).Q!;
  checkAbort(signal);
  const Bt = applyOperator(M, Q, true); // cols×l = (Qᵀ·M)ᵀ
  const { U: Ub, S, Vt: Vbt } = svd(Bt.T);
  return { Q, Ub: Ub!, S, Vbt: Vbt! };
}
