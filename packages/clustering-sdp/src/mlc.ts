import {
  assertInt,
  assertNumber,
  checkAbort,
  cholesky,
  gemm,
  InvalidArgumentError,
  Matrix,
  optionsObject,
  Rng,
  type Seed,
  slogdet,
  solveTriangular,
} from '@lr/core';
import { sinkhorn } from '@lr/ot';
import { _dense, _now } from './_dense.js';
import { spectralClustering } from './spectralClustering.js';

/** Progress of {@link mlc}, after each membership update. */
export interface MlcProgress {
  iteration: number;
  /** Coding-rate reduction R(Z) − R_c(Z, Γ) of the current Γ. */
  rateReduction: number;
}

/** Options of {@link mlc}. */
export interface MlcOptions {
  /** Number of clusters (required). */
  k: number;
  /** Quantization ε² of the coding rates; default 0.5 (MCR² reference code, Yu et al. 2020). */
  eps2?: number;
  /**
   * Entropic temperature τ of the doubly stochastic membership (Sinkhorn regularization,
   * in units of the per-sample coding-rate gradient); default 0.1 (our choice on the tests'
   * subspace data: 0.5 blurs, 2 gives a near-uniform Γ).
   */
  temperature?: number;
  /** Damping ω of the mirror-descent update of the membership logits; default 0.5. */
  step?: number;
  /** Membership updates; default 30. */
  maxIterations?: number;
  /** Stop when the relative change of the rate reduction is below tol; default 1e-4. */
  tol?: number;
  /** Project the features onto the unit sphere first (as MCR²/MLC); default true. */
  normalize?: boolean;
  /** Seed of the spectral rounding; default 0. */
  seed?: Seed;
  onProgress?: (info: MlcProgress) => void;
  signal?: AbortSignal;
}

/** Result of {@link mlc}. */
export interface MlcResult {
  labels: Int32Array;
  /** n×n doubly stochastic membership Γ (rows and columns sum to 1). */
  membership: Matrix;
  /** R(Z) − R_c(Z, Γ) after each update. */
  rateReductionHistory: number[];
  /** R(Z) (constant: the features are given). */
  codingRate: number;
  iterations: number;
  converged: boolean;
  /** Largest marginal error of the last Sinkhorn projection. */
  marginalError: number;
  seconds: number;
}

/**
 * Manifold linearizing and clustering (MLC, paper #35) on given features: the doubly
 * stochastic membership Γ maximizes the coding-rate reduction
 *   R(Z) − R_c(Z, Γ),  R(Z) = ½·log det(I + d/(nε²)·ZZᵀ),
 *   R_c(Z, Γ) = (1/2n)·Σ_j log det(I + d/ε²·Z·Diag(Γ_j)·Zᵀ),
 * over the Birkhoff polytope with an entropic term τ·H(Γ)/n (the Sinkhorn temperature
 * of MLC's membership parameterization). With no network to train (Z fixed, so R(Z) is
 * a constant) we optimize Γ directly by entropic mirror descent: the logits are damped
 * toward −n·∇_Γ R_c, whose entry (j, k) is −(d/2ε²)·z_kᵀ(I + d/ε²·Z Diag(Γ_j) Zᵀ)⁻¹z_k
 * (small when z_k lies in the subspace that row j's members span), and each iterate is
 * the Sinkhorn (KL) projection onto doubly stochastic matrices (from `@lr/ot`, log
 * domain, warm-started). Γ starts as MLC's one-shot initialization, the Sinkhorn projection of the
 * feature similarity ZᵀZ; labels are the spectral clustering of ½(Γ + Γᵀ).
 * Assumptions (not in the abstract): no learned representation, the mirror-descent solver,
 * τ = 0.1 and ε² = 0.5 defaults.
 *
 * @param X n×d features (rows are samples); not mutated
 * @param options see {@link MlcOptions}; `k` is required
 * @returns `{ labels, membership, rateReductionHistory, codingRate, iterations, converged, marginalError, seconds }`
 * @throws {InvalidArgumentError} `INVALID_ARGUMENT` for bad options or a zero row with `normalize`
 * @throws {NonFiniteError} `NON_FINITE` when X holds NaN/±∞
 * @throws {AbortedError} `ABORTED` when `signal` fires
 * @example
 * import { randn } from '@lr/core';
 * import { mlc } from '@lr/clustering-sdp';
 * const X = randn(40, 5, { seed: 1 });
 * const { labels, membership } = mlc(X, { k: 2 });
 */
