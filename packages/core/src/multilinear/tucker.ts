import { InvalidArgumentError } from '../errors.js';
import { norm2 } from '../kernels/blas1.js';
import type { Matrix } from '../matrix.js';
import type { Tensor } from '../tensor.js';
import { assertInt, assertNumber, assertOneOf, checkAbort, optionsObject } from '../validate.js';
import { _asTensor } from './_asTensor.js';
import { _leadingLeftSingularVectors } from './_leadingSingularVectors.js';
import { _modeProduct, _multiModeProduct, type _RawTensor, _unfoldRaw } from './_modeProduct.js';
import { _assertTensor, _finiteCopy, _resolveRanks } from './_tensorInput.js';
import { _hosvdRaw } from './hosvd.js';

/** Options of {@link tucker}. */
export interface TuckerOptions {
  /**
   * Multilinear ranks (R_0, …, R_{N−1}), each in [1, I_n]; a single number applies to
   * every mode. Default: the full shape (exact, no compression).
   */
  ranks?: number | readonly number[];
  /**
   * `'hooi'` (default): higher-order orthogonal iteration started from the HOSVD
   * (Kolda & Bader 2009, Fig. 4.4; De Lathauwer, De Moor & Vandewalle 2000b).
   * `'hosvd'`: the truncated HOSVD alone (one pass, no iteration).
   */
  method?: 'hooi' | 'hosvd';
  /** HOOI sweep cap; default 50 (Tensor Toolbox `tucker_als` default). */
  maxIterations?: number;
  /**
   * Stop when one sweep changes the relative error by less than this (the Tensor Toolbox
   * criterion |fit − fit_old| < tol with fit = 1 − relative error); default 1e-8.
   */
  tol?: number;
  /** Called after the initialization (iteration 0) and after every sweep. */
  onProgress?: (info: { iteration: number; relativeError: number }) => void;
  /** Stops the iteration with an `AbortedError` between sweeps. */
  signal?: AbortSignal;
}

/** Result of {@link tucker}: X ≈ G ×_0 U_0 ×_1 U_1 … ×_{N−1} U_{N−1}. */
export interface TuckerResult {
  /** Core G = X ×_0 U_0ᵀ … ×_{N−1} U_{N−1}ᵀ, shape [R_0, …, R_{N−1}] (a Matrix when N = 2). */
  core: Tensor;
  /** Factors U_n, I_n × R_n with orthonormal columns. */
  factors: Matrix[];
  /** ‖X − X̂‖_F / ‖X‖_F of the returned decomposition (0 for X = 0), from the explicit residual. */
  relativeError: number;
  /** HOOI sweeps done (0 for `'hosvd'`). */
  iterations: number;
  /** Whether the tolerance was met (true for `'hosvd'`, which does not iterate). */
  converged: boolean;
  /** Relative error after the HOSVD initialization (entry 0) and after each sweep. */
  history: number[];
}

