import {
  assertInt,
  assertNumber,
  checkAbort,
  describe,
  gemm,
  InvalidArgumentError,
  Matrix,
  normFro,
  optionsObject,
  Rng,
  type Seed,
  ShapeError,
  sub,
  zeros,
} from '@lr/core';
import { now, optionalFunction, optionalSignal, orDefault } from './_args.js';
import { checkMeasurements, type MeasurementOperator } from './measurements.js';

/** Options of {@link subgradientL1}. */
export interface SubgradientL1Options {
  /** Factor width k, may over-estimate the true rank (#2 allows any k ≥ r) (required). */
  rank: number;
  /** Initialization scale α: X₀ has N(0, α²/n) entries; default 1e-3 (#2: small initialization is what makes over-parameterization harmless). */
  initScale?: number;
  /** Initial step size η₀; default 0.2 (tuned on this package's n = 20, m = 400 test problem; #2 leaves η₀ to the user). */
  stepSize0?: number;
  /** Geometric decay ρ ∈ (0, 1]: η_t = η₀·ρ^t; default 0.99 (#2's geometrically decaying step). */
  decay?: number;
  /** Iterations; default 1000. */
  iterations?: number;
  /** The true M*, if known: then `errorHistory` holds ‖XXᵀ − M*‖_F/‖M*‖_F. */
  truth?: Matrix;
  /** Seed of X₀; default 0. */
  seed?: Seed;
  /** Called every iteration. */
  onProgress?: (p: { iteration: number; loss: number; error: number }) => void;
  /** Stops the work with an `ABORTED` error when it fires (checked every iteration). */
  signal?: AbortSignal;
}

/** Result of {@link subgradientL1}. */
export interface SubgradientL1Result {
  /** The factor X (n×k). */
  X: Matrix;
  /** The estimate X·Xᵀ. */
  estimate: Matrix;
  /** ℓ1 loss (1/√m)‖A(XXᵀ) − y‖₁ per iteration (index 0 = initialization). */
  lossHistory: number[];
  /** Relative error per iteration (empty without `truth`). */
  errorHistory: number[];
  iterations: number;
  seconds: number;
}

/**
 * The sub-gradient method for robust symmetric matrix sensing with the ℓ1 loss, after Ma &
 * Fattahi, "Global Convergence of Sub-gradient Method for Robust Matrix Recovery: Small
 * Initialization, Noisy Measurements, and Over-parameterization" (#2):
 * minimize f(X) = (1/√m)·‖A(XXᵀ) − y‖₁ over X ∈ ℝ^{n×k} by
 * X ← X − η_t·(1/√m)·(A*(s) + A*(s)ᵀ)·X with s = sign(A(XXᵀ) − y) and η_t = η₀ρ^t, from a
 * small random X₀. The ℓ1 loss ignores a constant fraction of gross outliers in y; small
 * initialization keeps the redundant k − r directions small, so an over-estimated rank
 * does not overfit. (The 1/√m scaling makes f ≈ √(2/π)‖XXᵀ − M*‖_F for clean
 * N(0, 1/m) measurements, so step sizes do not depend on m.)
 *
 * @param measurements the operator A (square n×n)
 * @param y measurements, possibly corrupted, length A.count
 * @param options see {@link SubgradientL1Options}; `rank` is required
 * @returns `{ X, estimate, lossHistory, errorHistory, iterations, seconds }`
 * @throws {InvalidArgumentError} for bad options or a non-square operator
 * @throws {ShapeError} if `truth` is not n×n
 * @throws {NonFiniteError} `NON_FINITE` if y holds NaN or ±∞
 * @throws {AbortedError} when `signal` fires
 * @example
 * const Xs = randn(20, 2, { seed: 1 });
 * const M = scale(matmul(Xs, Xs.T), 1 / 20);
 * const A = gaussianMeasurements(400, 20, 20, { seed: 2 });
 * const y = A.apply(M);
 * y[0] += 100; // a gross outlier
 * const fit = subgradientL1(A, y, { rank: 6, truth: M });
 */
export function subgradientL1(
  measurements: MeasurementOperator,
  y: Float64Array,
  options: SubgradientL1Options,
): SubgradientL1Result {
  const t0 = now();
  const { A } = checkMeasurements(measurements, y);
  if (options === undefined)
    throw new InvalidArgumentError('options: expected an options object with rank, got undefined');
  const opts = optionsObject('options', options);
  const defaults = { initScale: 1e-3, stepSize0: 0.2, decay: 0.99, iterations: 1000, seed: 0 };
  const n = A.n1;
  if (A.n2 !== n)
    throw new InvalidArgumentError(`measurements: expected a square operator, got ${A.n1}×${A.n2}`);
  const k = assertInt('options.rank', opts.rank, 1, n);
  const alpha = assertNumber('options.initScale', orDefault(opts.initScale, defaults.initScale), 0);
  const eta0 = assertNumber('options.stepSize0', orDefault(opts.stepSize0, defaults.stepSize0), 0);
  const rho = assertNumber('options.decay', orDefault(opts.decay, defaults.decay), 0, 1);
  if (rho === 0)
    throw new InvalidArgumentError('options.decay: expected a number in (0, 1], got 0');
  const T = assertInt('options.iterations', orDefault(opts.iterations, defaults.iterations));
  const onProgress = optionalFunction('options.onProgress', opts.onProgress);
  const signal = optionalSignal('options.signal', opts.signal);
  const truth = opts.truth;
  if (truth !== undefined) {
    if (!(truth instanceof Matrix))
      throw new InvalidArgumentError(`options.truth: expected a Matrix, got ${describe(truth)}`);
    if (truth.rows !== n || truth.cols !== n)
      throw new ShapeError(`options.truth: expected ${n}×${n}, got ${truth.rows}×${truth.cols}`);
  }
  const X = zeros(n, k);
  Rng.from(orDefault(opts.seed, defaults.seed)).fillNormal(X.data, 0, alpha / Math.sqrt(n));
  const est = zeros(n, n);
  const S = zeros(n, n);
  const gX = zeros(n, k);
  const m = A.count;
  const c = 1 / Math.sqrt(m);
  const truthNorm = truth ? normFro(truth) : 1;
  const lossHistory: number[] = [];
  const errorHistory: number[] = [];
  let eta = eta0;
  for (let t = 0; ; t++) {
    checkAbort(signal);
    gemm(X, X, est, { transB: true });
    const r = A.apply(est);
    let loss = 0;
    for (let i = 0; i < m; i++) {
      const d = r[i]! - y[i]!;
      loss += Math.abs(d);
      r[i] = Math.sign(d);
    }
    loss *= c;
    const err = truth ? normFro(sub(est, truth)) / truthNorm : Number.NaN;
    lossHistory.push(loss);
    if (truth) errorHistory.push(err);
    onProgress?.({ iteration: t, loss, error: err });
    if (t === T) break;
    const G = A.adjoint(r);
    for (let i = 0; i < n; i++)
      for (let j = 0; j < n; j++) S.data[i * n + j] = c * (G.data[i * n + j]! + G.data[j * n + i]!);
    gemm(S, X, gX);
    for (let p = 0; p < X.data.length; p++) X.data[p] = X.data[p]! - eta * gX.data[p]!;
    eta *= rho;
  }
  gemm(X, X, est, { transB: true });
  return {
    X,
    estimate: est,
    lossHistory,
    errorHistory,
    iterations: T,
    seconds: (now() - t0) / 1000,
  };
}
