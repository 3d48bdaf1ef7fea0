import {
  assertInt,
  assertNumber,
  assertOneOf,
  checkAbort,
  cholesky,
  eye,
  gemm,
  InvalidArgumentError,
  Matrix,
  optionsObject,
  Rng,
  type Seed,
  ShapeError,
  solveTriangular,
} from '@lr/core';
import { _dense, _now } from './_dense.js';
import { kmeans } from './kmeans.js';

/** Covariance structure of {@link gmm} (scikit-learn's `covariance_type`). */
export type CovarianceType = 'full' | 'diag' | 'spherical' | 'tied';

/** Explicit starting parameters of {@link gmm} (scikit-learn's `weights_init`, `means_init`, `precisions_init`, given as covariances). */
export interface GmmInitParameters {
  /** k mixing weights (positive, summing to 1). */
  weights: ArrayLike<number>;
  /** k×d means. */
  means: Matrix;
  /**
   * Covariances in the layout of {@link GmmResult.covariances}; optional: when absent,
   * they are estimated from the responsibilities of the nearest-mean assignment.
   */
  covariances?: Matrix[] | Matrix;
}

/** Progress of {@link gmm}, after each EM iteration. */
export interface GmmProgress {
  run: number;
  iteration: number;
  /** Mean log-likelihood per sample (the EM lower bound) at this iteration. */
  lowerBound: number;
}

/** Options of {@link gmm}. Defaults are scikit-learn's `GaussianMixture`. */
export interface GmmOptions {
  /** Number of components, 1 ≤ k ≤ n (required). */
  k: number;
  /** `'full'` (default), `'diag'`, `'spherical'` or `'tied'`. */
  covarianceType?: CovarianceType;
  /** Added to the covariance diagonals for stability; default 1e-6 (scikit-learn). */
  regCovar?: number;
  /** Stop when the mean log-likelihood gains less than tol; default 1e-3 (scikit-learn). */
  tol?: number;
  /** EM iterations per run; default 100 (scikit-learn). */
  maxIterations?: number;
  /** Runs; the one of highest final lower bound wins; default 1 (scikit-learn). */
  nInit?: number;
  /**
   * `'kmeans'` (default, scikit-learn): responsibilities from one k-means++ run;
   * `'random'`: uniform random responsibilities normalized per row; or explicit parameters.
   */
  init?: 'kmeans' | 'random' | GmmInitParameters;
  /** Seed for the initialization; default 0. */
  seed?: Seed;
  onProgress?: (info: GmmProgress) => void;
  signal?: AbortSignal;
}

/** Result of {@link gmm}: the fitted mixture and diagnostics. */
export interface GmmResult {
  covarianceType: CovarianceType;
  /** k mixing weights. */
  weights: Float64Array;
  /** k×d means. */
  means: Matrix;
  /**
   * Covariances: `'full'`: k matrices d×d; `'tied'`: one d×d matrix; `'diag'`: a k×d
   * matrix of variances; `'spherical'`: a k×1 matrix of variances.
   */
  covariances: Matrix[] | Matrix;
  /** argmax of the responsibilities, length n. */
  labels: Int32Array;
  /** n×k posterior probabilities of the final parameters. */
  responsibilities: Matrix;
  /** Mean log-likelihood per sample of the training data under the returned parameters. */
  logLikelihood: number;
  /** scikit-learn's `lower_bound_`: the mean log-likelihood at the last E-step. */
  lowerBound: number;
  /** Lower bound after each EM iteration of the returned run. */
  lowerBoundHistory: number[];
  iterations: number;
  converged: boolean;
  seconds: number;
  /** Number of free parameters of the model. */
  nParameters: number;
  /** Bayesian information criterion, −2·n·ℓ̄ + p·ln n (on X, default the training data). */
  bic(X?: Matrix): number;
  /** Akaike information criterion, −2·n·ℓ̄ + 2p (on X, default the training data). */
  aic(X?: Matrix): number;
  /** Most probable component of each row of X. */
  predict(X: Matrix): Int32Array;
  /** log p(x) of each row of X. */
  scoreSamples(X: Matrix): Float64Array;
}

