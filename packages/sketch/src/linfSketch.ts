import { assertInt, assertNumber, assertOneOf, optionsObject, type Seed } from '@lr/core';
import { gaussianSketch } from './gaussianSketch.js';
import type { SketchOperator } from './sketchOperator.js';
import { srht } from './srht.js';

/** Options of {@link linfSketch}. */
export interface LinfSketchOptions {
  /**
   * The dense distribution: `'srht'` (default; S·A in O(n·d·log n), the fast construction
   * of paper #3) or `'gaussian'` (i.i.d. N(0, 1/m)).
   */
  construction?: 'srht' | 'gaussian';
  /** Seed (or an Rng); default 0. */
  seed?: Seed;
}

/** Options of {@link linfSketchRows}. */
export interface LinfSketchRowsOptions {
  /** Target ε of the ℓ∞ guarantee; default 0.5. */
  epsilon?: number;
  /** Failure probability δ; default 0.01. */
  delta?: number;
  /** Constant in front of the bound (the paper's O(·) hides it); default 1. */
  constant?: number;
}

/**
 * Sketch size of paper #3 (Song, Ye, Yin, Zhang 2023, Thm 1.3):
 * m = ⌈C·ε⁻²·d·log³(n/δ)⌉ (natural logarithm), for the ℓ∞ guarantee
 * ‖x̃ − x*‖∞ ≤ (ε/√d)·‖Ax* − b‖₂·‖A†‖ with probability 1 − δ. The bound is asymptotic
 * and loose for small n: compare it with n before use.
 *
 * @param n rows of A, integer ≥ 1
 * @param d columns of A, integer ≥ 1
 * @param options `epsilon` (0.5), `delta` (0.01), `constant` (1)
 * @returns the number of rows m
 * @throws {InvalidArgumentError} `INVALID_ARGUMENT` for bad sizes or options
 * @example
 * import { linfSketchRows } from '@lr/sketch';
 * linfSketchRows(1e6, 10, { epsilon: 1, delta: 0.1 }); // ⌈10·ln³(1e7)⌉ = 41874
 */
export function linfSketchRows(n: number, d: number, options?: LinfSketchRowsOptions): number {
  const opts = optionsObject('options', options);
  assertNumber('n', n, 1);
  assertInt('d', d, 1);
  const eps = assertNumber('options.epsilon', opts.epsilon ?? 0.5, Number.MIN_VALUE);
  const delta = assertNumber('options.delta', opts.delta ?? 0.01, Number.MIN_VALUE, 1);
  const c = assertNumber('options.constant', opts.constant ?? 1, Number.MIN_VALUE);
  return Math.ceil((c * d * Math.log(n / delta) ** 3) / (eps * eps));
}

/**
 * The dense sketch of paper #3 ("A Nearly-Optimal Bound for Fast Regression with ℓ∞
 * Guarantee", Song, Ye, Yin, Zhang, ICML 2023). Our reading of the paper: it shows that
 * dense distributions with the Oblivious Coordinate-wise Embedding property — the i.i.d.
 * Gaussian matrix and the SRHT — give the ℓ∞ guarantee with m = ε⁻²·d·log³(n/δ) rows, and
 * that the SRHT computes S·A in O(n·d·log n); the paper defines no new matrix beyond these,
 * so this function returns one of them (SRHT by default) and {@link linfSketchRows} gives
 * the paper's m. Sparse sketches (CountSketch, OSNAP) provably cannot meet the guarantee.
 *
 * @param m sketch size (see {@link linfSketchRows}), integer ≥ 1 (≤ the power of two ≥ n for SRHT)
 * @param n length of the sketched vectors, integer ≥ 1
 * @param options `construction` (`'srht'`), `seed` (0)
 * @returns a {@link SketchOperator} of kind `'srht'` or `'gaussian'`
 * @throws {InvalidArgumentError} `INVALID_ARGUMENT` for bad sizes or options
 * @example
 * import { randn } from '@lr/core';
 * import { linfSketch, sketchedLeastSquares } from '@lr/sketch';
 * const A = randn(2000, 10, { seed: 1 });
 * const b = randn(2000, 1, { seed: 2 }).data as Float64Array;
 * const { lInfError } = sketchedLeastSquares(A, b, { sketch: linfSketch(400, 2000, { seed: 3 }) });
 */
export function linfSketch(m: number, n: number, options?: LinfSketchOptions): SketchOperator {
  const opts = optionsObject('options', options);
  const construction = assertOneOf('options.construction', opts.construction ?? 'srht', [
    'srht',
    'gaussian',
  ] as const);
  return construction === 'srht'
    ? srht(m, n, { seed: opts.seed })
    : gaussianSketch(m, n, { seed: opts.seed });
}
