import {
  assertInt,
  assertNumber,
  cholesky,
  eye,
  gemm,
  InvalidArgumentError,
  Matrix,
  optionsObject,
  Rng,
  type Seed,
  solveTriangular,
} from '@lr/core';
import { _blockAdmm, type SdpProgress } from './_blockAdmm.js';
import { _dense, _labels, _meanVariance, _now } from './_dense.js';
import { sdpKmeans } from './sdpKmeans.js';

/** Progress of {@link ilaSdp}, after each outer (likelihood-adjustment) iteration. */
export interface IlaSdpProgress {
  outerIteration: number;
  /** Labels that changed in this iteration. */
  changed: number;
  /** Negative profile log-likelihood of the labels (see {@link IlaSdpResult.objectiveHistory}). */
  objective: number;
}

/** Options of {@link ilaSdp}. */
export interface IlaSdpOptions {
  /** Number of clusters, 2 ≤ k ≤ n (required). */
  k: number;
  /** Initial labels (length n, values 0..k−1); default: the labels of {@link sdpKmeans} (ADMM). */
  initLabels?: ArrayLike<number>;
  /** Outer iterations (covariance re-estimation + LA-SDP); default 10. */
  maxOuterIterations?: number;
  /**
   * Ridge added to every group covariance, relative to the mean feature variance of X;
   * default 1e-2 (our choice: groups can be small, and Σ_k⁻¹ enters the SDP cost).
   */
  regCovar?: number;
  /** Include −n_k·log π_k (mixing proportions) in the likelihood; default false (labels as fixed parameters). */
  mixingWeights?: boolean;
  /** ADMM iterations per LA-SDP; default 2000. */
  maxIterations?: number;
  /** ADMM relative residual tolerance; default 1e-3 (labels need only the row masses of the Z_k). */
  tol?: number;
  /** Seed of the initial SDP k-means rounding; default 0. */
  seed?: Seed;
  onProgress?: (info: IlaSdpProgress) => void;
  /** Progress of the inner ADMM iterations. */
  onSdpProgress?: (info: SdpProgress) => void;
  signal?: AbortSignal;
}

/** Result of {@link ilaSdp}. */
export interface IlaSdpResult {
  labels: Int32Array;
  /** The k group-specific membership matrices Z_k (n×n, ideally 1_{G_k}1_{G_k}ᵀ/|G_k|). */
  memberships: Matrix[];
  /** n×k soft memberships (Z_k·1)_i of the last LA-SDP (rows sum to 1). */
  softLabels: Matrix;
  /** k group covariances used in the last LA-SDP (ridge included). */
  covariances: Matrix[];
  /** Outer iterations performed. */
  iterations: number;
  /** True when the labels stopped changing before `maxOuterIterations`. */
  converged: boolean;
  /** ADMM iterations of each LA-SDP. */
  sdpIterations: number[];
  /** Whether each LA-SDP met its tolerance. */
  sdpConverged: boolean[];
  /**
   * Negative profile log-likelihood ½Σ_k[Σ_{i∈G_k}(x_i − x̄_k)ᵀΣ_k⁻¹(x_i − x̄_k) + n_k·log|Σ_k|]
   * (− Σ n_k log π_k with `mixingWeights`) of the labels entering each iteration, constants dropped.
   */
  objectiveHistory: number[];
  /** Relative duality gap of each LA-SDP from its ADMM multipliers. */
  gapHistory: number[];
  seconds: number;
}

interface GroupModel {
  /** P_k with Σ_k⁻¹ = P_kP_kᵀ (d×d). */
  P: Float64Array;
  cov: Float64Array;
  halfLogDet: number;
  logPi: number;
}

function groupModels(
  X: Float64Array,
  n: number,
  d: number,
  labels: Int32Array,
  k: number,
  ridge: number,
): GroupModel[] {
  const out: GroupModel[] = [];
  for (let c = 0; c < k; c++) {
    const idx: number[] = [];
    for (let i = 0; i < n; i++) if (labels[i] === c) idx.push(i);
    const m = idx.length;
    const mean = new Float64Array(d);
    for (const i of idx) for (let j = 0; j < d; j++) mean[j]! += X[i * d + j]! / Math.max(m, 1);
    const cov = new Float64Array(d * d);
    if (m > 0) {
      const D = new Float64Array(m * d);
      for (let r = 0; r < m; r++)
        for (let j = 0; j < d; j++) D[r * d + j] = X[idx[r]! * d + j]! - mean[j]!;
      const Dm = Matrix.fromData(D, m, d);
      gemm(Dm, Dm, Matrix.fromData(cov, d, d), { transA: true, alpha: 1 / m });
    }
    for (let a = 0; a < d; a++) cov[a * d + a]! += ridge;
    const L = cholesky(Matrix.fromData(cov.slice(), d, d));
    const Linv = solveTriangular(L, eye(d), { lower: true });
    const P = new Float64Array(d * d);
    let hld = 0;
    for (let a = 0; a < d; a++) {
      hld += Math.log(L.get(a, a));
      for (let b = 0; b < d; b++) P[a * d + b] = Linv.get(b, a);
    }
    out.push({ P, cov, halfLogDet: hld, logPi: Math.log(Math.max(m, 1) / n) });
  }
  return out;
}