interface Params {
  weights: Float64Array;
  means: Float64Array; // k×d
  /** full: k·d·d; tied: d·d; diag: k·d; spherical: k */
  cov: Float64Array;
  /** full: k·d·d (P with Σ⁻¹ = P·Pᵀ); tied: d·d; diag/spherical: 1/√σ² */
  precChol: Float64Array;
  /** log det of each component's precision Cholesky factor */
  logDetP: Float64Array;
}

const LOG_2PI = Math.log(2 * Math.PI);
const EPS = 2.220446049250313e-16;

function precisionCholesky(cov: Float64Array, d: number, off: number, out: Float64Array): number {
  const S = Matrix.fromData(cov.slice(off, off + d * d), d, d);
  let L: Matrix;
  try {
    L = cholesky(S);
  } catch {
    throw new InvalidArgumentError(
      'gmm: a covariance matrix is not positive definite (ill-defined component: too few ' +
        'samples or collapsed points); increase options.regCovar or reduce options.k',
    );
  }
  const Linv = solveTriangular(L, eye(d), { lower: true });
  let logDet = 0;
  for (let i = 0; i < d; i++) {
    logDet -= Math.log(L.get(i, i));
    for (let j = 0; j < d; j++) out[off + i * d + j] = Linv.get(j, i); // P = L⁻ᵀ
  }
  return logDet;
}

function finishParams(
  type: CovarianceType,
  k: number,
  d: number,
  weights: Float64Array,
  means: Float64Array,
  cov: Float64Array,
): Params {
  const precChol = new Float64Array(cov.length);
  const logDetP = new Float64Array(k);
  if (type === 'full') {
    for (let c = 0; c < k; c++) logDetP[c] = precisionCholesky(cov, d, c * d * d, precChol);
  } else if (type === 'tied') {
    logDetP.fill(precisionCholesky(cov, d, 0, precChol));
  } else {
    for (let i = 0; i < cov.length; i++) {
      if (!(cov[i]! > 0)) {
        throw new InvalidArgumentError(
          'gmm: a variance is not positive; increase options.regCovar or reduce options.k',
        );
      }
      precChol[i] = 1 / Math.sqrt(cov[i]!);
    }
    for (let c = 0; c < k; c++) {
      let s = 0;
      if (type === 'diag') for (let j = 0; j < d; j++) s += Math.log(precChol[c * d + j]!);
      else s = d * Math.log(precChol[c]!);
      logDetP[c] = s;
    }
  }
  return { weights, means, cov, precChol, logDetP };
}

