import {
  assertInt,
  assertNumber,
  assertOneOf,
  checkAbort,
  gemm,
  Matrix,
  optionsObject,
  Rng,
  type Seed,
  singularValues,
  svd,
} from '@lr/core';
import { _blockAdmm, type SdpProgress } from './_blockAdmm.js';
import { _dense, _now } from './_dense.js';
import { kmeans } from './kmeans.js';

export type { SdpProgress } from './_blockAdmm.js';

/** Largest factor by which BM's penalty β may grow over its initial value. */
const BETA_MAX = 1e3;
/**
 * Growth of BM's projected-gradient step before each backtracking search: 1.5 (2 cost about
 * one rejected trial per step; single runs on n = 5000, k = 5 on the shared, loaded
 * 2-core machine: 10.4 s with 2, 7.3 s with 1.25, 4.4 s with 1.5).
 */
const STEP_GROW = 1.5;

/** Options of {@link sdpKmeans}. */
export interface SdpKmeansOptions {
  /** Number of clusters, 1 ≤ k ≤ n (required). */
  k: number;
  /**
   * `'admm'` (default): ADMM on the full n×n matrix (one partial eigendecomposition by
   * warm-started Lanczos per iteration while the iterate is low rank, a full n×n eigh
   * otherwise; n up to about 1000). `'burer-monteiro'`: Z = UUᵀ with U ≥ 0 of rank `rank` (Zhuang et al.
   * 2023), O(n·d·r) per step, never forms an n×n matrix except for the returned Z when
   * n ≤ `maxDenseN`.
   */
  solver?: 'admm' | 'burer-monteiro';
  /** Iterations: ADMM iterations (default 3000) or BM dual updates (default 300). */
  maxIterations?: number;
  /** Relative primal and dual residual tolerance; default 1e-5. */
  tol?: number;
  /** Initial ADMM penalty (on the objective scaled to max |A_ij| = 1), adapted by residual balancing; default 1. */
  rho?: number;
  /** BM rank r of U; default 2k (Zhuang et al.). */
  rank?: number;
  /**
   * Initial BM augmented-Lagrangian penalty β; default 10 (Zhuang et al.). Doubled after a
   * multiplier update that did not halve the residual, up to 1000·β.
   */
  beta?: number;
  /** BM projected-gradient steps per dual update; default 20. */
  innerIterations?: number;
  /** Return the n×n Z from BM only up to this n; default 2000. */
  maxDenseN?: number;
  /** Seed of the BM start and of the rounding k-means; default 0. */
  seed?: Seed;
  onProgress?: (info: SdpProgress) => void;
  signal?: AbortSignal;
}

/** Certificate of an SDP k-means solution (all in the scale of the centered data). */
export interface SdpCertificate {
  /** ⟨XcXcᵀ, Z⟩ with X centered (equal to ⟨XXᵀ, Z⟩ − const on the feasible set). */
  objective: number;
  /** Upper bound on the SDP optimum by weak duality (ADMM only; null for BM). */
  dualBound: number | null;
  /** (dualBound − objective) / max(1, |objective|) (ADMM only). */
  relativeGap: number | null;
  /** max_i |(Z1)_i − 1|. */
  rowSumResidual: number;
  /** |tr Z − k|. */
  traceResidual: number;
  /** max(0, −min_ij Z_ij). */
  nonnegativityResidual: number;
  /** max(0, −λ_min(Z)) bound: 0 by construction for both solvers (ADMM's Z is projected, BM's is UUᵀ). */
  psdResidual: number;
}

/** Result of {@link sdpKmeans}. */
export interface SdpKmeansResult {
  /** Labels from k-means on the top-k eigenvectors of Z. */
  labels: Int32Array;
  /** The n×n SDP solution (null for BM when n > maxDenseN). */
  Z: Matrix | null;
  /** BM factor U (n×r, U ≥ 0), null for ADMM. */
  U: Matrix | null;
  certificate: SdpCertificate;
  iterations: number;
  converged: boolean;
  /** Relative primal residual per iteration. */
  residualHistory: number[];
  /**
   * ADMM: how many PSD projections used the partial (Lanczos) eigendecomposition and how
   * many a full `eigh` (null for BM).
   */
  projections: { partial: number; full: number } | null;
  seconds: number;
}

