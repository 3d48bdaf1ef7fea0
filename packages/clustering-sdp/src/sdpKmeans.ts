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

/** Options of {@link sdpKmeans}. */
export interface SdpKmeansOptions {
  /** Number of clusters, 1 ≤ k ≤ n (required). */
  k: number;
  /**
   * `'admm'` (default): ADMM on the full n×n matrix (one n×n eigh per iteration; n up to
   * about 1000). `'burer-monteiro'`: Z = UUᵀ with U ≥ 0 of rank `rank` (Zhuang et al.
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
  /** BM augmented-Lagrangian penalty β; default 10 (Zhuang et al.). */
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
 * Solvers. `'admm'`: Z carries {Z ⪰ 0, tr Z = k} (projection by eigh plus a simplex
 * projection of the eigenvalues), a copy W carries {W ≥ 0, W·1 = 1} (row-wise simplex
 * projections); Z = W is enforced by scaled multipliers with residual balancing; the
 * multipliers give a weak-duality upper bound and so a duality gap. `'burer-monteiro'`
 * (Zhuang, Chen, Yang & Zhang 2023): Z = UUᵀ with U ∈ ℝ^{n×r}, r = 2k, U ≥ 0 and
 * ‖U‖²_F = k (projection max(U, 0)·√k/‖·‖_F), augmented Lagrangian with β = 10 on
 * UUᵀ1 = 1 and multiplier updates y ← y + β(UUᵀ1 − 1), projected gradient steps with
 * backtracking, never forming XXᵀ (AU = X(XᵀU)); the objective is scaled to
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
    const labels = _roundTopEigenvectors(topVectors(Z, n, n, k), k, rng);
    return {
      labels,
      Z: Matrix.fromData(Z, n, n),
      U: null,
      certificate: cert,
      iterations: out.iterations,
      converged: out.converged,
      residualHistory: out.primalHistory,
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

/** Projection onto {U ≥ 0, ‖U‖²_F = k}. */
function projectBM(U: Float64Array, k: number): void {
  let s = 0;
  for (let i = 0; i < U.length; i++) {
    const v = Math.max(U[i]!, 0);
    U[i] = v;
    s += v * v;
  }
  const f = s > 0 ? Math.sqrt(k / s) : 0;
  if (f === 0) U.fill(Math.sqrt(k / U.length));
  else for (let i = 0; i < U.length; i++) U[i] = U[i]! * f;
}

function burerMonteiro(
  Xc: Float64Array,
  n: number,
  d: number,
  k: number,
  r: number,
  scale: number,
  beta: number,
  inner: number,
  maxIterations: number,
  tol: number,
  rng: Rng,
  onProgress?: (p: SdpProgress) => void,
  signal?: AbortSignal,
): { U: Float64Array; iterations: number; converged: boolean; history: number[] } {
  const Xm = Matrix.fromData(Xc, n, d);
  let U = new Float64Array(n * r);
  for (let i = 0; i < U.length; i++) U[i] = rng.uniform();
  projectBM(U, k);
  const y = new Float64Array(n);
  const XtU = new Float64Array(d * r);
  const AU = new Float64Array(n * r);
  // L(U) = −⟨Ã, UUᵀ⟩ + ⟨y, res⟩ + β/2‖res‖², res = UUᵀ1 − 1, Ã = XcXcᵀ/scale
  const evaluate = (V: Float64Array, grad: Float64Array | null) => {
    gemm(Xm, Matrix.fromData(V, n, r), Matrix.fromData(XtU, d, r), { transA: true });
    let quad = 0;
    for (const v of XtU) quad += v * v;
    const colSum = new Float64Array(r);
    for (let i = 0; i < n; i++) for (let c = 0; c < r; c++) colSum[c]! += V[i * r + c]!;
    const res = new Float64Array(n);
    let lin = 0;
    let pen = 0;
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let c = 0; c < r; c++) s += V[i * r + c]! * colSum[c]!;
      res[i] = s - 1;
      lin += y[i]! * res[i]!;
      pen += res[i]! * res[i]!;
    }
    const value = -quad / scale + lin + 0.5 * beta * pen;
    if (grad) {
      gemm(Xm, Matrix.fromData(XtU, d, r), Matrix.fromData(AU, n, r));
      const v = new Float64Array(n);
      for (let i = 0; i < n; i++) v[i] = y[i]! + beta * res[i]!;
      const Vtv = new Float64Array(r);
      for (let i = 0; i < n; i++) for (let c = 0; c < r; c++) Vtv[c]! += V[i * r + c]! * v[i]!;
      for (let i = 0; i < n; i++)
        for (let c = 0; c < r; c++)
          grad[i * r + c] = (-2 * AU[i * r + c]!) / scale + v[i]! * colSum[c]! + Vtv[c]!;
    }
    return { value, res };
  };
  const grad = new Float64Array(n * r);
  const cand = new Float64Array(n * r);
  let step = 1 / (n * beta);
  const history: number[] = [];
  let converged = false;
  let it = 0;
  for (it = 1; it <= maxIterations; it++) {
    checkAbort(signal);
    let moved = 0;
    let unorm = 0;
    for (let s = 0; s < inner; s++) {
      const cur = evaluate(U, grad);
      // backtracking projected gradient (sufficient decrease on the quadratic model)
      step *= 2;
      for (let tries = 0; tries < 50; tries++) {
        for (let i = 0; i < cand.length; i++) cand[i] = U[i]! - step * grad[i]!;
        projectBM(cand, k);
        let lin = 0;
        let sq = 0;
        for (let i = 0; i < cand.length; i++) {
          const dlt = cand[i]! - U[i]!;
          lin += grad[i]! * dlt;
          sq += dlt * dlt;
        }
        const next = evaluate(cand, null);
        if (next.value <= cur.value + lin + sq / (2 * step) || tries === 49) {
          moved = sq;
          break;
        }
        step /= 2;
      }
      U = cand.slice();
      unorm = 0;
      for (const v of U) unorm += v * v;
    }
    const { res } = evaluate(U, null);
    let rn = 0;
    for (let i = 0; i < n; i++) {
      y[i]! += beta * res[i]!;
      rn += res[i]! * res[i]!;
    }
    const primal = Math.sqrt(rn / n);
    const change = Math.sqrt(moved / Math.max(unorm, 1e-300));
    history.push(primal);
    onProgress?.({ iteration: it, primalResidual: primal, dualResidual: change });
    if (primal < tol && change < tol) {
      converged = true;
      break;
    }
  }
  if (it > maxIterations) it = maxIterations;
  return { U, iterations: it, converged, history };
}