/** M-step: parameters from responsibilities (scikit-learn's `_estimate_gaussian_parameters`). */
function estimate(
  X: Float64Array,
  n: number,
  d: number,
  resp: Float64Array,
  k: number,
  type: CovarianceType,
  reg: number,
): Params {
  const nk = new Float64Array(k);
  for (let i = 0; i < n; i++) for (let c = 0; c < k; c++) nk[c]! += resp[i * k + c]!;
  for (let c = 0; c < k; c++) nk[c]! += 10 * EPS;
  const means = new Float64Array(k * d);
  gemm(Matrix.fromData(resp, n, k), Matrix.fromData(X, n, d), Matrix.fromData(means, k, d), {
    transA: true,
  });
  for (let c = 0; c < k; c++) for (let j = 0; j < d; j++) means[c * d + j]! /= nk[c]!;
  let cov: Float64Array;
  if (type === 'full') {
    cov = new Float64Array(k * d * d);
    const diff = new Float64Array(n * d);
    const wdiff = new Float64Array(n * d);
    for (let c = 0; c < k; c++) {
      for (let i = 0; i < n; i++) {
        const r = resp[i * k + c]!;
        for (let j = 0; j < d; j++) {
          const v = X[i * d + j]! - means[c * d + j]!;
          diff[i * d + j] = v;
          wdiff[i * d + j] = r * v;
        }
      }
      const C = Matrix.fromData(cov.subarray(c * d * d, (c + 1) * d * d), d, d);
      gemm(Matrix.fromData(wdiff, n, d), Matrix.fromData(diff, n, d), C, {
        transA: true,
        alpha: 1 / nk[c]!,
      });
      for (let j = 0; j < d; j++) cov[c * d * d + j * d + j]! += reg;
    }
  } else if (type === 'tied') {
    cov = new Float64Array(d * d);
    gemm(Matrix.fromData(X, n, d), Matrix.fromData(X, n, d), Matrix.fromData(cov, d, d), {
      transA: true,
    });
    let total = 0;
    for (let c = 0; c < k; c++) {
      total += nk[c]!;
      for (let a = 0; a < d; a++)
        for (let b = 0; b < d; b++)
          cov[a * d + b]! -= nk[c]! * means[c * d + a]! * means[c * d + b]!;
    }
    for (let i = 0; i < d * d; i++) cov[i]! /= total;
    for (let j = 0; j < d; j++) cov[j * d + j]! += reg;
  } else {
    const diagCov = new Float64Array(k * d);
    for (let i = 0; i < n; i++) {
      for (let c = 0; c < k; c++) {
        const r = resp[i * k + c]!;
        if (r === 0) continue;
        for (let j = 0; j < d; j++) {
          const v = X[i * d + j]! - means[c * d + j]!;
          diagCov[c * d + j]! += r * v * v;
        }
      }
    }
    for (let c = 0; c < k; c++)
      for (let j = 0; j < d; j++) diagCov[c * d + j] = diagCov[c * d + j]! / nk[c]! + reg;
    if (type === 'diag') cov = diagCov;
    else {
      cov = new Float64Array(k);
      for (let c = 0; c < k; c++) {
        let s = 0;
        for (let j = 0; j < d; j++) s += diagCov[c * d + j]!;
        cov[c] = s / d;
      }
    }
  }
  const weights = new Float64Array(k);
  for (let c = 0; c < k; c++) weights[c] = nk[c]! / n;
  return finishParams(type, k, d, weights, means, cov);
}

/** n×k matrix of log w_c + log N(x_i | μ_c, Σ_c). */
function weightedLogProb(
  X: Float64Array,
  n: number,
  d: number,
  p: Params,
  k: number,
  type: CovarianceType,
): Float64Array {
  const out = new Float64Array(n * k);
  const diff = new Float64Array(n * d);
  const y = new Float64Array(n * d);
  for (let c = 0; c < k; c++) {
    const lw = Math.log(p.weights[c]!);
    for (let i = 0; i < n; i++)
      for (let j = 0; j < d; j++) diff[i * d + j] = X[i * d + j]! - p.means[c * d + j]!;
    if (type === 'full' || type === 'tied') {
      const off = type === 'full' ? c * d * d : 0;
      gemm(
        Matrix.fromData(diff, n, d),
        Matrix.fromData(p.precChol.subarray(off, off + d * d), d, d),
        Matrix.fromData(y, n, d),
      );
    } else {
      for (let i = 0; i < n; i++) {
        for (let j = 0; j < d; j++) {
          const s = type === 'diag' ? p.precChol[c * d + j]! : p.precChol[c]!;
          y[i * d + j] = diff[i * d + j]! * s;
        }
      }
    }
    for (let i = 0; i < n; i++) {
      let q = 0;
      for (let j = 0; j < d; j++) q += y[i * d + j]! * y[i * d + j]!;
      out[i * k + c] = -0.5 * (d * LOG_2PI + q) + p.logDetP[c]! + lw;
    }
  }
  return out;
}

