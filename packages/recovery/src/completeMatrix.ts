import {
  assertInt,
  assertNumber,
  assertOneOf,
  checkAbort,
  csrOperator,
  describe,
  InvalidArgumentError,
  type Matrix,
  optionsObject,
  Rng,
  randomizedSvd,
  type Seed,
  ShapeError,
} from '@lr/core';
import { assertBool, now, optionalFunction, optionalSignal, orDefault } from './_args.js';
import {
  asMatrices,
  checkIndex,
  cloneModel,
  fitBiases,
  type Model,
  modelRmse,
  predictOne,
} from './_model.js';
import { cgRowSolves, exactRowSolves, maxCount, rowWork } from './_rowSolve.js';
import { type SoftImputeState, softImputeStep } from './_softImpute.js';
import { type SvtState, svtInit, svtStep } from './_svt.js';
import { ObservedEntries } from './observed.js';

/** Completion algorithms of {@link completeMatrix}. */
export type CompletionMethod = 'altmin' | 'robust-altmin' | 'softimpute' | 'svt';

/** What {@link completeMatrix} reports to `onProgress` after every iteration. */
export interface CompletionProgress {
  iteration: number;
  trainRmse: number;
  /** NaN without `heldOut`. */
  heldOutRmse: number;
  objective: number;
}

/** Options of {@link completeMatrix}. */
export interface CompleteMatrixOptions {
  /** Target rank k ≥ 1 (required). For `'svt'` it caps the rank of the iterates. */
  rank: number;
  /** Algorithm; default `'altmin'`. */
  method?: CompletionMethod;
  /**
   * Regularization λ ≥ 0; default 0 (noiseless exact completion, as in #1 and JNS13).
   * AltMin: ridge penalty λ(‖U‖²_F + ‖V‖²_F + ‖b‖² + ‖c‖²) added to Σ_Ω residual²;
   * SoftImpute: the nuclear-norm weight of ½Σ_Ω residual² + λ‖Z‖_* (the two are the same
   * problem at the optimum, Hastie et al. 2015). Ignored by SVT (see `tau`).
   * Use λ > 0 (e.g. 5–20 for MovieLens at rank 10) for noisy ratings.
   */
  lambda?: number;
  /** Fit a global mean and user/item biases μ + b_i + c_j beside the low-rank part; default false. */
  biases?: boolean;
  /** Iteration cap; default 100 (one iteration = one U sweep and one V sweep, or one SVD). */
  maxIterations?: number;
  /**
   * Tolerance; default 1e-6. Stops when train RMSE ≤ tol·RMS(values), or (not SVT) when
   * the objective's relative decrease falls below tol.
   */
  tol?: number;
  /** Held-out entries (same shape) whose RMSE is recorded every iteration. */
  heldOut?: ObservedEntries;
  /** Stop when held-out RMSE has not improved for `patience` iterations, and return the best iterate; default false. */
  earlyStopping?: boolean;
  /** Patience of early stopping; default 3. */
  patience?: number;
  /**
   * `'robust-altmin'` only: conjugate-gradient steps per row solve, warm-started from the
   * previous iterate; default 3 (Gu, Song, Yin & Zhang 2023 (#1) need O(log 1/ε) cheap
   * solver iterations per update; 3 Jacobi-preconditioned CG steps reach the exact
   * method's accuracy on the tests in this package).
   */
  innerIterations?: number;
  /** Initialization of AltMin: `'spectral'` (top-k SVD of the rescaled observations, JNS13) or `'random'`; default `'spectral'`. */
  init?: 'spectral' | 'random';
  /** SVT threshold τ; default 5·√(m·n) (Cai, Candès & Shen 2010, §5.1). */
  tau?: number;
  /** SVT step δ; default 1.2·m·n/|Ω| (Cai, Candès & Shen 2010, §5.1). */
  stepSize?: number;
  /** Power iterations of the randomized SVDs of SoftImpute / SVT / spectral init; default 3. */
  powerIterations?: number;
  /** Seed of the random initialization and randomized SVDs; default 0. */
  seed?: Seed;
  /** Called after every iteration. */
  onProgress?: (p: CompletionProgress) => void;
  /** Stops the work with an `ABORTED` error when it fires (checked every iteration). */
  signal?: AbortSignal;
}

