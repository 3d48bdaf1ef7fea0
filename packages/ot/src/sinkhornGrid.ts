import {
  asMatrix,
  assertNumber,
  assertOneOf,
  checkAbort,
  Matrix,
  matmul,
  NotConvergedError,
  optionsObject,
  ShapeError,
} from '@lr/core';
import type { SinkhornProgress, SinkhornStatus } from './_sinkhornKernels.js';
import { assertEqualMass, histogramArg, logSumExp, now, orDefault } from './_validate.js';
import { parseLoopOptions } from './sinkhorn.js';

/** Options of {@link sinkhornGrid}. */
export interface SinkhornGridOptions {
  /** Entropic regularization ε > 0 (required). */
  reg: number;
  /** Exponent of the ground cost Σ_axes |x − x'|^p; default 2 (squared Euclidean). */
  p?: number;
  /**
   * Distance between neighbouring pixels; default 1/(max(h, w) − 1), so the longer side
   * spans [0, 1] as in POT's convolutional barycenters (`linspace(0, 1, n)`).
   */
  spacing?: number;
  /** `'sinkhorn'` (default, kernel products by GEMM) or `'log'` (separable log-sum-exp). */
  method?: 'sinkhorn' | 'log';
  /** Iteration cap; default 1000 (POT). */
  numItermax?: number;
  /** Stop when ‖Pᵀ1 − b‖₂ < stopThr; default 1e-9 (POT). */
  stopThr?: number;
  /** Check the marginal error every this many iterations; default 10 (POT). */
  checkEvery?: number;
  /** Form the dense (hw)×(hw) plan when (hw)² ≤ this; default 1e6. */
  densePlanLimit?: number;
  /** Throw `NOT_CONVERGED` instead of returning `converged: false`; default false. */
  throwOnNotConverged?: boolean;
  /** Called at every marginal check. */
  onProgress?: (info: SinkhornProgress) => void;
  /** Stops the run with an `ABORTED` error (checked every iteration). */
  signal?: AbortSignal;
}

/** Result of {@link sinkhornGrid}. */
export interface SinkhornGridResult {
  /** Dual potential f = reg·log u on the grid, h×w (−∞ where a is 0). */
  f: Matrix;
  /** Dual potential g = reg·log v on the grid, h×w. */
  g: Matrix;
  /** Transport cost ⟨P, C⟩, computed without forming P. */
  cost: number;
  /**
   * The plan as an (hw)×(hw) matrix (pixel (i, j) is index i·w + j) when (hw)² ≤
   * `densePlanLimit`, otherwise null; use {@link SinkhornGridResult.planEntry}.
   */
  plan: Matrix | null;
  /** Plan entry between pixel (i, j) of a and pixel (k, l) of b. */
  planEntry: (i: number, j: number, k: number, l: number) => number;
  /** Iterations done (one column and one row scaling each). */
  iterations: number;
  /** True when the marginal error fell below `stopThr`. */
  converged: boolean;
  /** Why the loop stopped; `'numerical-error'` means an under/overflow (try `'log'`). */
  status: SinkhornStatus;
  /** ‖Pᵀ1 − b‖₂ at each check. */
  history: number[];
  /** Wall-clock seconds. */
  seconds: number;
}

// out[i, j] = LSE_k (Ly[i, k] + LSE_l (Lx[j, l] + X[k, l])): the separable log-kernel product.
function logApply(
  Ly: Float64Array,
  Lx: Float64Array,
  X: Float64Array,
  h: number,
  w: number,
  tmp: Float64Array,
  T: Float64Array,
  out: Float64Array,
): void {
  for (let k = 0; k < h; k++) {
    for (let j = 0; j < w; j++) {
      for (let l = 0; l < w; l++) tmp[l] = Lx[j * w + l] + X[k * w + l];
      T[k * w + j] = logSumExp(tmp, 0, 1, w);
    }
  }
  for (let i = 0; i < h; i++) {
    for (let j = 0; j < w; j++) {
      for (let k = 0; k < h; k++) tmp[k] = Ly[i * h + k] + T[k * w + j];
      out[i * w + j] = logSumExp(tmp, 0, 1, h);
    }
  }
}