/**
 * Tucker decomposition of a tensor to multilinear ranks (R_0, …, R_{N−1}) by the
 * higher-order orthogonal iteration, HOOI (Kolda & Bader, "Tensor Decompositions and
 * Applications", SIAM Review 2009, Fig. 4.4; De Lathauwer, De Moor & Vandewalle, "On the
 * best rank-1 and rank-(R1, …, RN) approximation of higher-order tensors", SIAM J. Matrix
 * Anal. Appl. 2000). Initialised by the truncated {@link hosvd}, each sweep replaces U_n by
 * the R_n leading left singular vectors of Y_(n), Y = X ×_{k≠n} U_kᵀ, which never
 * increases ‖X − X̂‖ (each step maximizes ‖G‖ over U_n with the others fixed, and
 * ‖X − X̂‖² = ‖X‖² − ‖G‖² for orthonormal factors). HOOI converges to a stationary point,
 * not necessarily the global best approximation. The error after every sweep is computed
 * from the explicit residual (one reconstruction per sweep), so it is accurate to rounding
 * even for exactly low-rank tensors, where ‖X‖² − ‖G‖² would lose half the digits.
 * Non-convergence within `maxIterations` is reported by `converged: false`, not thrown.
 *
 * @param t tensor X of shape [I_0, …, I_{N−1}], N ≥ 1, all I_n ≥ 1 (any strides; not modified)
 * @param options see {@link TuckerOptions}
 * @returns `{ core, factors, relativeError, iterations, converged, history }`: core
 *   [R_0, …, R_{N−1}], factors[n] I_n × R_n, history of length iterations + 1
 * @throws {InvalidArgumentError} if `t` is not a Tensor, has an empty dimension, or an option is invalid
 * @throws {ShapeError} if `t` is 0-dimensional
 * @throws {NonFiniteError} if `t` holds NaN or ±Infinity
 * @throws {AbortedError} if `options.signal` fires
 * @example
 * const { core, factors, relativeError } = tucker(X, { ranks: [5, 5, 3] });
 */
export function tucker(t: Tensor, options?: TuckerOptions): TuckerResult {
  const tt = _assertTensor('t', t);
  const opts = optionsObject('options', options);
  const ranks = _resolveRanks('options.ranks', opts.ranks, tt.shape);
  const method =
    opts.method === undefined
      ? 'hooi'
      : assertOneOf('options.method', opts.method, ['hooi', 'hosvd'] as const);
  const maxIterations =
    opts.maxIterations === undefined
      ? 50
      : assertInt('options.maxIterations', opts.maxIterations, 1);
  const tol = opts.tol === undefined ? 1e-8 : assertNumber('options.tol', opts.tol, 0);
  const onProgress = opts.onProgress;
  if (onProgress !== undefined && typeof onProgress !== 'function') {
    throw new InvalidArgumentError('options.onProgress: expected a function');
  }
  const signal = opts.signal;
  checkAbort(signal);

  const x: _RawTensor = { data: _finiteCopy('t', tt), shape: [...tt.shape] };
  const normX = norm2(x.data);
  const relErr = (coreRaw: _RawTensor, factors: readonly Matrix[]): number => {
    if (normX === 0) return 0;
    const rec = _multiModeProduct(coreRaw, factors, -1, false).data;
    const d = new Float64Array(rec.length);
    for (let i = 0; i < d.length; i++) d[i] = x.data[i]! - rec[i]!;
    return norm2(d) / normX;
  };

  const init = _hosvdRaw(x, ranks);
  let factors = init.factors;
  let core: _RawTensor = { data: init.core.toFloat64Array(), shape: [...ranks] };
  const history = [relErr(core, factors)];
  onProgress?.({ iteration: 0, relativeError: history[0]! });
  if (method === 'hosvd') {
    return {
      core: init.core,
      factors,
      relativeError: history[0]!,
      iterations: 0,
      converged: true,
      history,
    };
  }

  const N = x.shape.length;
  let converged = false;
  let iterations = 0;
  while (iterations < maxIterations) {
    checkAbort(signal);
    const next = [...factors];
    let y: _RawTensor = x;
    for (let n = 0; n < N; n++) {
      y = _multiModeProduct(x, next, n, true);
      const I = x.shape[n]!;
      next[n] = _leadingLeftSingularVectors(_unfoldRaw(y, n), I, y.data.length / I, ranks[n]!).U;
    }
    core = _modeProduct(y, next[N - 1]!.T, N - 1);
    factors = next;
    iterations++;
    const err = relErr(core, factors);
    const prev = history[history.length - 1]!;
    history.push(err);
    onProgress?.({ iteration: iterations, relativeError: err });
    if (Math.abs(prev - err) < tol) {
      converged = true;
      break;
    }
  }
  return {
    core: _asTensor(core),
    factors,
    relativeError: history[history.length - 1]!,
    iterations,
    converged,
    history,
  };
}