/** Why {@link completeMatrix} stopped. */
export type CompletionStop = 'tolerance' | 'earlyStopping' | 'maxIterations';

/** Result of {@link completeMatrix}: M ≈ μ + b·1ᵀ + 1·cᵀ + U·Vᵀ. */
export interface CompletionResult {
  /** m×k left factor. */
  U: Matrix;
  /** n×k right factor. */
  V: Matrix;
  /** Global mean μ (0 without biases). */
  mean: number;
  /** Row (user) biases b, length m (zeros without biases). */
  rowBias: Float64Array;
  /** Column (item) biases c, length n (zeros without biases). */
  colBias: Float64Array;
  /** Predicted M[i, j]. */
  predict(i: number, j: number): number;
  /** RMSE of the model on any entries of the same shape. */
  rmse(entries: ObservedEntries): number;
  /** Per-iteration history (index t = after iteration t + 1). */
  history: { trainRmse: number[]; heldOutRmse: number[]; objective: number[] };
  /** Iterations run. */
  iterations: number;
  /** True if the tolerance (or early stopping) ended the run, false if maxIterations did. */
  converged: boolean;
  stopReason: CompletionStop;
  /** Iteration whose model is returned (differs from `iterations` after early stopping). */
  bestIteration: number;
  /** Floating-point operations counted in AltMin's row solves (0 for other methods). */
  rowSolveFlops: number;
  /** Wall time in seconds. */
  seconds: number;
  method: CompletionMethod;
}

function rms(v: Float64Array): number {
  let s = 0;
  for (let p = 0; p < v.length; p++) s += v[p]! * v[p]!;
  return v.length > 0 ? Math.sqrt(s / v.length) : 0;
}

/** Spectral initialization: U, V = top-k SVD of (mn/|Ω|)·P_Ω(M − baseline), split as U√S, V√S. */
function spectralInit(md: Model, e: ObservedEntries, seed: Rng, powerIterations: number): void {
  const vals = new Float64Array(e.nnz);
  const scale = (md.m * md.n) / Math.max(1, e.nnz);
  for (let p = 0; p < e.nnz; p++) {
    vals[p] = scale * (e.values[p]! - md.mean - md.rowBias[e.row[p]!]! - md.colBias[e.col[p]!]!);
  }
  const csr = new ObservedEntries(md.m, md.n, e.row, e.col, vals).toCsr();
  const k = md.k;
  const { U, S, Vt } = randomizedSvd(csrOperator(csr), {
    rank: k,
    seed: seed.fork(),
    powerIterations,
  });
  for (let a = 0; a < k; a++) {
    const s = Math.sqrt(S[a]!);
    for (let i = 0; i < md.m; i++) md.U[i * k + a] = U.get(i, a) * s;
    for (let j = 0; j < md.n; j++) md.V[j * k + a] = Vt.get(a, j) * s;
  }
}