/** Row-wise log-sum-exp; turns `lp` into log-responsibilities in place and returns the row logs. */
function normalizeRows(lp: Float64Array, n: number, k: number): Float64Array {
  const norm = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let m = Number.NEGATIVE_INFINITY;
    for (let c = 0; c < k; c++) m = Math.max(m, lp[i * k + c]!);
    let s = 0;
    for (let c = 0; c < k; c++) s += Math.exp(lp[i * k + c]! - m);
    const l = m + Math.log(s);
    norm[i] = l;
    for (let c = 0; c < k; c++) lp[i * k + c]! -= l;
  }
  return norm;
}

function nParameters(type: CovarianceType, k: number, d: number): number {
  const covParams =
    type === 'full'
      ? (k * d * (d + 1)) / 2
      : type === 'diag'
        ? k * d
        : type === 'tied'
          ? (d * (d + 1)) / 2
          : k;
  return covParams + k * d + k - 1;
}

function initialResponsibilities(
  X: Matrix,
  data: Float64Array,
  n: number,
  d: number,
  k: number,
  init: 'kmeans' | 'random' | GmmInitParameters,
  rng: Rng,
): Float64Array {
  const resp = new Float64Array(n * k);
  if (init === 'random') {
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let c = 0; c < k; c++) {
        const u = rng.uniform();
        resp[i * k + c] = u;
        s += u;
      }
      for (let c = 0; c < k; c++) resp[i * k + c]! /= s;
    }
    return resp;
  }
  if (init === 'kmeans') {
    const { labels } = kmeans(X, { k, nInit: 1, seed: rng });
    for (let i = 0; i < n; i++) resp[i * k + labels[i]!] = 1;
    return resp;
  }
  // nearest given mean
  const means = _dense('options.init.means', init.means);
  for (let i = 0; i < n; i++) {
    let best = 0;
    let bv = Number.POSITIVE_INFINITY;
    for (let c = 0; c < k; c++) {
      let s = 0;
      for (let j = 0; j < d; j++) {
        const v = data[i * d + j]! - means.data[c * d + j]!;
        s += v * v;
      }
      if (s < bv) {
        bv = s;
        best = c;
      }
    }
    resp[i * k + best] = 1;
  }
  return resp;
}

function paramsFromInit(
  init: GmmInitParameters,
  fallback: Params,
  type: CovarianceType,
  k: number,
  d: number,
): Params {
  const w = Float64Array.from(init.weights);
  if (w.length !== k)
    throw new ShapeError(`options.init.weights: expected ${k} weights, got ${w.length}`);
  let sw = 0;
  for (const v of w) {
    if (!(v > 0) || !Number.isFinite(v))
      throw new InvalidArgumentError('options.init.weights: expected positive finite weights');
    sw += v;
  }
  if (Math.abs(sw - 1) > 1e-6)
    throw new InvalidArgumentError(
      `options.init.weights: expected weights summing to 1, got ${sw}`,
    );
  const m = _dense('options.init.means', init.means);
  if (m.n !== k || m.d !== d)
    throw new ShapeError(`options.init.means: expected ${k}×${d}, got ${m.n}×${m.d}`);
  let cov = fallback.cov;
  if (init.covariances !== undefined) {
    const cv = init.covariances;
    if (type === 'full') {
      if (!Array.isArray(cv) || cv.length !== k)
        throw new ShapeError(`options.init.covariances: expected ${k} matrices d×d`);
      cov = new Float64Array(k * d * d);
      cv.forEach((S, c) => {
        const s = _dense(`options.init.covariances[${c}]`, S);
        if (s.n !== d || s.d !== d)
          throw new ShapeError(`options.init.covariances[${c}]: expected ${d}×${d}`);
        cov.set(s.data, c * d * d);
      });
    } else {
      if (Array.isArray(cv)) throw new ShapeError('options.init.covariances: expected one Matrix');
      const s = _dense('options.init.covariances', cv);
      const [er, ec] = type === 'tied' ? [d, d] : type === 'diag' ? [k, d] : [k, 1];
      if (s.n !== er || s.d !== ec)
        throw new ShapeError(`options.init.covariances: expected ${er}×${ec}, got ${s.n}×${s.d}`);
      cov = s.data;
    }
  }
  return finishParams(type, k, d, w, m.data, cov);
}

