import {
  assertInt,
  assertNumber,
  assertOneOf,
  checkAbort,
  InvalidArgumentError,
  Matrix,
  NotConvergedError,
  optionsObject,
  ShapeError,
} from '@lr/core';
import {
  type KernelResult,
  type SinkhornProgress,
  type SinkhornStatus,
  sinkhornLogKernel,
  sinkhornPlainKernel,
  sinkhornStabilizedKernel,
} from './_sinkhornKernels.js';
import {
  assertEqualMass,
  costArg,
  functionArg,
  histogramArg,
  now,
  orDefault,
  signalArg,
  toFloat64,
} from './_validate.js';

export type { SinkhornProgress, SinkhornStatus };

/** Sinkhorn variants of {@link sinkhorn}. */
export type SinkhornMethod = 'sinkhorn' | 'log' | 'stabilized';

/** Options of {@link sinkhorn}. Defaults follow POT's `ot.sinkhorn`. */
export interface SinkhornOptions {
  /** Entropic regularization ε > 0 (required; POT `reg`). */
  reg: number;
  /** `'sinkhorn'` (default, as POT), `'log'` or `'stabilized'`. */
  method?: SinkhornMethod;
  /** Iteration cap; default 1000 (POT `numItermax`). */
  numItermax?: number;
  /** Stop when the marginal error is below this; default 1e-9 (POT `stopThr`). */
  stopThr?: number;
  /** Check the marginal error every this many iterations; default 10 (POT's check period). */
  checkEvery?: number;
  /** Absorption threshold of `'stabilized'`; default 1e3 (POT `tau`). */
  tau?: number;
  /** Initial dual potentials f (length n), g (length m) in cost units, e.g. a previous result. */
  warmstart?: { f: ArrayLike<number>; g: ArrayLike<number> };
  /** Throw `NOT_CONVERGED` instead of returning `converged: false`; default false. */
  throwOnNotConverged?: boolean;
  /** Called at every marginal check. */
  onProgress?: (info: SinkhornProgress) => void;
  /** Stops the run with an `ABORTED` error (checked every iteration). */
  signal?: AbortSignal;
}

/** Result of {@link sinkhorn}. */
export interface SinkhornResult {
  /** Transport plan P = diag(u)·K·diag(v), n×m. */
  plan: Matrix;
  /** Transport cost ⟨P, M⟩ (without the entropy term, as POT's `sinkhorn2`). */
  cost: number;
  /** Row scaling u = exp(f/reg), length n (may over/underflow at tiny reg; use `f`). */
  u: Float64Array;
  /** Column scaling v = exp(g/reg), length m. */
  v: Float64Array;
  /** Dual potential f = reg·log u, length n (−∞ where a is 0). */
  f: Float64Array;
  /** Dual potential g = reg·log v, length m (−∞ where b is 0). */
  g: Float64Array;
  /** Iterations done (one iteration = one column and one row scaling). */
  iterations: number;
  /** True when the marginal error fell below `stopThr`. */
  converged: boolean;
  /** Why the loop stopped; `'numerical-error'` means an under/overflow (try `'log'`). */
  status: SinkhornStatus;
  /** Marginal error ‖Pᵀ1 − b‖₂ at each check (every `checkEvery` iterations, as POT). */
  history: number[];
  /** Wall-clock seconds. */
  seconds: number;
}

