import {
  assertInt,
  assertNumber,
  assertOneOf,
  checkAbort,
  describe,
  eigh,
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
import { assertBool, now, optionalFunction, optionalSignal, orDefault } from './_args.js';
import { checkMeasurements, type MeasurementOperator } from './measurements.js';

/** Options of {@link sensingGD}. */
export interface SensingGDOptions {
  /** `'symmetric'`: M = X·Xᵀ (needs a symmetric operator); `'asymmetric'`: M = F·Gᵀ. Default `'asymmetric'`. */
  parameterization?: 'symmetric' | 'asymmetric';
  /** Factor width k (may exceed the true rank: over-parameterization) (required). */
  rank: number;
  /** Initialization scale α: factors start as α·N(0, 1/n) entries; default 0.01 (small random init, #9). */
  initScale?: number;
  /** Step size η; default 0.1 (#9's experiments use a constant η of order 1/‖M*‖). */
  stepSize?: number;
  /** Number of GD iterations; default 1000. */
  iterations?: number;
  /**
   * #9's one-step modification (asymmetric only), as read from the paper's abstract and
   * analysis: at one iteration T₁ the pair (F, G) is replaced by
   * (F·(FᵀF)^{-1/2}, G·(FᵀF)^{1/2}) — the same product F·Gᵀ, but F's singular values all
   * become 1, so the small (≈ α) redundant directions of F no longer slow the contraction
   * of G's redundant part. Plain GD runs before and after. Default false.
   */
  oneStep?: boolean;
  /**
   * When to apply the one-step modification: an iteration index, or `'auto'` (default):
   * the first iteration with ‖A(FGᵀ) − y‖ ≤ 0.01·‖y‖ (the end of the initial, α-independent
   * phase in which the signal directions are fitted).
   */
  oneStepAt?: number | 'auto';
  /** The true matrix M*, if known: then `errorHistory` holds ‖FGᵀ − M*‖_F / ‖M*‖_F. */
  truth?: Matrix;
  /** Record the history every `recordEvery` iterations; default 1. */
  recordEvery?: number;
  /** Seed of the random initialization; default 0. */
  seed?: Seed;
  /** Called at every recorded iteration. */
  onProgress?: (p: { iteration: number; loss: number; error: number }) => void;
  /** Stops the work with an `ABORTED` error when it fires (checked at every recorded iteration). */
  signal?: AbortSignal;
}

/** Result of {@link sensingGD}. */
export interface SensingGDResult {
  /** Left factor F (n1×k), or X for the symmetric parameterization. */
  F: Matrix;
  /** Right factor G (n2×k), or X again for the symmetric parameterization. */
  G: Matrix;
  /** The estimate F·Gᵀ. */
  estimate: Matrix;
  /** Loss ½‖A(FGᵀ) − y‖² at each recorded iteration (index 0 = initialization). */
  lossHistory: number[];
  /** Relative error ‖FGᵀ − M*‖_F/‖M*‖_F at each recorded iteration (empty without `truth`). */
  errorHistory: number[];
  /** Iteration number of each history entry. */
  iterationHistory: number[];
  /** Iteration at which the one-step modification was applied, or −1. */
  oneStepIteration: number;
  iterations: number;
  seconds: number;
}

function invSqrtAndSqrt(S: Matrix): { inv: Matrix; sq: Matrix } {
  const k = S.rows;
  const { values, vectors } = eigh(S);
  const Vm = vectors!;
  const floor = Math.max(values[k - 1]!, 0) * 1e-14 + 1e-300;
  // V·diag(l^∓½)·Vᵀ: scale the columns of V, then one GEMM each
  const Vi = zeros(k, k);
  const Vs = zeros(k, k);
  for (let a = 0; a < k; a++)
    for (let c = 0; c < k; c++) {
      const r = Math.sqrt(Math.max(values[c]!, floor));
      const v = Vm.get(a, c);
      Vi.set(a, c, v / r);
      Vs.set(a, c, v * r);
    }
  const inv = zeros(k, k);
  const sq = zeros(k, k);
  gemm(Vi, Vm, inv, { transB: true });
  gemm(Vs, Vm, sq, { transB: true });
  return { inv, sq };
}

/**
 * Gradient descent for matrix sensing, y = A(M*), with the factorized models of Xiong,
 * Ding & Du 2023 (#9): the symmetric X·Xᵀ (loss ¼‖A(XXᵀ) − y‖², step X ← X − η·Sym(A*(r))·X)
 * and the asymmetric F·Gᵀ (loss ½‖A(FGᵀ) − y‖², F ← F − η·A*(r)·G, G ← G − η·A*(r)ᵀ·F),
 * from a small random initialization of scale α and width k ≥ rank(M*). The asymmetric
 * model needs a general (non-symmetric) operator: a symmetric one sees only the symmetric
 * part of F·Gᵀ. The step size must stay below about 1/‖M*‖₂. #9 proves:
 * symmetric over-parameterized (k > r) GD converges only at Θ(1/T²); asymmetric GD
 * converges linearly at rate exp(−Ω(α²T)); and a one-step modification (`oneStep`)
 * restores an α-independent linear rate.
 *
 * @param measurements the operator A (from {@link gaussianMeasurements} or {@link entryMeasurements})
 * @param y the measurements, length A.count
 * @param options see {@link SensingGDOptions}; `rank` is required
 * @returns factors, estimate and loss / error histories
 * @throws {InvalidArgumentError} for bad options, or `'symmetric'` with a non-symmetric operator
 * @throws {ShapeError} if `truth` is not n1×n2
 * @throws {NonFiniteError} `NON_FINITE` if y holds NaN or ±∞
 * @throws {AbortedError} when `signal` fires
 * @example
 * const Xs = randn(20, 2, { seed: 1 });
 * const M = scale(matmul(Xs, Xs.T), 1 / 20); // ‖M‖ ≈ 1, so stepSize 0.2 is stable
 * const A = gaussianMeasurements(400, 20, 20, { symmetric: true, seed: 2 });
 * const fit = sensingGD(A, A.apply(M), {
 *   parameterization: 'symmetric', rank: 4, initScale: 0.5, stepSize: 0.2, iterations: 500, truth: M,
 * });
 * fit.errorHistory.at(-1); // < 0.05, but decaying only like 1/T (k = 4 > r = 2)
 */
export function sensingGD(
  measurements: MeasurementOperator,
  y: Float64Array,
  options: SensingGDOptions,
): SensingGDResult {
  const t0 = now();
  const { A } = checkMeasurements(measurements, y);
  if (options === undefined)
    throw new InvalidArgumentError('options: expected an options object with rank, got undefined');
  const opts = optionsObject('options', options);
  const defaults = {
    parameterization: 'asymmetric',
    initScale: 0.01,
    stepSize: 0.1,
    iterations: 1000,
    oneStep: false,
    oneStepAt: 'auto',
    recordEvery: 1,
    seed: 0,
  } as const;
  const { n1, n2 } = A;
  const param = assertOneOf(
    'options.parameterization',
    orDefault(opts.parameterization, defaults.parameterization),
    ['symmetric', 'asymmetric'] as const,
  );
  const k = assertInt('options.rank', opts.rank, 1, Math.max(n1, n2));
  const alpha = assertNumber('options.initScale', orDefault(opts.initScale, defaults.initScale), 0);
  const eta = assertNumber('options.stepSize', orDefault(opts.stepSize, defaults.stepSize), 0);
  const T = assertInt('options.iterations', orDefault(opts.iterations, defaults.iterations));
  const oneStep = assertBool('options.oneStep', orDefault(opts.oneStep, defaults.oneStep));
  const atRaw = orDefault(opts.oneStepAt, defaults.oneStepAt);
  const oneStepAt = atRaw === 'auto' ? -1 : assertInt('options.oneStepAt', atRaw);
  const every = assertInt(
    'options.recordEvery',
    orDefault(opts.recordEvery, defaults.recordEvery),
    1,
  );
  const onProgress = optionalFunction('options.onProgress', opts.onProgress);
  const signal = optionalSignal('options.signal', opts.signal);
  const truth = opts.truth;
  if (truth !== undefined) {
    if (!(truth instanceof Matrix))
      throw new InvalidArgumentError(`options.truth: expected a Matrix, got ${describe(truth)}`);
    if (truth.rows !== n1 || truth.cols !== n2) {
      throw new ShapeError(`options.truth: expected ${n1}×${n2}, got ${truth.rows}×${truth.cols}`);
    }
  }
  if (param === 'symmetric' && (!A.symmetric || n1 !== n2)) {
    throw new InvalidArgumentError(
      "options.parameterization: 'symmetric' needs a symmetric measurement operator",
    );
  }
  if (oneStep && param === 'symmetric') {
    throw new InvalidArgumentError(
      "options.oneStep: #9's modification is for the asymmetric parameterization",
    );
  }
  const rng = Rng.from(orDefault(opts.seed, defaults.seed));
  let F = zeros(n1, k);
  rng.fillNormal(F.data, 0, alpha / Math.sqrt(n1));
  let G = F;
  if (param === 'asymmetric') {
    G = zeros(n2, k);
    rng.fillNormal(G.data, 0, alpha / Math.sqrt(n2));
  }
  const truthNorm = truth ? normFro(truth) : 1;
  let yNorm = 0;
  for (let i = 0; i < y.length; i++) yNorm += y[i]! * y[i]!;
  yNorm = Math.sqrt(yNorm);
  const est = zeros(n1, n2);
  const lossHistory: number[] = [];
  const errorHistory: number[] = [];
  const iterationHistory: number[] = [];
  let applied = -1;
  const gF = zeros(n1, k);
  const gG = zeros(n2, k);
  for (let t = 0; ; t++) {
    gemm(F, G, est, { transB: true });
    const r = A.apply(est);
    let loss = 0;
    for (let i = 0; i < r.length; i++) {
      r[i] = r[i]! - y[i]!;
      loss += r[i]! * r[i]!;
    }
    if (t % every === 0 || t === T) {
      const err = truth ? normFro(sub(est, truth)) / truthNorm : Number.NaN;
      lossHistory.push(loss / 2);
      if (truth) errorHistory.push(err);
      iterationHistory.push(t);
      onProgress?.({ iteration: t, loss: loss / 2, error: err });
      checkAbort(signal);
    }
    if (t === T) break;
    const R = A.adjoint(r);
    if (param === 'symmetric') {
      // ∇ of ¼‖A(XXᵀ) − y‖² is Sym(A*(r))·X = A*(r)·X for a symmetric operator
      gemm(R, F, gF);
      for (let p = 0; p < F.data.length; p++) F.data[p] = F.data[p]! - eta * gF.data[p]!;
      G = F;
    } else {
      gemm(R, G, gF);
      gemm(R, F, gG, { transA: true });
      for (let p = 0; p < F.data.length; p++) F.data[p] = F.data[p]! - eta * gF.data[p]!;
      for (let p = 0; p < G.data.length; p++) G.data[p] = G.data[p]! - eta * gG.data[p]!;
      const trigger = oneStepAt >= 0 ? t + 1 === oneStepAt : Math.sqrt(loss) <= 0.01 * yNorm;
      if (oneStep && applied < 0 && trigger) {
        const FtF = zeros(k, k);
        gemm(F, F, FtF, { transA: true });
        const { inv, sq } = invSqrtAndSqrt(FtF);
        const F2 = zeros(n1, k);
        const G2 = zeros(n2, k);
        gemm(F, inv, F2);
        gemm(G, sq, G2);
        F = F2;
        G = G2;
        applied = t + 1;
      }
    }
  }
  gemm(F, G, est, { transB: true });
  return {
    F: F.clone(),
    G: G.clone(),
    estimate: est,
    lossHistory,
    errorHistory,
    iterationHistory,
    oneStepIteration: applied,
    iterations: T,
    seconds: (now() - t0) / 1000,
  };
}