function exportCov(
  cov: Float64Array,
  type: CovarianceType,
  k: number,
  d: number,
): Matrix[] | Matrix {
  if (type === 'full') {
    return Array.from({ length: k }, (_, c) =>
      Matrix.fromData(cov.slice(c * d * d, (c + 1) * d * d), d, d),
    );
  }
  if (type === 'tied') return Matrix.fromData(cov.slice(), d, d);
  if (type === 'diag') return Matrix.fromData(cov.slice(), k, d);
  return Matrix.fromData(cov.slice(), k, 1);
}

/**
 * Gaussian mixture model fitted by expectation–maximization (Dempster, Laird & Rubin
 * 1977), following scikit-learn's `GaussianMixture`: log densities through the Cholesky
 * factors of the precisions, log-sum-exp responsibilities, `regCovar` added to every
 * covariance diagonal, stopping when the mean log-likelihood improves by less than `tol`.
 * Non-convergence within `maxIterations` is reported as `converged: false`.
 *
 * Defaults (scikit-learn): `covarianceType` 'full', `regCovar` 1e-6, `tol` 1e-3,
 * `maxIterations` 100, `nInit` 1, `init` 'kmeans', `seed` 0.
 *
 * @param X n×d data; not mutated
 * @param options see {@link GmmOptions}; `k` is required
 * @returns the fitted mixture with `labels`, `responsibilities`, `logLikelihood`,
 *   diagnostics and `bic`/`aic`/`predict`/`scoreSamples`
 * @throws {InvalidArgumentError} `INVALID_ARGUMENT` for bad options or a covariance that is
 *   not positive definite (increase `regCovar`)
 * @throws {ShapeError} `SHAPE_MISMATCH` for an empty X or init parameters of the wrong shape
 * @throws {NonFiniteError} `NON_FINITE` when X holds NaN/±∞
 * @throws {AbortedError} `ABORTED` when `signal` fires
 * @example
 * import { Matrix } from '@lr/core';
 * import { gmm } from '@lr/clustering-sdp';
 * const X = Matrix.from([[0, 0], [0.1, 0.2], [-0.1, 0.1], [5, 5], [5.2, 4.9], [4.9, 5.1]]);
 * const fit = gmm(X, { k: 2, covarianceType: 'spherical', seed: 0 });
 * fit.labels; // two groups of three
 * fit.bic();  // model selection score
 */