/**
 * Entropic OT between two images (histograms on the same h×w grid) with the separable
 * cost C((i, j), (k, l)) = |y_i − y_k|^p + |x_j − x_l|^p, so the Gibbs kernel is
 * K = K_y ⊗ K_x and K·V = K_y·V·K_x (two 1-D kernel products per application, by GEMM;
 * Solomon et al. 2015, "Convolutional Wasserstein distances"). The (hw)×(hw) kernel is
 * never formed: each iteration costs O(hw(h + w)). `'log'` does the same products as
 * separable log-sum-exps, for small reg where the kernel underflows. Same iterates,
 * stopping rule and numerical-error handling as {@link sinkhorn}.
 *
 * Defaults: `p` 2, `spacing` 1/(max(h, w) − 1), `method` 'sinkhorn', `numItermax` 1000,
 * `stopThr` 1e-9, `checkEvery` 10 (POT), `densePlanLimit` 1e6.
 *
 * @param a source image h×w (non-negative masses)
 * @param b target image h×w, same total mass (relative tolerance 1e-6)
 * @param options see {@link SinkhornGridOptions}; `reg` is required
 * @returns `{ f, g (h×w), cost, plan ((hw)×(hw) or null), planEntry, iterations,
 *   converged, status, history, seconds }`
 * @throws {ShapeError} `SHAPE_MISMATCH` if a and b have different shapes
 * @throws {InvalidArgumentError} `INVALID_ARGUMENT` for negative or unequal masses, bad options
 * @throws {NonFiniteError} `NON_FINITE` for NaN/±∞ pixels
 * @throws {NotConvergedError} `NOT_CONVERGED` only with `throwOnNotConverged`
 * @throws {AbortedError} `ABORTED` when `signal` fires
 * @example
 * import { Matrix } from '@lr/core';
 * import { sinkhornGrid } from '@lr/ot';
 * const a = Matrix.from([[1, 0], [0, 0]]);
 * const b = Matrix.from([[0, 0], [0, 1]]);
 * sinkhornGrid(a, b, { reg: 0.01 }).cost; // ≈ 2 (one step along each axis, spacing 1)
 */
