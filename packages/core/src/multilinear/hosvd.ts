import type { Matrix } from '../matrix.js';
import type { Tensor } from '../tensor.js';
import { optionsObject } from '../validate.js';
import { _asTensor } from './_asTensor.js';
import { _leadingLeftSingularVectors } from './_leadingSingularVectors.js';
import { _multiModeProduct, type _RawTensor, _unfoldRaw } from './_modeProduct.js';
import { _assertTensor, _finiteCopy, _resolveRanks } from './_tensorInput.js';

/** Options of {@link hosvd}. */
export interface HosvdOptions {
  /**
   * Multilinear ranks (R_0, …, R_{N−1}), each in [1, I_n]; a single number applies to
   * every mode. Default: the full shape (an exact decomposition).
   */
  ranks?: number | readonly number[];
}

/** Result of {@link hosvd}: X ≈ G ×_0 U_0 ×_1 U_1 … ×_{N−1} U_{N−1}. */
export interface HosvdResult {
  /** Core tensor G = X ×_0 U_0ᵀ … ×_{N−1} U_{N−1}ᵀ, shape [R_0, …, R_{N−1}] (a Matrix when N = 2). */
  core: Tensor;
  /** Factor U_n, I_n × R_n with orthonormal columns: the leading left singular vectors of X_(n). */
  factors: Matrix[];
  /** All singular values of each unfolding X_(n), descending (the mode-n singular values). */
  singularValues: Float64Array[];
}

/** Truncated HOSVD on validated raw input (shared with tucker's initialization). */
export function _hosvdRaw(x: _RawTensor, ranks: readonly number[]): HosvdResult {
  const factors: Matrix[] = [];
  const singularValues: Float64Array[] = [];
  for (let n = 0; n < x.shape.length; n++) {
    const I = x.shape[n]!;
    const J = x.data.length / I;
    const { U, S } = _leadingLeftSingularVectors(_unfoldRaw(x, n), I, J, ranks[n]!);
    factors.push(U);
    singularValues.push(S);
  }
  const core = _asTensor(_multiModeProduct(x, factors, -1, true));
  return { core, factors, singularValues };
}

/**
 * Higher-order SVD (De Lathauwer, De Moor & Vandewalle, "A multilinear singular value
 * decomposition", SIAM J. Matrix Anal. Appl. 21(4), 2000), truncated to multilinear ranks
 * (R_0, …, R_{N−1}): U_n holds the R_n leading left singular vectors of the mode-n
 * unfolding X_(n) (from the SVD of the unfolding, see {@link unfold}) and the core is
 * G = X ×_0 U_0ᵀ ×_1 U_1ᵀ … With full ranks the decomposition is exact and the core is
 * all-orthogonal: the rows of every G_(n) are mutually orthogonal with norms equal to the
 * mode-n singular values. Truncation is quasi-optimal: ‖X − X̂‖ ≤ √N·‖X − X_best‖
 * (De Lathauwer et al. 2000, Property 10); {@link tucker} with HOOI improves on it.
 *
 * @param t tensor X of shape [I_0, …, I_{N−1}], N ≥ 1, all I_n ≥ 1 (any strides; not modified)
 * @param options see {@link HosvdOptions}
 * @returns `{ core, factors, singularValues }`: core [R_0, …, R_{N−1}], factors[n] I_n × R_n,
 *   singularValues[n] of length min(I_n, Π_{k≠n} I_k)
 * @throws {InvalidArgumentError} if `t` is not a Tensor, has an empty dimension, or a rank is not an integer in [1, I_n]
 * @throws {ShapeError} if `t` is 0-dimensional
 * @throws {NonFiniteError} if `t` holds NaN or ±Infinity
 * @example
 * const { core, factors } = hosvd(X, { ranks: [2, 2, 2] });
 * const Xhat = tuckerReconstruct(core, factors);
 */
export function hosvd(t: Tensor, options?: HosvdOptions): HosvdResult {
  const x = _assertTensor('t', t);
  const opts = optionsObject('options', options);
  const ranks = _resolveRanks('options.ranks', opts.ranks, x.shape);
  return _hosvdRaw({ data: _finiteCopy('t', x), shape: [...x.shape] }, ranks);
}