export function gmm(X: Matrix, options: GmmOptions): GmmResult {
  const t0 = _now();
  const opts = optionsObject('options', options);
  const { data, n, d } = _dense('X', X);
  const k = assertInt('options.k', opts.k, 1, n);
  const type = assertOneOf('options.covarianceType', opts.covarianceType ?? 'full', [
    'full',
    'diag',
    'spherical',
    'tied',
  ] as const);
  const reg = assertNumber('options.regCovar', opts.regCovar ?? 1e-6, 0);
  const tol = assertNumber('options.tol', opts.tol ?? 1e-3, 0);
  const maxIterations = assertInt('options.maxIterations', opts.maxIterations ?? 100, 1);
  const nInit = assertInt('options.nInit', opts.nInit ?? 1, 1);
  const init = opts.init ?? 'kmeans';
  if (init !== 'kmeans' && init !== 'random' && (typeof init !== 'object' || init === null)) {
    throw new InvalidArgumentError(
      `options.init: expected 'kmeans', 'random' or { weights, means, covariances? }, got ${String(init)}`,
    );
  }
  const rng = Rng.from(opts.seed ?? 0);
  let best: { p: Params; lb: number; it: number; conv: boolean; hist: number[] } | null = null;
  for (let run = 0; run < nInit; run++) {
    const resp0 = initialResponsibilities(X, data, n, d, k, init, rng);
    let p = estimate(data, n, d, resp0, k, type, reg);
    if (typeof init === 'object') p = paramsFromInit(init, p, type, k, d);
    let lb = Number.NEGATIVE_INFINITY;
    let converged = false;
    let it = 0;
    const hist: number[] = [];
    for (it = 1; it <= maxIterations; it++) {
      checkAbort(opts.signal);
      const prev = lb;
      const lr = weightedLogProb(data, n, d, p, k, type);
      const norm = normalizeRows(lr, n, k);
      let mean = 0;
      for (let i = 0; i < n; i++) mean += norm[i]!;
      mean /= n;
      for (let i = 0; i < n * k; i++) lr[i] = Math.exp(lr[i]!);
      p = estimate(data, n, d, lr, k, type, reg);
      lb = mean;
      hist.push(lb);
      opts.onProgress?.({ run, iteration: it, lowerBound: lb });
      if (Math.abs(lb - prev) < tol) {
        converged = true;
        break;
      }
    }
    if (it > maxIterations) it = maxIterations;
    if (best === null || lb > best.lb) best = { p, lb, it, conv: converged, hist };
  }
  const b = best!;
  const P = b.p;
  const score = (Y: Float64Array, m: number) => {
    const lr = weightedLogProb(Y, m, d, P, k, type);
    const norm = normalizeRows(lr, m, k);
    return { lr, norm };
  };
  const { lr, norm } = score(data, n);
  const labels = new Int32Array(n);
  let ll = 0;
  for (let i = 0; i < n; i++) {
    ll += norm[i]!;
    let bc = 0;
    for (let c = 1; c < k; c++) if (lr[i * k + c]! > lr[i * k + bc]!) bc = c;
    labels[i] = bc;
    for (let c = 0; c < k; c++) lr[i * k + c] = Math.exp(lr[i * k + c]!);
  }
  ll /= n;
  const np = nParameters(type, k, d);
  const input = (name: string, Y: Matrix) => {
    const y = _dense(name, Y);
    if (y.d !== d) throw new ShapeError(`${name}: expected ${d} columns, got ${y.d}`);
    return y;
  };
  const meanLL = (Y?: Matrix): [number, number] => {
    if (Y === undefined) return [ll, n];
    const y = input('X', Y);
    const s = score(y.data, y.n).norm;
    let t = 0;
    for (const v of s) t += v;
    return [t / y.n, y.n];
  };
  return {
    covarianceType: type,
    weights: P.weights.slice(),
    means: Matrix.fromData(P.means.slice(), k, d),
    covariances: exportCov(P.cov, type, k, d),
    labels,
    responsibilities: Matrix.fromData(lr, n, k),
    logLikelihood: ll,
    lowerBound: b.lb,
    lowerBoundHistory: b.hist,
    iterations: b.it,
    converged: b.conv,
    seconds: (_now() - t0) / 1000,
    nParameters: np,
    bic(Y?: Matrix) {
      const [l, m] = meanLL(Y);
      return -2 * l * m + np * Math.log(m);
    },
    aic(Y?: Matrix) {
      const [l, m] = meanLL(Y);
      return -2 * l * m + 2 * np;
    },
    predict(Y: Matrix) {
      const y = input('X', Y);
      const { lr: r } = score(y.data, y.n);
      const out = new Int32Array(y.n);
      for (let i = 0; i < y.n; i++) {
        let bc = 0;
        for (let c = 1; c < k; c++) if (r[i * k + c]! > r[i * k + bc]!) bc = c;
        out[i] = bc;
      }
      return out;
    },
    scoreSamples(Y: Matrix) {
      const y = input('X', Y);
      return score(y.data, y.n).norm;
    },
  };
}
