import {
  assertInt,
  assertNumber,
  type CgResult,
  CsrMatrix,
  cg,
  checkAbort,
  type LinearOperator,
  Matrix,
  NotConvergedError,
  optionsObject,
  spmv,
  spmvT,
} from '@lr/core';
import { kthLargest } from './_select.js';
import { sinkhornLogKernel } from './_sinkhornKernels.js';
import {
  assertEqualMass,
  costArg,
  functionArg,
  histogramArg,
  now,
  orDefault,
  signalArg,
} from './_validate.js';
import { parseLoopOptions } from './sinkhorn.js';

/** What {@link sinkhornNewtonSparse} reports to `onProgress` after every iteration. */
export interface SnsProgress {
  /** `'sinkhorn'` during stage 1, `'newton'` during stage 2. */
  stage: 'sinkhorn' | 'newton';
  /** Iterations done so far, both stages together. */
  iteration: number;
  /** Marginal error ‖P1 − a‖₂ + ‖Pᵀ1 − b‖₂ after it. */
  error: number;
}

/** Options of {@link sinkhornNewtonSparse}. Defaults follow Tang et al. (ICLR 2024). */
export interface SnsOptions {
  /** Entropic regularization ε = 1/η > 0 (required). */
  reg: number;
  /** Stage-1 (log-domain) Sinkhorn iterations N₁; default 20 (paper). */
  sinkhornIterations?: number;
  /** Cap on stage-2 Newton iterations; default 100. */
  maxNewtonIterations?: number;
  /**
   * Sparsity λ: keep ≈ λ·n·m largest plan entries as the Hessian's off-diagonal block;
   * default 2/min(n, m) (paper: λ = 2/n, i.e. about 2n entries for n×n).
   */
  sparsity?: number;
  /** Relative tolerance of the CG solve of each Newton system; default 1e-10. */
  cgTol?: number;
  /** CG iteration cap per Newton step; default 10·(n + m). */
  cgMaxIterations?: number;
  /** Stop when ‖P1 − a‖₂ + ‖Pᵀ1 − b‖₂ < stopThr; default 1e-8. */
  stopThr?: number;
  /**
   * Levenberg–Marquardt shift: δ = shift·‖∇‖₁ is added to the Hessian's diagonal, so it
   * vanishes at the solution and keeps superlinear convergence; default 1e-6. (1e-3 made
   * δ ≈ 1.7e-4 at n = 500, reg = 2.5e-4, larger than the row masses that most need to move
   * (a_i = 2e-3 ≫ r_i): each step was damped to a gradient step and the marginal error
   * stayed near 1e-2 for 100 Newton steps; with 1e-6 it converges in 20 + 39.)
   */
  shift?: number;
  /**
   * Safeguard (not in the paper): after 3 Newton steps in a row that each fail to halve the
   * marginal error, the number of kept entries doubles, up to
   * `maxSparsityGrowth` times the initial ⌈λ·n·m⌉; default 8 (1 turns the safeguard off).
   */
  maxSparsityGrowth?: number;
  /** Armijo sufficient-increase constant; default 1e-4. */
  armijo?: number;
  /** Throw `NOT_CONVERGED` instead of returning `converged: false`; default false. */
  throwOnNotConverged?: boolean;
  /** Called after every iteration of both stages. */
  onProgress?: (info: SnsProgress) => void;
  /** Stops the run with an `ABORTED` error (checked every iteration). */
  signal?: AbortSignal;
}