function center(data: Float64Array, n: number, d: number): Float64Array {
  const mean = new Float64Array(d);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) mean[j]! += data[i * d + j]! / n;
  const out = new Float64Array(n * d);
  for (let i = 0; i < n; i++)
    for (let j = 0; j < d; j++) out[i * d + j] = data[i * d + j]! - mean[j]!;
  return out;
}

/** Top-k eigenvectors of Z = FFᵀ from the thin SVD of F (n×r), as an n×k matrix. */
function topVectors(F: Float64Array, n: number, r: number, k: number): Matrix {
  const { U } = svd(Matrix.fromData(F, n, r));
  const out = new Float64Array(n * k);
  for (let i = 0; i < n; i++)
    for (let c = 0; c < k; c++) out[i * k + c] = c < U!.cols ? U!.get(i, c) : 0;
  return Matrix.fromData(out, n, k);
}

/** The first k columns of the n×r row-major V (zero columns beyond r), as an n×k matrix. */
export function _leadingColumns(V: Float64Array, n: number, k: number): Matrix {
  const r = V.length / n;
  const out = new Float64Array(n * k);
  for (let i = 0; i < n; i++)
    for (let c = 0; c < Math.min(k, r); c++) out[i * k + c] = V[i * r + c]!;
  return Matrix.fromData(out, n, k);
}

/** Rounding: k-means on the top-k eigenvectors (private, shared with iLA-SDP). */
export function _roundTopEigenvectors(E: Matrix, k: number, rng: Rng): Int32Array {
  return kmeans(E, { k, nInit: 10, seed: rng }).labels;
}

/**
 * Peng–Wei SDP relaxation of k-means (Peng & Wei 2007): maximize ⟨XXᵀ, Z⟩ subject to
 * Z ⪰ 0, Z ≥ 0, Z·1 = 1, tr Z = k; its solution is the block matrix Σ_c 1_c1_cᵀ/|C_c|
 * of the true clusters above a separation threshold (exact recovery: Chen & Yang 2021).
 * Labels come from k-means on the top-k eigenvectors of Z.
 *
 * Solvers. `'admm'`: Z carries {Z ⪰ 0, tr Z = k} (projection by the top eigenpairs, from
 * warm-started Lanczos, exact because every eigenvalue left out is below the simplex
 * threshold; a full eigh when the rank is above n/4), a copy W carries {W ≥ 0, W·1 = 1} (row-wise simplex
 * projections); Z = W is enforced by scaled multipliers with residual balancing; the
 * multipliers give a weak-duality upper bound and so a duality gap. `'burer-monteiro'`
 * (Zhuang, Chen, Yang & Zhang 2023): Z = UUᵀ with U ∈ ℝ^{n×r}, r = 2k, U ≥ 0 and
 * ‖U‖²_F = k (Euclidean projection: max(U, 0)·√k/‖·‖_F, or √k at the largest entry when
 * none is positive), augmented Lagrangian with β = 10 on UUᵀ1 = 1 and multiplier updates
 * y ← y + β(UUᵀ1 − 1) (β doubled when the residual does not halve), projected gradient
 * steps with backtracking (step grown 1.5× per step), never forming XXᵀ (AU = X(XᵀU)); the objective is scaled to
 * A·n/‖A‖₂ so that it weighs like the penalty (our choice: with A/‖A‖₂ the iteration
 * stalled near the uninformative Z ≈ k/n·11ᵀ on n = 569).
 * X is centered first (the objective changes by a constant on the feasible set).
 *
 * @param X n×d data; not mutated
 * @param options see {@link SdpKmeansOptions}; `k` is required
 * @returns `{ labels, Z, U, certificate, iterations, converged, residualHistory, seconds }`
 * @throws {InvalidArgumentError} `INVALID_ARGUMENT` for bad options
 * @throws {NonFiniteError} `NON_FINITE` when X holds NaN/±∞
 * @throws {AbortedError} `ABORTED` when `signal` fires
 * @example
 * import { Matrix } from '@lr/core';
 * import { sdpKmeans } from '@lr/clustering-sdp';
 * const X = Matrix.from([[0, 0], [0, 1], [1, 0], [8, 8], [8, 9], [9, 8]]);
 * const r = sdpKmeans(X, { k: 2 });
 * r.labels;                    // [a, a, a, b, b, b]
 * r.certificate.relativeGap;   // ≈ 0: Z is optimal
 */
