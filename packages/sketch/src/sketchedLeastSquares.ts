import {
  assertInt,
  CsrMatrix,
  csrOperator,
  gemv,
  lstsq,
  type Matrix,
  optionsObject,
  qr,
  type Seed,
  ShapeError,
  singularValues,
  solveTriangular,
} from '@lr/core';
import { asSketchInput, asVector, toDense } from './_util.js';
import { makeSketch, type SketchChoice } from './makeSketch.js';

/** Options of {@link sketchedLeastSquares}. */
export interface SketchedLeastSquaresOptions {
  /** The sketch: a family name or a built {@link SketchOperator}; default `'srht'`. */
  sketch?: SketchChoice;
  /**
   * Sketch size for a named family; default 4·d (a constant-factor subspace embedding
   * for Gaussian/SRHT, Woodruff 2014 §2; CountSketch needs O(d²) for the same).
   */
  m?: number;
  /** Seed (or an Rng) for a named family; default 0. */
  seed?: Seed;
  /** OSNAP nonzeros per column; default 4. */
  s?: number;
  /**
   * Reference solution x* of min ‖Ax − b‖₂ to measure errors against. When absent and
   * `compareExact` holds, x* is computed by {@link lstsq} on A (densified if CSR).
   */
  xTrue?: Float64Array;
  /**
   * Compute the exact solution (and ‖A†‖ for the ℓ∞ ratio) when no `xTrue` is given;
   * default true when n·d ≤ 2·10⁶ (an O(n·d²) SVD), false beyond.
   */
  compareExact?: boolean;
}

/** Result of {@link sketchedLeastSquares}. */
export interface SketchedLeastSquaresResult {
  /** The sketch-and-solve solution x̃ = argmin ‖S·A·x − S·b‖₂, length d. */
  x: Float64Array;
  /** ‖A·x̃ − b‖₂. */
  residualNorm: number;
  /** Rows m of the sketch used. */
  sketchRows: number;
  /** ‖A·x* − b‖₂ (when the reference is known). */
  optimalResidualNorm?: number;
  /** ‖x̃ − x*‖₂ (when the reference is known). */
  l2Error?: number;
  /** ‖x̃ − x*‖∞ (when the reference is known). */
  lInfError?: number;
  /**
   * The ε that x̃ achieves in paper #3's ℓ∞ guarantee,
   * ‖x̃ − x*‖∞·√d / (‖Ax* − b‖₂·‖A†‖₂), with ‖A†‖₂ = 1/σ_min(A). Only when the exact
   * solution is computed here (it needs σ_min) or `xTrue` is given with `compareExact`.
   */
  linfEpsilon?: number;
}

/**
 * Sketch-and-solve least squares: draws S (m×n), solves the small problem
 * min ‖S·A·x − S·b‖₂ exactly (Householder QR of the m×d matrix S·A; the SVD-based
 * minimum-norm `lstsq` when S·A is numerically rank deficient), and reports the
 * residual on the full problem and, when a reference is available, the ℓ2 and ℓ∞ errors
 * against the exact solution — the quantities of paper #3 (Song et al. 2023).
 * With an ε-subspace embedding the residual is within (1 + O(ε)) of the optimum
 * (Sarlós 2006; Woodruff 2014, Thm 2.16).
 *
 * Defaults: `sketch` `'srht'`, `m` 4·d, `seed` 0, `compareExact` when n·d ≤ 2·10⁶.
 *
 * @param A n×d design matrix (dense or CSR), n ≥ d
 * @param b right-hand side, length n
 * @param options see {@link SketchedLeastSquaresOptions}
 * @returns `{ x, residualNorm, sketchRows, optimalResidualNorm?, l2Error?, lInfError?, linfEpsilon? }`
 * @throws {InvalidArgumentError} `INVALID_ARGUMENT` for bad inputs or options
 * @throws {NonFiniteError} `NON_FINITE` if an input holds NaN or ±∞
 * @throws {ShapeError} `SHAPE_MISMATCH` if b, xTrue or the sketch do not fit A
 * @example
 * import { randn } from '@lr/core';
 * import { sketchedLeastSquares } from '@lr/sketch';
 * const A = randn(1000, 10, { seed: 1 });
 * const b = randn(1000, 1, { seed: 2 }).data as Float64Array;
 * const r = sketchedLeastSquares(A, b, { sketch: 'gaussian', m: 100, seed: 3 });
 * // r.residualNorm ≤ ~1.1 · r.optimalResidualNorm
 */
export function sketchedLeastSquares(
  A: Matrix | CsrMatrix,
  b: Float64Array,
  options?: SketchedLeastSquaresOptions,
): SketchedLeastSquaresResult {
  const opts = optionsObject('options', options);
  const a = asSketchInput('A', A);
  const n = a.rows;
  const d = a.cols;
  const bv = asVector('b', b, n);
  const choice = opts.sketch ?? 'srht';
  const m = typeof choice === 'object' ? choice.rows : assertInt('options.m', opts.m ?? 4 * d, 1);
  const S = makeSketch(choice, m, n, { seed: opts.seed, s: opts.s });
  const xTrue = opts.xTrue === undefined ? undefined : asVector('options.xTrue', opts.xTrue, d);
  const compare = opts.compareExact ?? n * d <= 2e6;

  const SA = S.apply(a);
  const Sb = S.matvec(bv);
  const x = solveSmall(SA, Sb);
  const Ax = a instanceof CsrMatrix ? csrOperator(a).matvec(x) : gemv(a, x);
  const residualNorm = residual(Ax, bv);
  const result: SketchedLeastSquaresResult = { x, residualNorm, sketchRows: S.rows };

  let ref = xTrue;
  let sigmaMin: number | undefined;
  if (compare) {
    const dense = toDense(a);
    if (ref === undefined) ref = lstsq(dense, bv).x;
    const sv = singularValues(dense);
    sigmaMin = sv[sv.length - 1];
  }
  if (ref !== undefined) {
    if (ref.length !== d)
      throw new ShapeError(`options.xTrue: expected length ${d}, got ${ref.length}`);
    const Axs = a instanceof CsrMatrix ? csrOperator(a).matvec(ref) : gemv(a, ref);
    const opt = residual(Axs, bv);
    let l2 = 0;
    let linf = 0;
    for (let j = 0; j < d; j++) {
      const e = Math.abs(x[j]! - ref[j]!);
      l2 += e * e;
      if (e > linf) linf = e;
    }
    result.optimalResidualNorm = opt;
    result.l2Error = Math.sqrt(l2);
    result.lInfError = linf;
    if (sigmaMin !== undefined && sigmaMin > 0 && opt > 0) {
      result.linfEpsilon = (linf * Math.sqrt(d) * sigmaMin) / opt;
    }
  }
  return result;
}

/** min ‖M·x − y‖ by thin QR; falls back to the SVD (minimum norm) when R is near singular. */
function solveSmall(M: Matrix, y: Float64Array): Float64Array {
  if (M.rows >= M.cols) {
    const { Q, R } = qr(M);
    let rmax = 0;
    let rmin = Number.POSITIVE_INFINITY;
    for (let j = 0; j < R.rows; j++) {
      const v = Math.abs(R.get(j, j));
      rmax = Math.max(rmax, v);
      rmin = Math.min(rmin, v);
    }
    if (rmin > rmax * 1e-10) return solveTriangular(R, gemv(Q!, y, { trans: true }));
  }
  return lstsq(M, y).x;
}

function residual(Ax: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < b.length; i++) {
    const r = Ax[i]! - b[i]!;
    s += r * r;
  }
  return Math.sqrt(s);
}