/** Parses reg, numItermax, stopThr, checkEvery, tau, warmstart, callbacks (shared with SNS). */
export function parseLoopOptions(
  opts: Partial<SinkhornOptions>,
  n: number,
  m: number,
  defaults: { numItermax: number; stopThr: number; checkEvery: number; tau: number },
) {
  if (opts.reg === undefined)
    throw new InvalidArgumentError('options.reg: expected a finite number > 0, got undefined');
  const reg = assertNumber('options.reg', opts.reg, Number.MIN_VALUE);
  const numItermax = assertInt(
    'options.numItermax',
    orDefault(opts.numItermax, defaults.numItermax),
  );
  const stopThr = assertNumber('options.stopThr', orDefault(opts.stopThr, defaults.stopThr), 0);
  const checkEvery = assertInt(
    'options.checkEvery',
    orDefault(opts.checkEvery, defaults.checkEvery),
    1,
  );
  const tau = assertNumber('options.tau', orDefault(opts.tau, defaults.tau), 1);
  let warm: { f: Float64Array; g: Float64Array } | undefined;
  if (opts.warmstart !== undefined && opts.warmstart !== null) {
    const w = optionsObject('options.warmstart', opts.warmstart);
    const f = toFloat64('options.warmstart.f', Array.from(w.f ?? []));
    const g = toFloat64('options.warmstart.g', Array.from(w.g ?? []));
    if (f.length !== n || g.length !== m)
      throw new ShapeError(
        `options.warmstart: expected f of length ${n} and g of length ${m}, got ${f.length} and ${g.length}`,
      );
    for (const x of [...f, ...g])
      if (Number.isNaN(x) || x === Infinity)
        throw new InvalidArgumentError('options.warmstart: expected finite potentials (or −∞)');
    warm = { f, g };
  }
  const onProgress = functionArg('options.onProgress', opts.onProgress);
  const signal = signalArg('options.signal', opts.signal);
  const throwOnNotConverged = Boolean(opts.throwOnNotConverged);
  return {
    reg,
    numItermax,
    stopThr,
    checkEvery,
    tau,
    warm,
    onProgress,
    signal,
    throwOnNotConverged,
  };
}

/** Builds P_ij = exp(logu_i + logv_j − M_ij/reg) and ⟨P, M⟩. */
export function planFromLog(
  logu: Float64Array,
  logv: Float64Array,
  M: Float64Array,
  n: number,
  m: number,
  reg: number,
): { plan: Matrix; cost: number } {
  const P = new Float64Array(n * m);
  let cost = 0;
  for (let i = 0; i < n; i++) {
    const off = i * m;
    for (let j = 0; j < m; j++) {
      const pij = Math.exp(logu[i] + logv[j] - M[off + j] / reg);
      P[off + j] = pij;
      cost += pij * M[off + j];
    }
  }
  return { plan: new Matrix(P, n, m), cost };
}

/**
 * Entropy-regularized optimal transport by Sinkhorn's matrix scaling (Cuturi 2013):
 * min ⟨P, M⟩ − reg·H(P) subject to P1 = a, Pᵀ1 = b, solved as P = diag(u)·exp(−M/reg)·diag(v).
 *
 * Methods: `'sinkhorn'` (plain scaling; Kᵀu and Kv by the GEMV kernel), `'log'` (the same
 * iterates in the log domain with log-sum-exp, POT `sinkhorn_log`; safe at any reg but
 * ≈10× slower per iteration), `'stabilized'` (Schmitzer 2019, POT `sinkhorn_stabilized`:
 * scalings absorbed into potentials when they exceed `tau`). All three produce the same
 * iterates where plain Sinkhorn does not under/overflow. Where plain Sinkhorn meets a
 * zero or non-finite scaling it restores the last good iterate and returns
 * `converged: false, status: 'numerical-error'` (POT warns and does the same).
 * `'stabilized'` differs from POT in two documented ways: absorbed scalings restart at 1
 * (POT uses 1/n, which rescales the plan seen by the check that follows) and a half-step
 * whose products underflow is done exactly in the log domain instead of producing NaN.
 *
 * Stopping (POT): every `checkEvery` iterations, after the row update, err = ‖Pᵀ1 − b‖₂;
 * stop when err < `stopThr`.
 *
 * Defaults (POT `ot.sinkhorn`): `method` 'sinkhorn', `numItermax` 1000, `stopThr` 1e-9,
 * `checkEvery` 10, `tau` 1e3, no warm start.
 *
 * @param a source histogram, length n (non-negative; `[]` means uniform 1/n, as POT)
 * @param b target histogram, length m, same total mass as `a` (relative tolerance 1e-6)
 * @param M cost matrix n×m (finite; any strided view)
 * @param options see {@link SinkhornOptions}; `reg` is required
 * @returns `{ plan (n×m), cost, u, v, f, g, iterations, converged, status, history, seconds }`
 * @throws {InvalidArgumentError} `INVALID_ARGUMENT` for negative masses, unequal total
 *   masses, zero mass, a missing or non-positive `reg`, or bad options
 * @throws {ShapeError} `SHAPE_MISMATCH` if a, b do not match M's rows and columns, or the
 *   `warmstart` potentials do not
 * @throws {NonFiniteError} `NON_FINITE` if a, b or M hold NaN/±∞
 * @throws {NotConvergedError} `NOT_CONVERGED` only with `throwOnNotConverged: true`
 * @throws {AbortedError} `ABORTED` when `signal` fires
 * @example
 * import { Matrix } from '@lr/core';
 * import { sinkhorn } from '@lr/ot';
 * const M = Matrix.from([[0, 1], [1, 0]]);
 * const r = sinkhorn([0.5, 0.5], [0.5, 0.5], M, { reg: 0.1 });
 * r.plan.get(0, 0); // ≈ 0.49998 = 0.5/(1 + e⁻¹⁰) (mass stays in place)
 */