/**
 * Low-rank matrix completion from observed entries: finds M ≈ μ + b_i + c_j + U_i·V_jᵀ
 * (rank k) that fits the entries Ω.
 *
 * - `'altmin'`: alternating minimization (Jain, Netrapalli & Sanghavi 2013): spectral
 *   initialization, then exact ridge least squares for every row of U and of V. Each row
 *   forms its k×k normal matrix by one GEMM and solves it by Cholesky: O(|Ω|·k²) per
 *   iteration.
 * - `'robust-altmin'`: the robust alternating minimization of Gu, Song, Yin & Zhang 2023
 *   (#1): the same alternation with *approximate* row updates. Each row solve runs a few
 *   (`innerIterations`) Jacobi-preconditioned CG steps on its normal equations,
 *   warm-started from the previous iterate and applied matrix-free through two products
 *   with the row's |Ω_i|×k design matrix, so one iteration costs O(|Ω|·k) per CG step; the
 *   normal matrix is never formed. #1 shows AltMin tolerates such update errors (its
 *   solver is a sketch-preconditioned iterative regression; this one uses the warm start
 *   as the preconditioner's substitute — the previous iterate is already close, so a few
 *   steps reach the needed accuracy).
 * - `'softimpute'`: Mazumder, Hastie & Tibshirani 2010, Alg. 1: Z ← S_λ(P_Ω(M) + P_Ω⊥(Z)),
 *   the soft-thresholded rank-k SVD of the filled matrix, computed by `randomizedSvd` on
 *   the sparse-plus-low-rank operator P_Ω(M − Z) + Z without forming it.
 * - `'svt'`: singular value thresholding, Cai, Candès & Shen 2010: X = D_τ(Y),
 *   Y ← Y + δ·P_Ω(M − X), with Y sparse on Ω.
 *
 * @param observed the observed entries (m×n)
 * @param options see {@link CompleteMatrixOptions}; `rank` is required
 * @returns a {@link CompletionResult} with U (m×k), V (n×k), biases, `predict`, RMSE history
 * @throws {InvalidArgumentError} `INVALID_ARGUMENT` for a bad option, rank > min(m, n), or no observed entries
 * @throws {ShapeError} `SHAPE_MISMATCH` if `heldOut` has another shape
 * @throws {AbortedError} `ABORTED` when `signal` fires
 * @example
 * const obs = ObservedEntries.fromTriplets(3, 3, [0, 0, 1, 1, 2, 2, 0], [0, 1, 1, 2, 0, 2, 2], [1, 2, 4, 6, 3, 9, 3]);
 * const fit = completeMatrix(obs, { rank: 1, tol: 1e-12 });
 * fit.predict(1, 0); // ≈ 2 (M = [1 2 3]ᵀ·[1 2 3])
 */
