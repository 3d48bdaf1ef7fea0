import { asMatrix, assertNumber, Matrix, optionsObject } from '@lr/core';
import { orDefault } from './_validate.js';
import { type EmdOptions, emd } from './emd.js';

/** Options of {@link wasserstein}. */
export interface WassersteinOptions extends EmdOptions {
  /** Exponent p ≥ 1: the LP uses the cost D^p; default 1. */
  p?: number;
}

/** Result of {@link wasserstein}. */
export interface WassersteinResult {
  /** W_p(a, b) = (min ⟨P, D^p⟩)^(1/p). */
  distance: number;
  /** min ⟨P, D^p⟩ = W_p^p. */
  cost: number;
  /** An optimal plan, n×m. */
  plan: Matrix;
  /** True when the network simplex proved optimality. */
  converged: boolean;
}

/**
 * Exact p-Wasserstein distance between histograms a and b on points with pairwise
 * ground distances D: solves the transport LP with cost D^p by {@link emd} and returns
 * W_p = cost^(1/p). Pass Euclidean distances (`costMatrix(X, Y, { metric: 'euclidean' })`)
 * for the usual W_p.
 *
 * Defaults: `p` 1; the simplex options of {@link emd}.
 *
 * @param a source histogram, length n (`[]` = uniform)
 * @param b target histogram, length m, same total mass
 * @param D ground distance matrix n×m (non-negative for p that is not an integer)
 * @param options see {@link WassersteinOptions}
 * @returns `{ distance, cost, plan, converged }`
 * @throws the errors of {@link emd}; `INVALID_ARGUMENT` for p < 1
 * @example
 * import { Matrix } from '@lr/core';
 * import { wasserstein } from '@lr/ot';
 * const D = Matrix.from([[0, 2], [2, 0]]);
 * wasserstein([1, 0], [0, 1], D, { p: 2 }).distance; // 2
 */
export function wasserstein(
  a: ArrayLike<number>,
  b: ArrayLike<number>,
  D: Matrix,
  options?: WassersteinOptions,
): WassersteinResult {
  const d = asMatrix('D', D);
  const opts = optionsObject('options', options);
  const defaults = { p: 1 };
  const p = assertNumber('options.p', orDefault(opts.p, defaults.p), 1);
  const Dp = new Matrix(new Float64Array(d.rows * d.cols), d.rows, d.cols);
  for (let i = 0; i < d.rows; i++) for (let j = 0; j < d.cols; j++) Dp.set(i, j, d.get(i, j) ** p);
  const { p: _p, ...emdOpts } = opts;
  const r = emd(a, b, Dp, emdOpts);
  return { distance: r.cost ** (1 / p), cost: r.cost, plan: r.plan, converged: r.converged };
}