export function sdpKmeans(X: Matrix, options: SdpKmeansOptions): SdpKmeansResult {
  const t0 = _now();
  const opts = optionsObject('options', options);
  const { data, n, d } = _dense('X', X);
  const k = assertInt('options.k', opts.k, 1, n);
  const solver = assertOneOf('options.solver', opts.solver ?? 'admm', [
    'admm',
    'burer-monteiro',
  ] as const);
  const tol = assertNumber('options.tol', opts.tol ?? 1e-5, 0);
  const rng = Rng.from(opts.seed ?? 0);
  const Xc = center(data, n, d);
  if (solver === 'admm') {
    const maxIterations = assertInt('options.maxIterations', opts.maxIterations ?? 3000, 1);
    const rho = assertNumber('options.rho', opts.rho ?? 1, Number.MIN_VALUE);
    const A = new Float64Array(n * n);
    gemm(Matrix.fromData(Xc, n, d), Matrix.fromData(Xc, n, d), Matrix.fromData(A, n, n), {
      transB: true,
    });
    let s = 0;
    for (const v of A) s = Math.max(s, Math.abs(v));
    s = s > 0 ? s : 1;
    const C = A.map((v) => -v / s);
    const out = _blockAdmm([C], n, [k], maxIterations, tol, rho, opts.onProgress, opts.signal);
    const Z = out.Z[0]!;
    const cert = _certificate(Z, n, k);
    const objective = -out.objective * s;
    const dualBound = -out.dualBound * s;
    cert.objective = objective;
    cert.dualBound = dualBound;
    cert.relativeGap = (dualBound - objective) / Math.max(1, Math.abs(objective));
    // Z is PSD: its top-k eigenvectors are its top-k left singular vectors
    // Z = V·diag(w)·Vᵀ from the last projection: its top-k eigenvectors are V's first columns
    const labels = _roundTopEigenvectors(_leadingColumns(out.factors[0]!.V, n, k), k, rng);
    return {
      labels,
      Z: Matrix.fromData(Z, n, n),
      U: null,
      certificate: cert,
      iterations: out.iterations,
      converged: out.converged,
      residualHistory: out.primalHistory,
      projections: { partial: out.partialProjections, full: out.fullProjections },
      seconds: (_now() - t0) / 1000,
    };
  }
  // Burer–Monteiro
  const maxIterations = assertInt('options.maxIterations', opts.maxIterations ?? 300, 1);
  const r = assertInt('options.rank', opts.rank ?? 2 * k, k);
  const beta = assertNumber('options.beta', opts.beta ?? 10, Number.MIN_VALUE);
  const inner = assertInt('options.innerIterations', opts.innerIterations ?? 20, 1);
  const maxDenseN = assertInt('options.maxDenseN', opts.maxDenseN ?? 2000, 0);
  const sv = singularValues(Matrix.fromData(Xc, n, d));
  // Ã = A·n/‖A‖₂: the objective ⟨Ã, Z⟩ ≤ k·n is then of the order of the penalty β‖UUᵀ1 − 1‖²
  const scale = sv[0]! > 0 ? (sv[0]! * sv[0]!) / n : 1;
  const bm = burerMonteiro(
    Xc,
    n,
    d,
    k,
    r,
    scale,
    beta,
    inner,
    maxIterations,
    tol,
    rng,
    opts.onProgress,
    opts.signal,
  );
  const U = bm.U;
  let Zm: Matrix | null = null;
  let cert: SdpCertificate;
  if (n <= maxDenseN) {
    const Z = new Float64Array(n * n);
    gemm(Matrix.fromData(U, n, r), Matrix.fromData(U, n, r), Matrix.fromData(Z, n, n), {
      transB: true,
    });
    cert = _certificate(Z, n, k);
    Zm = Matrix.fromData(Z, n, n);
  } else {
    cert = bmCertificate(U, n, r, k);
  }
  const XtU = new Float64Array(d * r);
  gemm(Matrix.fromData(Xc, n, d), Matrix.fromData(U, n, r), Matrix.fromData(XtU, d, r), {
    transA: true,
  });
  let obj = 0;
  for (const v of XtU) obj += v * v;
  cert.objective = obj;
  const labels = _roundTopEigenvectors(topVectors(U, n, r, k), k, rng);
  return {
    labels,
    Z: Zm,
    U: Matrix.fromData(U, n, r),
    certificate: cert,
    iterations: bm.iterations,
    converged: bm.converged,
    residualHistory: bm.history,
    projections: null,
    seconds: (_now() - t0) / 1000,
  };
}