export function sinkhorn(
  a: ArrayLike<number>,
  b: ArrayLike<number>,
  M: Matrix,
  options: SinkhornOptions,
): SinkhornResult {
  const t0 = now();
  const { M: cost, n, m } = costArg('M', M);
  const aa = histogramArg('a', a, n);
  const bb = histogramArg('b', b, m);
  assertEqualMass(aa, bb);
  const opts = optionsObject('options', options) as Partial<SinkhornOptions>;
  const defaults = {
    method: 'sinkhorn' as SinkhornMethod, // POT ot.sinkhorn(method='sinkhorn')
    numItermax: 1000, // POT numItermax
    stopThr: 1e-9, // POT stopThr
    checkEvery: 10, // POT checks the error every 10 iterations
    tau: 1e3, // POT sinkhorn_stabilized tau
  };
  const method = assertOneOf('options.method', orDefault(opts.method, defaults.method), [
    'sinkhorn',
    'log',
    'stabilized',
  ] as const);
  const p = parseLoopOptions(opts, n, m, defaults);
  checkAbort(p.signal);
  const params = { a: aa, b: bb, M: cost, n, m, ...p };
  const kernel =
    method === 'log'
      ? sinkhornLogKernel
      : method === 'stabilized'
        ? sinkhornStabilizedKernel
        : sinkhornPlainKernel;
  const res: KernelResult = kernel(params);
  return finishSinkhorn(res, cost, n, m, p.reg, t0, p.throwOnNotConverged, 'sinkhorn');
}

/** Assembles a {@link SinkhornResult} from a kernel result. */
export function finishSinkhorn(
  res: KernelResult,
  M: Float64Array,
  n: number,
  m: number,
  reg: number,
  t0: number,
  throwOnNotConverged: boolean,
  name: string,
): SinkhornResult {
  const { plan, cost } = planFromLog(res.logu, res.logv, M, n, m, reg);
  const converged = res.status === 'converged';
  if (!converged && throwOnNotConverged) {
    const last = res.history[res.history.length - 1];
    throw new NotConvergedError(
      `${name}: stopped with status '${res.status}' after ${res.iterations} iterations (last marginal error ${last})`,
    );
  }
  return {
    plan,
    cost,
    u: res.logu.map(Math.exp),
    v: res.logv.map(Math.exp),
    f: res.logu.map((x) => reg * x),
    g: res.logv.map((x) => reg * x),
    iterations: res.iterations,
    converged,
    status: res.status,
    history: res.history,
    seconds: now() - t0,
  };
}
