import { zeros } from '../creation.js';
import { qr } from '../decomp/qr.js';
import { InvalidArgumentError } from '../errors.js';
import { copy2d } from '../kernels/_copy2d.js';
import { arenaAlloc, arenaMark, arenaRelease, workArray } from '../kernels/_wasmArena.js';
import { axpyStrided } from '../kernels/blas1.js';
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

// Y ← P·L in place, the row-permuted unit lower trapezoidal factor of Y = P·L·U (scipy
// `lu(Y, permute_l=True)[0]`, what scikit-learn's LU normalizer keeps). LAPACK dgetf2 on a
// column-major copy `w` (rows·l, in wasm memory when it is large: the rank-1 updates are
// contiguous axpys that then run in place in the SIMD kernel): pivot = the first largest
// |entry| in the current row order, rows swapped physically; `order[t]` records which
// row of Y sits at position t, so that P·L is written back to the rows Y came from. Y is
// row-major rows×l with rows ≥ l; `order` is scratch of ≥ rows entries.
export function _permutedLInPlace(
  y: Float64Array,
  rows: number,
  l: number,
  order: Int32Array,
  w: Float64Array = new Float64Array(rows * l),
): void {
  copy2d(rows, l, y, 0, l, 1, w, 0, 1, rows);
  for (let t = 0; t < rows; t++) order[t] = t;
  for (let j = 0; j < l; j++) {
    const cj = j * rows;
    let pt = j;
    let best = Math.abs(w[cj + j]!);
    for (let t = j + 1; t < rows; t++) {
      const v = Math.abs(w[cj + t]!);
      if (v > best) {
        best = v;
        pt = t;
      }
    }
    if (pt !== j) {
      for (let c = 0; c < l; c++) {
        const q = c * rows;
        const tmp = w[q + j]!;
        w[q + j] = w[q + pt]!;
        w[q + pt] = tmp;
      }
      const tmp = order[j]!;
      order[j] = order[pt]!;
      order[pt] = tmp;
    }
    const piv = w[cj + j]!;
    if (piv === 0) continue;
    for (let t = j + 1; t < rows; t++) w[cj + t] = w[cj + t]! / piv;
    for (let c = j + 1; c < l; c++) {
      const u = w[c * rows + j]!;
      if (u !== 0) axpyStrided(rows - j - 1, -u, w, cj + j + 1, 1, w, c * rows + j + 1, 1);
    }
  }
  // position t < l: multipliers before t, 1 at t, zeros after (U is dropped); t ≥ l: all
  for (let t = 0; t < rows; t++) {
    const r = order[t]! * l;
    const lim = Math.min(t, l);
    for (let c = 0; c < lim; c++) y[r + c] = w[c * rows + t]!;
    if (t < l) {
      y[r + t] = 1;
      for (let c = t + 1; c < l; c++) y[r + c] = 0;
    }
  }
}

// Re-normalizes the rows×l block X (row-major, contiguous) in place.
function normalizeInPlace(
  X: Matrix,
  how: 'qr' | 'lu' | 'none',
  order: Int32Array,
  w: Float64Array,
): void {
  if (how === 'none') return;
  if (how === 'lu') _permutedLInPlace(X.data as Float64Array, X.rows, X.cols, order, w);
  else X.data.set(qr(X).Q!.data);
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
  // A dense A is copied once into wasm memory where it can be (kernels/_wasmArena.ts),
  // checked finite in the same pass: the 2q + 2 products then read it in place instead of
  // copying it every time. Released on every exit.
  const mark = arenaMark();
  try {
    return randomizedSvdImpl(A, options);
  } finally {
    arenaRelease(mark);
  }
}

function randomizedSvdImpl(
  A: Matrix | LinearOperator,
  options: RandomizedSvdOptions,
): RandomizedSvdResult {
  const { op, copy } = resolveOperator('A', A, (len) => arenaAlloc(len, false));
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

  const l = Math.min(rank + oversample, minDim);
  let product: Product;
  if (copy) {
    const Mm = transpose ? copy.T : copy;
    product = (X, t, out) => gemm(t ? Mm.T : Mm, X, out);
  } else {
    // an operator, or a matrix when the arena is unavailable (matrixOperator: GEMM)
    const M = transpose ? transposeOperator(op) : op;
    product = (X, t, out) => {
      out.data.set(applyOperator(M, X, t).data);
      return out;
    };
  }
  const rows = transpose ? n : m;
  const cols = transpose ? m : n;
  const result = rangeFinderSvd(rows, cols, product, l, powerIterations, normalizer, rng, signal);
  const { Q, Ub, S, Vbt } = result;

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

/** out ← M·X (or Mᵀ·X when `t`), returning out. */
type Product = (X: Matrix, t: boolean, out: Matrix) => Matrix;

// HMT Alg. 4.4 (+ sklearn's normalizers) then Alg. 5.1 on validated input, M rows×cols
// given by its products: returns the basis Q (rows×l) and the SVD of B = Qᵀ·M as Ub (l×l),
// S, Vbt (l×cols). The two blocks are allocated once and normalized in place.
function rangeFinderSvd(
  rows: number,
  cols: number,
  product: Product,
  l: number,
  q: number,
  normalizer: 'qr' | 'lu' | 'none',
  rng: Rng,
  signal: AbortSignal | undefined,
): { Q: Matrix; Ub: Matrix; S: Float64Array; Vbt: Matrix } {
  const Z = zeros(cols, l);
  rng.fillNormal(Z.data);
  const Y = zeros(rows, l);
  const order = new Int32Array(Math.max(rows, cols));
  const w = workArray(Math.max(rows, cols) * l, false); // the LU's column-major copy
  for (let i = 0; i < q; i++) {
    checkAbort(signal);
    normalizeInPlace(product(Z, false, Y), normalizer, order, w);
    checkAbort(signal);
    normalizeInPlace(product(Y, true, Z), normalizer, order, w);
  }
  checkAbort(signal);
  const Q = qr(product(Z, false, Y)).Q!;
  checkAbort(signal);
  const Bt = product(Q, true, Z); // cols×l = (Qᵀ·M)ᵀ
  const { U: Ub, S, Vt: Vbt } = svd(Bt.T);
  return { Q, Ub: Ub!, S, Vbt: Vbt! };
}