/** Result of {@link sinkhornNewtonSparse}. */
export interface SnsResult {
  /** Transport plan P_ij = exp((f_i + g_j − M_ij)/reg), n×m. */
  plan: Matrix;
  /** ⟨P, M⟩. */
  cost: number;
  /** Dual potential f, length n (−∞ where a is 0). */
  f: Float64Array;
  /** Dual potential g, length m (−∞ where b is 0). */
  g: Float64Array;
  /** Stage-1 Sinkhorn iterations done (plus any stage-2 fallback Sinkhorn steps). */
  sinkhornIterations: number;
  /** Stage-2 Newton iterations done. */
  newtonIterations: number;
  /** `sinkhornIterations + newtonIterations`. */
  iterations: number;
  /** Total CG iterations over all Newton steps (each costs one sparse product). */
  cgIterations: number;
  /**
   * Off-diagonal Hessian entries kept at the last Newton step (starts at ⌈λ·n·m⌉; see
   * `maxSparsityGrowth`).
   */
  keptEntries: number;
  /** True when the marginal error fell below `stopThr`. */
  converged: boolean;
  /** Marginal error ‖P1 − a‖₂ + ‖Pᵀ1 − b‖₂ after each iteration of both stages. */
  history: number[];
  /** Wall-clock seconds. */
  seconds: number;
}

/**
 * A Newton step is "slow" when the marginal error does not fall below this fraction of the
 * previous one; 3 slow steps in a row double the kept entries. 0.5 (was 0.9: n = 300,
 * reg = 1/1200 then converged linearly at ≈ 0.89 per step, just under the trigger, and hit
 * the 100-step cap; with 0.5 it takes 16 steps; scripts/claim45.mjs).
 */
const SLOW_RATIO = 0.5;

// φ(t) = eᵗ − 1 − t without cancellation.
function phi(t: number): number {
  if (Math.abs(t) < 1e-3) {
    const t2 = t * t;
    return t2 * (0.5 + t * (1 / 6 + t * (1 / 24 + t / 120)));
  }
  return Math.expm1(t) - t;
}

/**
 * Sinkhorn-Newton-Sparse (Tang, Shavlovsky, Rahmanian, Tardini, Thekumparampil, Xiao &
 * Ying, "Accelerating Sinkhorn Algorithm with Sparse Newton Iterations", ICLR 2024,
 * Alg. 1): stage 1 runs N₁ Sinkhorn iterations (log domain); stage 2 takes Newton steps
 * on the concave dual L(f, g) = ⟨a, f⟩ + ⟨b, g⟩ − reg·Σ exp((f_i + g_j − M_ij)/reg), whose
 * Hessian is −(1/reg)·[[diag(P1), P], [Pᵀ, diag(Pᵀ1)]]. The off-diagonal block P is
 * sparsified to its ≈ λ·n·m largest entries (the diagonal blocks are kept exactly), the
 * last g is fixed to remove the null direction (1, −1), the system is solved by
 * Jacobi-preconditioned CG (`cg` from @lr/core on a CSR-backed LinearOperator) and the
 * step length by Armijo backtracking on L. If the line search fails (α < 1e-10), one
 * log-domain Sinkhorn iteration is taken instead (counted in `sinkhornIterations`).
 * Zero-mass rows/columns are removed before solving and get zero plan rows and −∞
 * potentials.
 *
 * Defaults: `sinkhornIterations` 20 (paper's N₁), `sparsity` 2/min(n, m) (paper λ = 2/n),
 * `stopThr` 1e-8, `cgTol` 1e-10, `shift` 1e-6, `armijo` 1e-4, `maxNewtonIterations` 100,
 * `maxSparsityGrowth` 8 (a safeguard that is not in the paper: see the option).
 *
 * @param a source histogram, length n (`[]` = uniform)
 * @param b target histogram, length m, same total mass (relative tolerance 1e-6)
 * @param M cost matrix n×m
 * @param options see {@link SnsOptions}; `reg` is required
 * @returns `{ plan, cost, f, g, sinkhornIterations, newtonIterations, iterations,
 *   cgIterations, converged, history, seconds }`
 * @throws {InvalidArgumentError} `INVALID_ARGUMENT` for negative or unequal masses, a
 *   missing reg or bad options
 * @throws {ShapeError} `SHAPE_MISMATCH` if a, b do not match M
 * @throws {NonFiniteError} `NON_FINITE` for NaN/±∞ in a, b or M
 * @throws {NotConvergedError} `NOT_CONVERGED` only with `throwOnNotConverged`
 * @throws {AbortedError} `ABORTED` when `signal` fires
 * @example
 * import { Matrix } from '@lr/core';
 * import { sinkhornNewtonSparse } from '@lr/ot';
 * const M = Matrix.from([[0, 1, 4], [1, 0, 1], [4, 1, 0]]);
 * const r = sinkhornNewtonSparse([], [], M, { reg: 0.05 });
 * r.converged; // true, after a handful of Newton steps
 */