export function mlc(X: Matrix, options: MlcOptions): MlcResult {
  const t0 = _now();
  const opts = optionsObject('options', options);
  const { data, n, d } = _dense('X', X, 2);
  const k = assertInt('options.k', opts.k, 1, n);
  const eps2 = assertNumber('options.eps2', opts.eps2 ?? 0.5, Number.MIN_VALUE);
  const tau = assertNumber('options.temperature', opts.temperature ?? 0.1, Number.MIN_VALUE);
  const omega = assertNumber('options.step', opts.step ?? 0.5, Number.MIN_VALUE, 1);
  const maxIterations = assertInt('options.maxIterations', opts.maxIterations ?? 30, 1);
  const tol = assertNumber('options.tol', opts.tol ?? 1e-4, 0);
  const normalize = opts.normalize ?? true;
  if (typeof normalize !== 'boolean')
    throw new InvalidArgumentError('options.normalize: expected a boolean');
  const rng = Rng.from(opts.seed ?? 0);
  const Z = data.slice(); // rows z_i
  if (normalize) {
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let j = 0; j < d; j++) s += Z[i * d + j]! ** 2;
      if (s === 0) throw new InvalidArgumentError(`X: row ${i} is zero and cannot be normalized`);
      const f = 1 / Math.sqrt(s);
      for (let j = 0; j < d; j++) Z[i * d + j] = Z[i * d + j]! * f;
    }
  }
  const alpha = d / eps2;
  const Zm = Matrix.fromData(Z, n, d);
  // R(Z)
  const G = new Float64Array(d * d);
  gemm(Zm, Zm, Matrix.fromData(G, d, d), { transA: true, alpha: d / (n * eps2) });
  for (let a = 0; a < d; a++) G[a * d + a]! += 1;
  const codingRate = 0.5 * slogdet(Matrix.fromData(G, d, d)).logAbsDet;
  const uniform = new Float64Array(n).fill(1 / n);
  let warm: { f: Float64Array; g: Float64Array } | undefined;
  const project = (cost: Float64Array) => {
    const r = sinkhorn(uniform, uniform, Matrix.fromData(cost, n, n), {
      reg: tau,
      method: 'stabilized',
      numItermax: 5000,
      stopThr: 1e-9 / n,
      ...(warm ? { warmstart: warm } : {}),
    });
    warm = { f: r.f, g: r.g };
    const P = new Float64Array(n * n);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) P[i * n + j] = r.plan.get(i, j) * n;
    let err = 0;
    for (let i = 0; i < n; i++) {
      let rs = 0;
      let cs = 0;
      for (let j = 0; j < n; j++) {
        rs += P[i * n + j]!;
        cs += P[j * n + i]!;
      }
      err = Math.max(err, Math.abs(rs - 1), Math.abs(cs - 1));
    }
    return { P, err };
  };
  // the per-row coding rates and the gradient n·∂R_c/∂Γ
  const rates = (P: Float64Array, grad: Float64Array | null) => {
    let rc = 0;
    const W = new Float64Array(n * d);
    const M = new Float64Array(d * d);
    for (let j = 0; j < n; j++) {
      for (let i = 0; i < n; i++) {
        const g = P[j * n + i]!;
        for (let a = 0; a < d; a++) W[i * d + a] = g * Z[i * d + a]!;
      }
      gemm(Matrix.fromData(W, n, d), Zm, Matrix.fromData(M, d, d), { transA: true, alpha });
      for (let a = 0; a < d; a++) M[a * d + a]! += 1;
      const L = cholesky(Matrix.fromData(M, d, d));
      let ld = 0;
      for (let a = 0; a < d; a++) ld += 2 * Math.log(L.get(a, a));
      rc += ld / (2 * n);
      if (grad) {
        const Y = solveTriangular(L, Zm.T, { lower: true }); // d×n: L⁻¹z_k
        for (let c = 0; c < n; c++) {
          let q = 0;
          for (let a = 0; a < d; a++) q += Y.get(a, c) ** 2;
          grad[j * n + c] = 0.5 * alpha * q;
        }
      }
    }
    return rc;
  };
  // one-shot initialization: Sinkhorn of the similarity ZZᵀ
  let cost = new Float64Array(n * n);
  gemm(Zm, Zm, Matrix.fromData(cost, n, n), { transB: true, alpha: -1 });
  let { P, err } = project(cost);
  const history: number[] = [];
  const grad = new Float64Array(n * n);
  let converged = false;
  let it = 0;
  let prev = codingRate - rates(P, grad);
  for (it = 1; it <= maxIterations; it++) {
    checkAbort(opts.signal);
    const next = new Float64Array(n * n);
    for (let i = 0; i < n * n; i++) next[i] = (1 - omega) * cost[i]! + omega * grad[i]!;
    cost = next;
    ({ P, err } = project(cost));
    const value = codingRate - rates(P, grad);
    history.push(value);
    opts.onProgress?.({ iteration: it, rateReduction: value });
    if (Math.abs(value - prev) <= tol * Math.max(1, Math.abs(value))) {
      converged = true;
      break;
    }
    prev = value;
  }
  if (it > maxIterations) it = maxIterations;
  const S = new Float64Array(n * n);
  for (let i = 0; i < n; i++)
    for (let j = 0; j < n; j++) S[i * n + j] = 0.5 * (P[i * n + j]! + P[j * n + i]!);
  const labels = spectralClustering(Matrix.fromData(S, n, n), {
    k,
    affinity: 'precomputed',
    seed: rng,
  }).labels;
  return {
    labels,
    membership: Matrix.fromData(P, n, n),
    rateReductionHistory: history,
    codingRate,
    iterations: it,
    converged,
    marginalError: err,
    seconds: (_now() - t0) / 1000,
  };
}