/** Negative profile log-likelihood of hard labels under the given group models. */
function profileNll(
  X: Float64Array,
  n: number,
  d: number,
  labels: Int32Array,
  models: GroupModel[],
  weights: boolean,
): number {
  const k = models.length;
  let total = 0;
  for (let c = 0; c < k; c++) {
    const idx: number[] = [];
    for (let i = 0; i < n; i++) if (labels[i] === c) idx.push(i);
    if (idx.length === 0) continue;
    const mean = new Float64Array(d);
    for (const i of idx) for (let j = 0; j < d; j++) mean[j]! += X[i * d + j]! / idx.length;
    const m = idx.length;
    const D = new Float64Array(m * d);
    for (let r = 0; r < m; r++)
      for (let j = 0; j < d; j++) D[r * d + j] = X[idx[r]! * d + j]! - mean[j]!;
    const Y = new Float64Array(m * d);
    gemm(Matrix.fromData(D, m, d), Matrix.fromData(models[c]!.P, d, d), Matrix.fromData(Y, m, d));
    for (let r = 0; r < m; r++) {
      let q = 0;
      for (let b = 0; b < d; b++) q += Y[r * d + b]! * Y[r * d + b]!;
      total += 0.5 * q + models[c]!.halfLogDet - (weights ? models[c]!.logPi : 0);
    }
  }
  return total;
}

/**
 * Iterative likelihood-adjusted SDP clustering (iLA-SDP) for Gaussian clusters of
 * different shapes, built from the abstract of "Likelihood Adjusted Semidefinite Programs
 * for Clustering Heterogeneous Data" (paper #8; no public code exists).
 *
 * Construction (our derivation; the assumptions are ours where the abstract is silent).
 * With labels as parameters and the means profiled out, the negative log-likelihood of a
 * Gaussian mixture with group covariances Σ_k is, up to constants,
 * Σ_k ⟨C_k, Z_k⟩ with the group-specific membership matrices Z_k = 1_{G_k}1_{G_k}ᵀ/|G_k|
 * and C_k = ½[sym(a_k1ᵀ) − A_k] + ½·log|Σ_k|·11ᵀ, A_k = XΣ_k⁻¹Xᵀ, a_k = diag(A_k)
 * (− log π_k·11ᵀ with `mixingWeights`): the within-group Mahalanobis scatter is
 * ⟨a_k1ᵀ − A_k, Z_k⟩ and |G_k| = 1ᵀZ_k1, so no centroid is estimated. The
 * likelihood-adjusted SDP relaxes the Z_k to
 *   min Σ_k ⟨C_k, Z_k⟩  s.t.  Z_k ⪰ 0, Z_k ≥ 0, tr Z_k = 1, Σ_k Z_k·1 = 1,
 * solved by ADMM (the blocks' PSD-with-trace projections by eigh, the coupled
 * nonnegativity/row-sum constraint by one simplex projection per row). Labels are
 * argmax_k (Z_k·1)_i. iLA-SDP alternates: estimate Σ_k from the current labels (with a
 * ridge), solve the LA-SDP (warm-started), relabel; it starts from SDP k-means
 * (Peng–Wei) labels and stops when the labels repeat. Cost per ADMM iteration: k
 * eigendecompositions of n×n, so n up to a few hundred.
 *
 * @param X n×d data; not mutated
 * @param options see {@link IlaSdpOptions}; `k` is required
 * @returns labels, membership matrices, soft labels, covariances and diagnostics
 * @throws {InvalidArgumentError} `INVALID_ARGUMENT` for bad options or init labels outside 0..k−1
 * @throws {NonFiniteError} `NON_FINITE` when X holds NaN/±∞
 * @throws {AbortedError} `ABORTED` when `signal` fires
 * @example
 * import { Matrix } from '@lr/core';
 * import { ilaSdp } from '@lr/clustering-sdp';
 * const X = Matrix.from([[0, 0], [3, 0.1], [-3, -0.1], [6, 0], [0, 2], [0.1, 2.1], [-0.1, 1.9], [0, 2.05]]);
 * const r = ilaSdp(X, { k: 2 });
 * r.labels; r.iterations; r.gapHistory;
 */