export function sinkhornNewtonSparse(
  a: ArrayLike<number>,
  b: ArrayLike<number>,
  M: Matrix,
  options: SnsOptions,
): SnsResult {
  const t0 = now();
  const { M: C0, n: n0, m: m0 } = costArg('M', M);
  const a0 = histogramArg('a', a, n0);
  const b0 = histogramArg('b', b, m0);
  assertEqualMass(a0, b0);
  const opts = optionsObject('options', options) as Partial<SnsOptions>;
  const defaults = {
    sinkhornIterations: 20, // paper: N₁ = 20
    maxNewtonIterations: 100,
    sparsity: 2 / Math.min(n0, m0), // paper: λ = 2/n
    cgTol: 1e-10,
    stopThr: 1e-8,
    shift: 1e-6,
    armijo: 1e-4,
    maxSparsityGrowth: 8,
  };
  const base = parseLoopOptions(
    { reg: opts.reg, stopThr: opts.stopThr, throwOnNotConverged: opts.throwOnNotConverged },
    n0,
    m0,
    { numItermax: 0, stopThr: defaults.stopThr, checkEvery: 1, tau: 1e3 },
  );
  const reg = base.reg;
  const stopThr = base.stopThr;
  const n1 = assertInt(
    'options.sinkhornIterations',
    orDefault(opts.sinkhornIterations, defaults.sinkhornIterations),
  );
  const maxNewton = assertInt(
    'options.maxNewtonIterations',
    orDefault(opts.maxNewtonIterations, defaults.maxNewtonIterations),
  );
  const sparsity = assertNumber(
    'options.sparsity',
    orDefault(opts.sparsity, defaults.sparsity),
    0,
    1,
  );
  const cgTol = assertNumber('options.cgTol', orDefault(opts.cgTol, defaults.cgTol), 0);
  const shift = assertNumber('options.shift', orDefault(opts.shift, defaults.shift), 0);
  const armijo = assertNumber('options.armijo', orDefault(opts.armijo, defaults.armijo), 0, 0.5);
  const maxGrowth = assertNumber(
    'options.maxSparsityGrowth',
    orDefault(opts.maxSparsityGrowth, defaults.maxSparsityGrowth),
    1,
  );
  const onProgress = functionArg('options.onProgress', opts.onProgress);
  const signal = signalArg('options.signal', opts.signal);
  checkAbort(signal);

  // restrict to the support of a and b
  const rowsIdx: number[] = [];
  const colsIdx: number[] = [];
  for (let i = 0; i < n0; i++) if (a0[i] > 0) rowsIdx.push(i);
  for (let j = 0; j < m0; j++) if (b0[j] > 0) colsIdx.push(j);
  const n = rowsIdx.length;
  const m = colsIdx.length;
  const aa = Float64Array.from(rowsIdx, (i) => a0[i]);
  const bb = Float64Array.from(colsIdx, (j) => b0[j]);
  const C = new Float64Array(n * m);
  for (let i = 0; i < n; i++)
    for (let j = 0; j < m; j++) C[i * m + j] = C0[rowsIdx[i] * m0 + colsIdx[j]];
  const cgMax = assertInt('options.cgMaxIterations', orDefault(opts.cgMaxIterations, 10 * (n + m)));

  // ---- stage 1: Sinkhorn (log domain), error checked every iteration ----
  const history: number[] = [];
  const s1 = sinkhornLogKernel({
    a: aa,
    b: bb,
    M: C,
    n,
    m,
    reg,
    numItermax: n1,
    stopThr,
    checkEvery: 1,
    tau: 1e3,
    warm: undefined,
    onProgress: onProgress
      ? (p) => onProgress({ stage: 'sinkhorn', iteration: p.iteration, error: p.error })
      : undefined,
    signal,
  });
  history.push(...s1.history);
  let sinkhornIts = s1.iterations;
  const f = s1.logu.map((x) => reg * x);
  const g = s1.logv.map((x) => reg * x);

  // ---- stage 2: sparse Newton ----
  const P = new Float64Array(n * m);
  const r = new Float64Array(n);
  const c = new Float64Array(m);
  const gradF = new Float64Array(n);
  const gradG = new Float64Array(m);
  const scratch = new Float64Array(n * m);
  // P, its marginals, the gradient and the error at (f, g)
  const evaluate = (): number => {
    r.fill(0);
    c.fill(0);
    for (let i = 0; i < n; i++) {
      const off = i * m;
      const fi = f[i];
      let s = 0;
      for (let j = 0; j < m; j++) {
        const p = Math.exp((fi + g[j] - C[off + j]) / reg);
        P[off + j] = p;
        s += p;
        c[j] += p;
      }
      r[i] = s;
    }
    let ef = 0;
    let eg = 0;
    for (let i = 0; i < n; i++) {
      gradF[i] = aa[i] - r[i];
      ef += gradF[i] * gradF[i];
    }
    for (let j = 0; j < m; j++) {
      gradG[j] = bb[j] - c[j];
      eg += gradG[j] * gradG[j];
    }
    return Math.sqrt(ef) + Math.sqrt(eg);
  };
  let err = evaluate();
  let newtonIts = 0;
  let cgIts = 0;
  let converged = err < stopThr;
  let keep = Math.max(1, Math.min(n * m, Math.ceil(sparsity * n * m)));
  let keptEntries = keep;
  const maxKeep = Math.min(n * m, Math.floor(maxGrowth * keep));
  let slowSteps = 0;
  const N = n + m - 1; // g_{m−1} is fixed
  while (!converged && newtonIts < maxNewton) {
    checkAbort(signal);
    // sparsify: the `keep` largest entries of P (ties at the threshold may add a few)
    scratch.set(P);
    const thr = kthLargest(scratch, keep);
    const indptr = new Int32Array(n + 1);
    const cols: number[] = [];
    const vals: number[] = [];
    for (let i = 0; i < n; i++) {
      const off = i * m;
      for (let j = 0; j < m; j++) {
        const p = P[off + j];
        if (p >= thr && p > 0 && j < m - 1) {
          cols.push(j);
          vals.push(p);
        }
      }
      indptr[i + 1] = cols.length;
    }
    // S is n×(m−1): the kept entries outside the fixed column
    const S = new CsrMatrix(n, m - 1, indptr, cols, vals);
    let g1 = 0;
    for (let i = 0; i < n; i++) g1 += Math.abs(gradF[i]);
    for (let j = 0; j < m; j++) g1 += Math.abs(gradG[j]);
    const delta = shift * g1;
    const dF = new Float64Array(N);
    for (let i = 0; i < n; i++) dF[i] = r[i] + delta;
    for (let j = 0; j < m - 1; j++) dF[n + j] = c[j] + delta;
    const op: LinearOperator = {
      rows: N,
      cols: N,
      matvec(x) {
        const y = new Float64Array(N);
        const xf = x.subarray(0, n);
        const xg = x.subarray(n);
        const sg = m > 1 ? spmv(S, xg) : new Float64Array(n);
        const sf = m > 1 ? spmvT(S, xf) : new Float64Array(0);
        for (let i = 0; i < n; i++) y[i] = dF[i] * x[i] + sg[i];
        for (let j = 0; j < m - 1; j++) y[n + j] = dF[n + j] * x[n + j] + sf[j];
        return y;
      },
      rmatvec(x) {
        return this.matvec(x);
      },
    };
    const rhs = new Float64Array(N);
    for (let i = 0; i < n; i++) rhs[i] = reg * gradF[i];
    for (let j = 0; j < m - 1; j++) rhs[n + j] = reg * gradG[j];
    const sol: CgResult = cg(op, rhs, {
      rtol: cgTol,
      maxIterations: cgMax,
      preconditioner: (v) => v.map((x, k) => x / dF[k]),
    });
    cgIts += sol.iterations;
    const dx = sol.x;
    // slope ∇L·Δ (> 0 for an ascent direction)
    let slope = 0;
    for (let k = 0; k < N; k++) slope += rhs[k] * dx[k];
    slope /= reg;
    let alpha = 1;
    let accepted = false;
    if (slope > 0 && Number.isFinite(slope)) {
      // L(x + αΔ) − L(x) = α·∇L·Δ − reg·Σ P_ij φ(α(Δf_i + Δg_j)/reg), computed without cancellation
      while (alpha >= 1e-10) {
        let curv = 0;
        for (let i = 0; i < n; i++) {
          const off = i * m;
          const di = dx[i];
          for (let j = 0; j < m; j++) {
            const dj = j < m - 1 ? dx[n + j] : 0;
            curv += P[off + j] * phi((alpha * (di + dj)) / reg);
          }
        }
        const gain = alpha * slope - reg * curv;
        if (gain >= armijo * alpha * slope) {
          accepted = true;
          break;
        }
        alpha /= 2;
      }
    }
    if (accepted) {
      for (let i = 0; i < n; i++) f[i] += alpha * dx[i];
      for (let j = 0; j < m - 1; j++) g[j] += alpha * dx[n + j];
      newtonIts++;
    } else {
      // fallback: one log-domain Sinkhorn iteration from (f, g)
      const s = sinkhornLogKernel({
        a: aa,
        b: bb,
        M: C,
        n,
        m,
        reg,
        numItermax: 1,
        stopThr: 0,
        checkEvery: 1,
        tau: 1e3,
        warm: { f, g },
        onProgress: undefined,
        signal,
      });
      for (let i = 0; i < n; i++) f[i] = reg * s.logu[i];
      for (let j = 0; j < m; j++) g[j] = reg * s.logv[j];
      sinkhornIts++;
    }
    const prevErr = err;
    err = evaluate();
    history.push(err);
    // safeguard (not in the paper): after 3 Newton steps in a row that each fail to halve
    // the error, the sparsified Hessian is too coarse; keep twice as many entries
    slowSteps = accepted && err > SLOW_RATIO * prevErr ? slowSteps + 1 : 0;
    if (slowSteps >= 3) {
      keep = Math.min(maxKeep, 2 * keep);
      slowSteps = 0;
    }
    keptEntries = keep;
    onProgress?.({
      stage: accepted ? 'newton' : 'sinkhorn',
      iteration: sinkhornIts + newtonIts,
      error: err,
    });
    converged = err < stopThr;
  }

  // embed back into the full problem
  const Pfull = new Float64Array(n0 * m0);
  let cost = 0;
  for (let i = 0; i < n; i++)
    for (let j = 0; j < m; j++) {
      const p = P[i * m + j];
      Pfull[rowsIdx[i] * m0 + colsIdx[j]] = p;
      cost += p * C[i * m + j];
    }
  const fFull = new Float64Array(n0).fill(-Infinity);
  const gFull = new Float64Array(m0).fill(-Infinity);
  rowsIdx.forEach((i, k) => {
    fFull[i] = f[k];
  });
  colsIdx.forEach((j, k) => {
    gFull[j] = g[k];
  });
  if (!converged && base.throwOnNotConverged)
    throw new NotConvergedError(
      `sinkhornNewtonSparse: marginal error ${err} ≥ stopThr ${stopThr} after ${sinkhornIts} Sinkhorn and ${newtonIts} Newton iterations`,
    );
  return {
    plan: new Matrix(Pfull, n0, m0),
    cost,
    f: fFull,
    g: gFull,
    sinkhornIterations: sinkhornIts,
    newtonIterations: newtonIts,
    iterations: sinkhornIts + newtonIts,
    cgIterations: cgIts,
    keptEntries,
    converged,
    history,
    seconds: now() - t0,
  };
}