/** Constraint residuals of a dense Z (private, shared with iLA-SDP). */
export function _certificate(Z: Float64Array, n: number, k: number): SdpCertificate {
  let rowRes = 0;
  let tr = 0;
  let neg = 0;
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let j = 0; j < n; j++) {
      const v = Z[i * n + j]!;
      s += v;
      if (-v > neg) neg = -v;
    }
    tr += Z[i * n + i]!;
    rowRes = Math.max(rowRes, Math.abs(s - 1));
  }
  return {
    objective: 0,
    dualBound: null,
    relativeGap: null,
    rowSumResidual: rowRes,
    traceResidual: Math.abs(tr - k),
    nonnegativityResidual: neg,
    psdResidual: 0,
  };
}

function bmCertificate(U: Float64Array, n: number, r: number, k: number): SdpCertificate {
  const colSum = new Float64Array(r);
  let tr = 0;
  for (let i = 0; i < n; i++)
    for (let c = 0; c < r; c++) {
      colSum[c]! += U[i * r + c]!;
      tr += U[i * r + c]! * U[i * r + c]!;
    }
  let rowRes = 0;
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let c = 0; c < r; c++) s += U[i * r + c]! * colSum[c]!;
    rowRes = Math.max(rowRes, Math.abs(s - 1));
  }
  return {
    objective: 0,
    dualBound: null,
    relativeGap: null,
    rowSumResidual: rowRes,
    traceResidual: Math.abs(tr - k),
    nonnegativityResidual: 0,
    psdResidual: 0,
  };
}

/**
 * Euclidean projection onto Ω = {U ≥ 0, ‖U‖²_F = k}: max(U, 0) rescaled to norm √k; when no
 * entry is positive the nearest point of Ω is √k at the largest entry (ties: the first).
 * (The old fallback to the uniform U = √(k/nr) was not the projection, and the uniform U
 * is a fixed point of projected gradient for centered data, A·1 = 0: BM stalled there.)
 */
export function _projectBM(U: Float64Array, k: number): void {
  let s = 0;
  let arg = 0;
  let best = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < U.length; i++) {
    if (U[i]! > best) {
      best = U[i]!;
      arg = i;
    }
    const v = Math.max(U[i]!, 0);
    U[i] = v;
    s += v * v;
  }
  if (s > 0) {
    const f = Math.sqrt(k / s);
    for (let i = 0; i < U.length; i++) U[i] = U[i]! * f;
  } else {
    U.fill(0);
    U[arg] = Math.sqrt(k);
  }
}