export function completeMatrix(
  observed: ObservedEntries,
  options: CompleteMatrixOptions,
): CompletionResult {
  const t0 = now();
  if (!(observed instanceof ObservedEntries)) {
    throw new InvalidArgumentError(`observed: expected ObservedEntries, got ${describe(observed)}`);
  }
  if (options === undefined)
    throw new InvalidArgumentError('options: expected an options object with rank, got undefined');
  const opts = optionsObject('options', options);
  const { rows: m, cols: n } = observed;
  if (Math.min(m, n) === 0)
    throw new InvalidArgumentError(`observed: expected a non-empty shape, got ${m}×${n}`);
  if (observed.nnz === 0) {
    throw new InvalidArgumentError('observed: expected at least one observed entry, got 0');
  }
  const defaults = {
    method: 'altmin',
    lambda: 0,
    biases: false,
    maxIterations: 100,
    tol: 1e-6,
    earlyStopping: false,
    patience: 3,
    innerIterations: 3,
    init: 'spectral',
    tau: 5 * Math.sqrt(m * n),
    stepSize: (1.2 * m * n) / Math.max(1, observed.nnz),
    powerIterations: 3,
    seed: 0,
  } as const;
  const k = assertInt('options.rank', opts.rank, 1, Math.min(m, n));
  const method = assertOneOf('options.method', orDefault(opts.method, defaults.method), [
    'altmin',
    'robust-altmin',
    'softimpute',
    'svt',
  ] as const);
  const lambda = assertNumber('options.lambda', orDefault(opts.lambda, defaults.lambda), 0);
  const biases = assertBool('options.biases', orDefault(opts.biases, defaults.biases));
  const maxIterations = assertInt(
    'options.maxIterations',
    orDefault(opts.maxIterations, defaults.maxIterations),
    1,
  );
  const tol = assertNumber('options.tol', orDefault(opts.tol, defaults.tol), 0);
  const earlyStopping = assertBool(
    'options.earlyStopping',
    orDefault(opts.earlyStopping, defaults.earlyStopping),
  );
  const patience = assertInt('options.patience', orDefault(opts.patience, defaults.patience), 1);
  const inner = assertInt(
    'options.innerIterations',
    orDefault(opts.innerIterations, defaults.innerIterations),
    1,
  );
  const init = assertOneOf('options.init', orDefault(opts.init, defaults.init), [
    'spectral',
    'random',
  ] as const);
  const tau = assertNumber('options.tau', orDefault(opts.tau, defaults.tau), 0);
  const stepSize = assertNumber('options.stepSize', orDefault(opts.stepSize, defaults.stepSize), 0);
  if (stepSize === 0)
    throw new InvalidArgumentError('options.stepSize: expected a positive number, got 0');
  const powerIterations = assertInt(
    'options.powerIterations',
    orDefault(opts.powerIterations, defaults.powerIterations),
  );
  const rng = Rng.from(orDefault(opts.seed, defaults.seed));
  const onProgress = optionalFunction('options.onProgress', opts.onProgress);
  const signal = optionalSignal('options.signal', opts.signal);
  const heldOut = opts.heldOut;
  if (heldOut !== undefined) {
    if (!(heldOut instanceof ObservedEntries)) {
      throw new InvalidArgumentError(
        `options.heldOut: expected ObservedEntries, got ${describe(heldOut)}`,
      );
    }
    if (heldOut.rows !== m || heldOut.cols !== n) {
      throw new ShapeError(
        `options.heldOut: expected shape ${m}×${n}, got ${heldOut.rows}×${heldOut.cols}`,
      );
    }
  }
  if (earlyStopping && heldOut === undefined) {
    throw new InvalidArgumentError('options.earlyStopping: needs options.heldOut');
  }
  checkAbort(signal);

  const md: Model = {
    m,
    n,
    k,
    U: new Float64Array(m * k),
    V: new Float64Array(n * k),
    mean: 0,
    rowBias: new Float64Array(m),
    colBias: new Float64Array(n),
  };
  if (biases) fitBiases(md, observed, lambda, 3);
  const e = observed;
  const scaleValues = rms(e.values);

  // --- per-method state -------------------------------------------------------------
  let step: () => number; // runs one iteration, returns the penalty term of the objective
  let flops = 0;
  if (method === 'altmin' || method === 'robust-altmin') {
    if (init === 'spectral') spectralInit(md, e, rng, powerIterations);
    else {
      rng.fillNormal(md.U, 0, 1 / Math.sqrt(k));
      rng.fillNormal(md.V, 0, 1 / Math.sqrt(k));
    }
    const byR = e.byRow();
    const byC = e.byColumn();
    const d = biases ? k + 1 : k;
    const P = new Float64Array(m * d); // [U | b]
    const Q = new Float64Array(n * d); // [V | c]
    const W = new Float64Array(Math.max(m, n) * d);
    const target = new Float64Array(e.nnz);
    const work = rowWork(d, Math.max(maxCount(byR), maxCount(byC)));
    const pack = (X: Float64Array, F: Float64Array, bias: Float64Array, rowsN: number): void => {
      for (let i = 0; i < rowsN; i++) {
        X.set(F.subarray(i * k, (i + 1) * k), i * d);
        if (biases) X[i * d + k] = bias[i]!;
      }
    };
    const unpack = (X: Float64Array, F: Float64Array, bias: Float64Array, rowsN: number): void => {
      for (let i = 0; i < rowsN; i++) {
        F.set(X.subarray(i * d, i * d + k), i * k);
        if (biases) bias[i] = X[i * d + k]!;
      }
    };
    // design rows [F_o, 1] of the fixed side
    const design = (F: Float64Array, rowsN: number): void => {
      for (let o = 0; o < rowsN; o++) {
        W.set(F.subarray(o * k, (o + 1) * k), o * d);
        if (biases) W[o * d + k] = 1;
      }
    };
    pack(P, md.U, md.rowBias, m);
    pack(Q, md.V, md.colBias, n);
    step = () => {
      // U-step: targets r − μ − c_j, design [V, 1]
      for (let p = 0; p < e.nnz; p++) target[p] = e.values[p]! - md.mean - md.colBias[e.col[p]!]!;
      design(md.V, n);
      flops +=
        method === 'altmin'
          ? exactRowSolves(byR, target, W, d, lambda, P, work)
          : cgRowSolves(byR, target, W, d, lambda, P, inner, work);
      unpack(P, md.U, md.rowBias, m);
      // V-step: targets r − μ − b_i, design [U, 1]
      for (let p = 0; p < e.nnz; p++) target[p] = e.values[p]! - md.mean - md.rowBias[e.row[p]!]!;
      design(md.U, m);
      flops +=
        method === 'altmin'
          ? exactRowSolves(byC, target, W, d, lambda, Q, work)
          : cgRowSolves(byC, target, W, d, lambda, Q, inner, work);
      unpack(Q, md.V, md.colBias, n);
      let pen = 0;
      for (let p = 0; p < P.length; p++) pen += P[p]! * P[p]!;
      for (let p = 0; p < Q.length; p++) pen += Q[p]! * Q[p]!;
      return lambda * pen;
    };
  } else if (method === 'softimpute') {
    const st: SoftImputeState = { d: new Float64Array(0), rng, powerIterations };
    step = () => softImputeStep(md, e, lambda, st);
  } else {
    const st: SvtState = svtInit(md, e, tau, stepSize, rng, powerIterations);
    step = () => svtStep(md, e, st);
  }

  // --- iteration driver ---------------------------------------------------------------
  const history = {
    trainRmse: [] as number[],
    heldOutRmse: [] as number[],
    objective: [] as number[],
  };
  let stopReason: CompletionStop = 'maxIterations';
  let best: Model | undefined;
  let bestRmse = Number.POSITIVE_INFINITY;
  let bestIt = 0;
  let it = 0;
  while (it < maxIterations) {
    checkAbort(signal);
    const penalty = step();
    it++;
    const tr = modelRmse(md, e);
    const ho = heldOut ? modelRmse(md, heldOut) : Number.NaN;
    const obj = tr * tr * e.nnz + penalty;
    const prev = history.objective.at(-1);
    history.trainRmse.push(tr);
    history.heldOutRmse.push(ho);
    history.objective.push(obj);
    onProgress?.({ iteration: it, trainRmse: tr, heldOutRmse: ho, objective: obj });
    if (earlyStopping) {
      if (ho < bestRmse) {
        bestRmse = ho;
        best = cloneModel(md);
        bestIt = it;
      } else if (it - bestIt >= patience) {
        stopReason = 'earlyStopping';
        break;
      }
    }
    if (tr <= tol * scaleValues) {
      stopReason = 'tolerance';
      break;
    }
    if (method !== 'svt' && prev !== undefined && Math.abs(prev - obj) <= tol * prev) {
      stopReason = 'tolerance';
      break;
    }
  }
  const final = stopReason === 'earlyStopping' && best ? best : md;
  const { U, V } = asMatrices(final);
  return {
    U,
    V,
    mean: final.mean,
    rowBias: final.rowBias.slice(),
    colBias: final.colBias.slice(),
    predict(i: number, j: number): number {
      checkIndex(final, i, j);
      return predictOne(final, i, j);
    },
    rmse(entries: ObservedEntries): number {
      if (!(entries instanceof ObservedEntries) || entries.rows !== m || entries.cols !== n) {
        throw new InvalidArgumentError(
          `entries: expected ObservedEntries of shape ${m}×${n}, got ${describe(entries)}`,
        );
      }
      return modelRmse(final, entries);
    },
    history,
    iterations: it,
    converged: stopReason !== 'maxIterations',
    stopReason,
    bestIteration: stopReason === 'earlyStopping' ? bestIt : it,
    rowSolveFlops: flops,
    seconds: (now() - t0) / 1000,
    method,
  };
}