export function sinkhornGrid(
  a: Matrix,
  b: Matrix,
  options: SinkhornGridOptions,
): SinkhornGridResult {
  const t0 = now();
  const A = asMatrix('a', a);
  const B = asMatrix('b', b);
  if (A.rows !== B.rows || A.cols !== B.cols)
    throw new ShapeError(
      `a, b: expected the same grid, got ${A.rows}×${A.cols} and ${B.rows}×${B.cols}`,
    );
  const h = A.rows;
  const w = A.cols;
  if (h === 0 || w === 0) throw new ShapeError(`a: expected a non-empty image, got ${h}×${w}`);
  const hw = h * w;
  const aa = histogramArg('a', A.toFloat64Array(), hw);
  const bb = histogramArg('b', B.toFloat64Array(), hw);
  assertEqualMass(aa, bb);
  const opts = optionsObject('options', options) as Partial<SinkhornGridOptions>;
  const defaults = {
    p: 2,
    spacing: 1 / Math.max(h - 1, w - 1, 1),
    method: 'sinkhorn' as const,
    numItermax: 1000, // POT
    stopThr: 1e-9, // POT
    checkEvery: 10, // POT
    densePlanLimit: 1e6,
  };
  const pw = assertNumber('options.p', orDefault(opts.p, defaults.p), Number.MIN_VALUE);
  const spacing = assertNumber(
    'options.spacing',
    orDefault(opts.spacing, defaults.spacing),
    Number.MIN_VALUE,
  );
  const method = assertOneOf('options.method', orDefault(opts.method, defaults.method), [
    'sinkhorn',
    'log',
  ] as const);
  const densePlanLimit = assertNumber(
    'options.densePlanLimit',
    orDefault(opts.densePlanLimit, defaults.densePlanLimit),
    0,
  );
  const lp = parseLoopOptions(
    { ...opts, warmstart: undefined } as Parameters<typeof parseLoopOptions>[0],
    hw,
    hw,
    { ...defaults, tau: 1e3 },
  );
  const { reg, signal } = lp;
  checkAbort(signal);

  // 1-D costs and log-kernels per axis
  const axis = (len: number) => {
    const Cst = new Float64Array(len * len);
    const L = new Float64Array(len * len);
    for (let i = 0; i < len; i++)
      for (let k = 0; k < len; k++) {
        const c = (Math.abs(i - k) * spacing) ** pw;
        Cst[i * len + k] = c;
        L[i * len + k] = -c / reg;
      }
    return { C: Cst, L };
  };
  const Y = axis(h);
  const X = axis(w);
  const loga = aa.map(Math.log);
  const logb = bb.map(Math.log);
  const logu = new Float64Array(hw);
  const logv = new Float64Array(hw);
  const tmp = new Float64Array(Math.max(h, w));
  const T = new Float64Array(hw);
  const history: number[] = [];
  let status: SinkhornStatus = 'max-iterations';
  let it = 0;
  const l2 = (x: Float64Array) => {
    let s = 0;
    for (let k = 0; k < hw; k++) s += (x[k] - bb[k]) ** 2;
    return Math.sqrt(s);
  };
  const colm = new Float64Array(hw);
  if (method === 'sinkhorn') {
    const Ky = new Matrix(Y.L.map(Math.exp), h, h);
    const Kx = new Matrix(X.L.map(Math.exp), w, w);
    const apply = (V: Float64Array) => matmul(matmul(Ky, new Matrix(V, h, w)), Kx).toFloat64Array();
    let u = new Float64Array(hw).fill(1 / hw);
    let v = new Float64Array(hw).fill(1 / hw);
    for (let k = 0; k < hw; k++) if (aa[k] === 0) u[k] = 0;
    while (it < lp.numItermax) {
      checkAbort(signal);
      const ku = apply(u);
      const vn = new Float64Array(hw);
      let bad = false;
      for (let k = 0; k < hw; k++) {
        vn[k] = bb[k] === 0 ? 0 : bb[k] / ku[k];
        if (ku[k] === 0 || vn[k] - vn[k] !== 0 || (vn[k] === 0 && bb[k] > 0)) bad = true;
      }
      const kv = apply(vn);
      const un = new Float64Array(hw);
      for (let k = 0; k < hw; k++) {
        un[k] = aa[k] === 0 ? 0 : aa[k] / kv[k];
        if (un[k] - un[k] !== 0 || (un[k] === 0 && aa[k] > 0)) bad = true;
      }
      if (bad) {
        status = 'numerical-error';
        break;
      }
      u = un;
      v = vn;
      const check = it % lp.checkEvery === 0;
      it++;
      if (check) {
        const k2 = apply(u);
        for (let k = 0; k < hw; k++) colm[k] = v[k] * k2[k];
        const err = l2(colm);
        history.push(err);
        lp.onProgress?.({ iteration: it, error: err });
        if (!(err >= lp.stopThr)) {
          status = Number.isNaN(err) ? 'numerical-error' : 'converged';
          break;
        }
      }
    }
    for (let k = 0; k < hw; k++) {
      logu[k] = Math.log(u[k]);
      logv[k] = Math.log(v[k]);
    }
  } else {
    const lk = new Float64Array(hw);
    logApply(Y.L, X.L, logu, h, w, tmp, T, lk);
    while (it < lp.numItermax) {
      checkAbort(signal);
      for (let k = 0; k < hw; k++) logv[k] = logb[k] - lk[k];
      logApply(Y.L, X.L, logv, h, w, tmp, T, lk);
      for (let k = 0; k < hw; k++) logu[k] = loga[k] - lk[k];
      logApply(Y.L, X.L, logu, h, w, tmp, T, lk);
      const check = it % lp.checkEvery === 0;
      it++;
      if (check) {
        for (let k = 0; k < hw; k++) colm[k] = Math.exp(logv[k] + lk[k]);
        const err = l2(colm);
        history.push(err);
        lp.onProgress?.({ iteration: it, error: err });
        if (!(err >= lp.stopThr)) {
          status = Number.isNaN(err) ? 'numerical-error' : 'converged';
          break;
        }
      }
    }
  }
  const converged = status === 'converged';
  if (!converged && lp.throwOnNotConverged)
    throw new NotConvergedError(
      `sinkhornGrid: stopped with status '${status}' after ${it} iterations`,
    );

  // cost = Σ P·(C_y + C_x) = Σ_ij exp(logu_ij + LSE(log-kernel with log C on one axis ⋯ logv))
  const logCy = Y.L.map((l, q) => l + Math.log(Y.C[q]));
  const logCx = X.L.map((l, q) => l + Math.log(X.C[q]));
  const t1 = new Float64Array(hw);
  const t2 = new Float64Array(hw);
  logApply(logCy, X.L, logv, h, w, tmp, T, t1);
  logApply(Y.L, logCx, logv, h, w, tmp, T, t2);
  let cost = 0;
  for (let k = 0; k < hw; k++) cost += Math.exp(logu[k] + t1[k]) + Math.exp(logu[k] + t2[k]);

  const planEntry = (i: number, j: number, k: number, l: number) =>
    Math.exp(logu[i * w + j] + logv[k * w + l] + Y.L[i * h + k] + X.L[j * w + l]);
  let plan: Matrix | null = null;
  if (hw * hw <= densePlanLimit) {
    const P = new Float64Array(hw * hw);
    for (let i = 0; i < h; i++)
      for (let j = 0; j < w; j++)
        for (let k = 0; k < h; k++)
          for (let l = 0; l < w; l++) P[(i * w + j) * hw + k * w + l] = planEntry(i, j, k, l);
    plan = new Matrix(P, hw, hw);
  }
  return {
    f: new Matrix(
      logu.map((x) => reg * x),
      h,
      w,
    ),
    g: new Matrix(
      logv.map((x) => reg * x),
      h,
      w,
    ),
    cost,
    plan,
    planEntry,
    iterations: it,
    converged,
    status,
    history,
    seconds: now() - t0,
  };
}