function burerMonteiro(
  Xc: Float64Array,
  n: number,
  d: number,
  k: number,
  r: number,
  scale: number,
  beta0: number,
  inner: number,
  maxIterations: number,
  tol: number,
  rng: Rng,
  onProgress?: (p: SdpProgress) => void,
  signal?: AbortSignal,
): { U: Float64Array; iterations: number; converged: boolean; history: number[] } {
  const Xm = Matrix.fromData(Xc, n, d);
  const nr = n * r;
  let U = new Float64Array(nr);
  for (let i = 0; i < nr; i++) U[i] = rng.uniform();
  _projectBM(U, k);
  const y = new Float64Array(n);
  let beta = beta0;
  const XtU = new Float64Array(d * r);
  const AU = new Float64Array(nr);
  const colSum = new Float64Array(r);
  const Vtv = new Float64Array(r);
  const res = new Float64Array(n);
  const v = new Float64Array(n);
  // L(U) = −⟨Ã, UUᵀ⟩ + ⟨y, res⟩ + β/2‖res‖², res = UUᵀ1 − 1, Ã = XcXcᵀ/scale; fills `grad`
  // and `res`, returns L(U)
  const evaluate = (V: Float64Array, grad: Float64Array): number => {
    const Vm = Matrix.fromData(V, n, r);
    gemm(Xm, Vm, Matrix.fromData(XtU, d, r), { transA: true });
    let quad = 0;
    for (let i = 0; i < XtU.length; i++) quad += XtU[i]! * XtU[i]!;
    colSum.fill(0);
    for (let i = 0; i < n; i++) for (let c = 0; c < r; c++) colSum[c]! += V[i * r + c]!;
    let lin = 0;
    let pen = 0;
    for (let i = 0; i < n; i++) {
      let t = 0;
      for (let c = 0; c < r; c++) t += V[i * r + c]! * colSum[c]!;
      const e = t - 1;
      res[i] = e;
      lin += y[i]! * e;
      pen += e * e;
      v[i] = y[i]! + beta * e;
    }
    gemm(Xm, Matrix.fromData(XtU, d, r), Matrix.fromData(AU, n, r));
    Vtv.fill(0);
    for (let i = 0; i < n; i++) for (let c = 0; c < r; c++) Vtv[c]! += V[i * r + c]! * v[i]!;
    const w = -2 / scale;
    for (let i = 0; i < n; i++)
      for (let c = 0; c < r; c++)
        grad[i * r + c] = w * AU[i * r + c]! + v[i]! * colSum[c]! + Vtv[c]!;
    return -quad / scale + lin + 0.5 * beta * pen;
  };
  let grad = new Float64Array(nr);
  let cgrad = new Float64Array(nr);
  let cand = new Float64Array(nr);
  let step = 1 / (n * beta);
  const history: number[] = [];
  let converged = false;
  let it = 0;
  let prevPrimal = Number.POSITIVE_INFINITY;
  for (it = 1; it <= maxIterations; it++) {
    checkAbort(signal);
    let moved = 0;
    let value = evaluate(U, grad);
    for (let s = 0; s < inner; s++) {
      // projected gradient with backtracking on the quadratic upper model (Beck & Teboulle
      // 2009, §2); the accepted point's value and gradient start the next step
      step *= STEP_GROW;
      let next = value;
      for (let tries = 0; tries < 60; tries++) {
        for (let i = 0; i < nr; i++) cand[i] = U[i]! - step * grad[i]!;
        _projectBM(cand, k);
        let lin = 0;
        let sq = 0;
        for (let i = 0; i < nr; i++) {
          const dlt = cand[i]! - U[i]!;
          lin += grad[i]! * dlt;
          sq += dlt * dlt;
        }
        next = evaluate(cand, cgrad);
        moved = sq;
        if (next <= value + lin + sq / (2 * step)) break;
        step /= 2;
      }
      [U, cand] = [cand, U];
      [grad, cgrad] = [cgrad, grad];
      value = next;
    }
    // `res` holds the residual of the last accepted U
    let rn = 0;
    for (let i = 0; i < n; i++) {
      y[i]! += beta * res[i]!;
      rn += res[i]! * res[i]!;
    }
    let unorm = 0;
    for (let i = 0; i < nr; i++) unorm += U[i]! * U[i]!;
    const primal = Math.sqrt(rn / n);
    const change = Math.sqrt(moved / Math.max(unorm, 1e-300));
    history.push(primal);
    onProgress?.({ iteration: it, primalResidual: primal, dualResidual: change });
    if (primal < tol && change < tol) {
      converged = true;
      break;
    }
    // penalty increase when the residual stalls (Conn, Gould & Toint 1991; Nocedal & Wright
    // 2006, Alg. 17.4 uses the same test)
    if (primal > 0.5 * prevPrimal && beta < BETA_MAX * beta0) {
      beta *= 2;
      step /= 2;
    }
    prevPrimal = primal;
  }
  if (it > maxIterations) it = maxIterations;
  return { U, iterations: it, converged, history };
}