export function ilaSdp(X: Matrix, options: IlaSdpOptions): IlaSdpResult {
  const t0 = _now();
  const opts = optionsObject('options', options);
  const { data, n, d } = _dense('X', X, 2);
  const k = assertInt('options.k', opts.k, 2, n);
  const maxOuter = assertInt('options.maxOuterIterations', opts.maxOuterIterations ?? 10, 1);
  const regRel = assertNumber('options.regCovar', opts.regCovar ?? 1e-2, 0);
  const maxIterations = assertInt('options.maxIterations', opts.maxIterations ?? 2000, 1);
  const tol = assertNumber('options.tol', opts.tol ?? 1e-3, 0);
  const weights = opts.mixingWeights ?? false;
  if (typeof weights !== 'boolean')
    throw new InvalidArgumentError('options.mixingWeights: expected a boolean');
  const rng = Rng.from(opts.seed ?? 0);
  let labels: Int32Array;
  if (opts.initLabels !== undefined) {
    labels = _labels('options.initLabels', opts.initLabels, n);
    for (const v of labels) {
      if (v < 0 || v >= k)
        throw new InvalidArgumentError(
          `options.initLabels: expected labels in 0..${k - 1}, found ${v}`,
        );
    }
  } else {
    labels = sdpKmeans(X, { k, seed: rng, tol, signal: opts.signal }).labels;
  }
  const mv = _meanVariance(data, n, d);
  const ridge = regRel * (mv > 0 ? mv : 1);
  // center for conditioning (the cost is translation invariant on the feasible set)
  const Xc = new Float64Array(n * d);
  const mean = new Float64Array(d);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) mean[j]! += data[i * d + j]! / n;
  for (let i = 0; i < n; i++)
    for (let j = 0; j < d; j++) Xc[i * d + j] = data[i * d + j]! - mean[j]!;
  const nn = n * n;
  let warm: { W: Float64Array[]; Y: Float64Array[] } | undefined;
  const sdpIterations: number[] = [];
  const sdpConverged: boolean[] = [];
  const objectiveHistory: number[] = [];
  const gapHistory: number[] = [];
  let models = groupModels(Xc, n, d, labels, k, ridge);
  let W: Float64Array[] = [];
  let Z: Float64Array[] = [];
  let converged = false;
  let it = 0;
  for (it = 1; it <= maxOuter; it++) {
    objectiveHistory.push(profileNll(Xc, n, d, labels, models, weights));
    const C = models.map((g) => {
      const Y = new Float64Array(n * d);
      gemm(Matrix.fromData(Xc, n, d), Matrix.fromData(g.P, d, d), Matrix.fromData(Y, n, d));
      const A = new Float64Array(nn);
      gemm(Matrix.fromData(Y, n, d), Matrix.fromData(Y, n, d), Matrix.fromData(A, n, n), {
        transB: true,
      });
      const Cb = new Float64Array(nn);
      const shift = g.halfLogDet - (weights ? g.logPi : 0);
      for (let i = 0; i < n; i++)
        for (let j = 0; j < n; j++)
          Cb[i * n + j] = 0.25 * (A[i * n + i]! + A[j * n + j]!) - 0.5 * A[i * n + j]! + shift;
      return Cb;
    });
    let s = 0;
    for (const Cb of C) for (const v of Cb) s = Math.max(s, Math.abs(v));
    s = s > 0 ? s : 1;
    for (const Cb of C) for (let i = 0; i < nn; i++) Cb[i] = Cb[i]! / s;
    const out = _blockAdmm(
      C,
      n,
      new Array(k).fill(1),
      maxIterations,
      tol,
      1,
      opts.onSdpProgress,
      opts.signal,
      warm,
    );
    warm = { W: out.W, Y: out.Y };
    W = out.W;
    Z = out.Z;
    sdpIterations.push(out.iterations);
    sdpConverged.push(out.converged);
    gapHistory.push((out.objective - out.dualBound) / Math.max(1, Math.abs(out.objective)));
    const next = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      let best = 0;
      let bv = Number.NEGATIVE_INFINITY;
      for (let c = 0; c < k; c++) {
        let m = 0;
        for (let j = 0; j < n; j++) m += W[c]![i * n + j]!;
        if (m > bv) {
          bv = m;
          best = c;
        }
      }
      next[i] = best;
    }
    let changed = 0;
    for (let i = 0; i < n; i++) if (next[i] !== labels[i]) changed++;
    // a group emptied by the relaxation keeps the previous labels (cannot estimate Σ_k)
    const counts = new Int32Array(k);
    for (const v of next) counts[v]!++;
    const degenerate = counts.some((v) => v <= 1);
    opts.onProgress?.({ outerIteration: it, changed, objective: objectiveHistory[it - 1]! });
    if (changed === 0 || degenerate) {
      converged = changed === 0;
      break;
    }
    labels = next;
    models = groupModels(Xc, n, d, labels, k, ridge);
  }
  if (it > maxOuter) it = maxOuter;
  const soft = new Float64Array(n * k);
  for (let c = 0; c < k; c++)
    for (let i = 0; i < n; i++) {
      let m = 0;
      for (let j = 0; j < n; j++) m += W[c]![i * n + j]!;
      soft[i * k + c] = m;
    }
  return {
    labels,
    memberships: Z.map((z) => Matrix.fromData(z, n, n)),
    softLabels: Matrix.fromData(soft, n, k),
    covariances: models.map((g) => Matrix.fromData(g.cov, d, d)),
    iterations: it,
    converged,
    sdpIterations,
    sdpConverged,
    objectiveHistory,
    gapHistory,
    seconds: (_now() - t0) / 1000,
  };
}
