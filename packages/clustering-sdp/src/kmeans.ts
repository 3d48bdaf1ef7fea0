import {
  assertInt,
  assertNumber,
  checkAbort,
  InvalidArgumentError,
  Matrix,
  optionsObject,
  Rng,
  type Seed,
} from '@lr/core';
import { _dense, _meanVariance, _now, _rowSqNorms, _sqDistances } from './_dense.js';

/** Progress report of {@link kmeans}, after each Lloyd iteration. */
export interface KmeansProgress {
  /** 0-based index of the current initialization. */
  run: number;
  /** Lloyd iterations done in this run. */
  iteration: number;
  /** Inertia of the labels and centers before the update of this iteration. */
  inertia: number;
}

/** Options of {@link kmeans}. */
export interface KmeansOptions {
  /** Number of clusters, 1 ≤ k ≤ n (required). */
  k: number;
  /**
   * `'k-means++'` (default, scikit-learn): greedy k-means++ with 2 + ⌊ln k⌋ local trials;
   * `'random'`: k distinct rows drawn uniformly; or a k×d Matrix of initial centers.
   */
  init?: 'k-means++' | 'random' | Matrix;
  /**
   * Number of initializations, the run of lowest inertia wins. `'auto'` (default, as
   * scikit-learn ≥ 1.4): 1 for `'k-means++'` and for given centers, 10 for `'random'`.
   */
  nInit?: number | 'auto';
  /** Lloyd iterations per run; default 300 (scikit-learn `max_iter`). */
  maxIterations?: number;
  /**
   * Convergence when the squared center shift Σ‖c_new − c_old‖² ≤ tol · (mean of the
   * feature variances); default 1e-4 (scikit-learn `tol`). Labels that stop changing also
   * end the run (scikit-learn's "strict convergence").
   */
  tol?: number;
  /** Seed of the initialization; default 0. */
  seed?: Seed;
  /** Called after every Lloyd iteration. */
  onProgress?: (info: KmeansProgress) => void;
  /** Stops with an `ABORTED` error when it fires. */
  signal?: AbortSignal;
}

/** Result of {@link kmeans}. */
export interface KmeansResult {
  /** Cluster of each sample, in 0..k−1, length n. */
  labels: Int32Array;
  /** k×d cluster centers. */
  centers: Matrix;
  /** Σᵢ ‖xᵢ − c_{label i}‖² of the returned labels and centers. */
  inertia: number;
  /** Lloyd iterations of the returned run. */
  iterations: number;
  /** Whether the returned run met the tolerance before `maxIterations`. */
  converged: boolean;
  /** Number of initializations run. */
  nInit: number;
  /** Inertia before each Lloyd update of the returned run. */
  inertiaHistory: number[];
  /** Wall-clock seconds. */
  seconds: number;
}

/** Greedy k-means++ (Arthur & Vassilvitskii 2007; greedy variant as scikit-learn). Returns k×d centers. */
export function _kmeansPlusPlus(
  X: Float64Array,
  xNorms: Float64Array,
  n: number,
  d: number,
  k: number,
  rng: Rng,
): Float64Array {
  const centers = new Float64Array(k * d);
  const trials = 2 + Math.floor(Math.log(k));
  const first = rng.int(n);
  centers.set(X.subarray(first * d, first * d + d), 0);
  const closest = _sqDistances(X, xNorms, n, centers.subarray(0, d), 1, d);
  let pot = 0;
  for (let i = 0; i < n; i++) pot += closest[i]!;
  const cum = new Float64Array(n);
  const cand = new Float64Array(trials * d);
  for (let c = 1; c < k; c++) {
    let s = 0;
    for (let i = 0; i < n; i++) {
      s += closest[i]!;
      cum[i] = s;
    }
    const ids = new Int32Array(trials);
    for (let t = 0; t < trials; t++) {
      const r = rng.uniform() * pot;
      // searchsorted (left): first index with cum ≥ r
      let lo = 0;
      let hi = n;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (cum[mid]! < r) lo = mid + 1;
        else hi = mid;
      }
      ids[t] = Math.min(lo, n - 1);
      cand.set(X.subarray(ids[t]! * d, ids[t]! * d + d), t * d);
    }
    const dist = _sqDistances(X, xNorms, n, cand, trials, d);
    let best = -1;
    let bestPot = Number.POSITIVE_INFINITY;
    for (let t = 0; t < trials; t++) {
      let p = 0;
      for (let i = 0; i < n; i++) p += Math.min(closest[i]!, dist[i * trials + t]!);
      if (p < bestPot) {
        bestPot = p;
        best = t;
      }
    }
    for (let i = 0; i < n; i++) closest[i] = Math.min(closest[i]!, dist[i * trials + best]!);
    pot = bestPot;
    centers.set(cand.subarray(best * d, best * d + d), c * d);
  }
  return centers;
}

interface LloydRun {
  labels: Int32Array;
  centers: Float64Array;
  inertia: number;
  iterations: number;
  converged: boolean;
  history: number[];
}

/** Assigns each row to its nearest center; returns the inertia. */
function assign(
  X: Float64Array,
  xNorms: Float64Array,
  n: number,
  d: number,
  C: Float64Array,
  k: number,
  labels: Int32Array,
  dist: Float64Array,
): number {
  const D = _sqDistances(X, xNorms, n, C, k, d);
  let inertia = 0;
  for (let i = 0; i < n; i++) {
    let b = 0;
    let bv = D[i * k]!;
    for (let j = 1; j < k; j++) {
      const v = D[i * k + j]!;
      if (v < bv) {
        bv = v;
        b = j;
      }
    }
    labels[i] = b;
    dist[i] = bv;
    inertia += bv;
  }
  return inertia;
}

/** Lloyd's algorithm on validated, centered input (scikit-learn's `_kmeans_single_lloyd`). */
export function _lloyd(
  X: Float64Array,
  xNorms: Float64Array,
  n: number,
  d: number,
  init: Float64Array,
  k: number,
  maxIterations: number,
  tolAbs: number,
  report?: (iteration: number, inertia: number) => void,
  signal?: AbortSignal,
): LloydRun {
  let centers = init.slice();
  const labels = new Int32Array(n).fill(-1);
  const old = new Int32Array(n);
  const dist = new Float64Array(n);
  const history: number[] = [];
  let converged = false;
  let strict = false;
  let it = 0;
  for (; it < maxIterations; ) {
    checkAbort(signal);
    old.set(labels);
    const inertia = assign(X, xNorms, n, d, centers, k, labels, dist);
    history.push(inertia);
    // M-step: sums and counts
    const next = new Float64Array(k * d);
    const counts = new Float64Array(k);
    for (let i = 0; i < n; i++) {
      const l = labels[i]!;
      counts[l]! += 1;
      for (let j = 0; j < d; j++) next[l * d + j]! += X[i * d + j]!;
    }
    // empty clusters: relocate to the points farthest from their centers (scikit-learn)
    const empty: number[] = [];
    for (let c = 0; c < k; c++) if (counts[c] === 0) empty.push(c);
    if (empty.length > 0) {
      const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => dist[b]! - dist[a]!);
      empty.forEach((c, e) => {
        const far = order[e]!;
        const from = labels[far]!;
        for (let j = 0; j < d; j++) {
          next[from * d + j]! -= X[far * d + j]!;
          next[c * d + j] = X[far * d + j]!;
        }
        counts[from]! -= 1;
        counts[c] = 1;
      });
    }
    let shift = 0;
    for (let c = 0; c < k; c++) {
      for (let j = 0; j < d; j++) {
        const v = counts[c]! > 0 ? next[c * d + j]! / counts[c]! : centers[c * d + j]!;
        next[c * d + j] = v;
        const s = v - centers[c * d + j]!;
        shift += s * s;
      }
    }
    centers = next;
    it++;
    report?.(it, inertia);
    let same = true;
    for (let i = 0; i < n; i++) {
      if (labels[i] !== old[i]) {
        same = false;
        break;
      }
    }
    if (same) {
      strict = true;
      converged = true;
      break;
    }
    if (shift <= tolAbs) {
      converged = true;
      break;
    }
  }
  // labels consistent with the final centers (as scikit-learn, unless strictly converged)
  let inertia: number;
  if (strict) {
    inertia = 0;
    for (let i = 0; i < n; i++) {
      let s = 0;
      const l = labels[i]!;
      for (let j = 0; j < d; j++) {
        const v = X[i * d + j]! - centers[l * d + j]!;
        s += v * v;
      }
      inertia += s;
    }
  } else {
    inertia = assign(X, xNorms, n, d, centers, k, labels, dist);
  }
  return { labels, centers, inertia, iterations: it, converged, history };
}

/**
 * k-means clustering by Lloyd's algorithm with k-means++ seeding, following
 * scikit-learn's `KMeans(algorithm='lloyd')`: the data are centered internally for
 * accuracy, distances come from one GEMM per iteration (‖x‖² − 2·X·Cᵀ + ‖c‖²), empty
 * clusters are relocated to the points farthest from their centers, and the run of
 * lowest inertia among `nInit` is returned. Iteration stops when the labels stop
 * changing or the squared center shift falls below `tol` × mean feature variance.
 *
 * Defaults (scikit-learn 1.4+): `init` 'k-means++' (2 + ⌊ln k⌋ local trials),
 * `nInit` 'auto' (1 for k-means++ or given centers, 10 for 'random'), `maxIterations` 300,
 * `tol` 1e-4, `seed` 0.
 *
 * @param X n×d data (rows are samples); not mutated
 * @param options see {@link KmeansOptions}; `k` is required
 * @returns `{ labels, centers (k×d), inertia, iterations, converged, nInit, inertiaHistory, seconds }`
 * @throws {InvalidArgumentError} `INVALID_ARGUMENT` for bad options (k outside [1, n], …)
 * @throws {ShapeError} `SHAPE_MISMATCH` for an empty X or init centers of the wrong shape
 * @throws {NonFiniteError} `NON_FINITE` when X or init hold NaN/±∞
 * @throws {AbortedError} `ABORTED` when `signal` fires
 * @example
 * import { Matrix } from '@lr/core';
 * import { kmeans } from '@lr/clustering-sdp';
 * const X = Matrix.from([[0, 0], [0, 1], [10, 10], [10, 11]]);
 * const { labels, inertia } = kmeans(X, { k: 2, seed: 1 }); // labels [a, a, b, b], inertia 1
 */
export function kmeans(X: Matrix, options: KmeansOptions): KmeansResult {
  const t0 = _now();
  const opts = optionsObject('options', options);
  const { data, n, d } = _dense('X', X);
  const k = assertInt('options.k', opts.k, 1, n);
  const init = opts.init ?? 'k-means++';
  let given: Float64Array | null = null;
  if (init instanceof Matrix) {
    const c = _dense('options.init', init);
    if (c.n !== k || c.d !== d) {
      throw new InvalidArgumentError(
        `options.init: expected a ${k}×${d} matrix of centers, got ${c.n}×${c.d}`,
      );
    }
    given = c.data;
  } else if (init !== 'k-means++' && init !== 'random') {
    throw new InvalidArgumentError(
      `options.init: expected 'k-means++', 'random' or a Matrix, got ${String(init)}`,
    );
  }
  const nInitOpt = opts.nInit ?? 'auto';
  const nInit =
    nInitOpt === 'auto' ? (init === 'random' ? 10 : 1) : assertInt('options.nInit', nInitOpt, 1);
  const maxIterations = assertInt('options.maxIterations', opts.maxIterations ?? 300, 1);
  const tol = assertNumber('options.tol', opts.tol ?? 1e-4, 0);
  const rng = Rng.from(opts.seed ?? 0);
  const tolAbs = tol * _meanVariance(data, n, d);
  // center the data (scikit-learn does the same for precision)
  const mean = new Float64Array(d);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) mean[j]! += data[i * d + j]! / n;
  const Xc = new Float64Array(n * d);
  for (let i = 0; i < n; i++)
    for (let j = 0; j < d; j++) Xc[i * d + j] = data[i * d + j]! - mean[j]!;
  const xNorms = _rowSqNorms(Xc, n, d);
  let best: LloydRun | null = null;
  for (let run = 0; run < nInit; run++) {
    let c0: Float64Array;
    if (given) {
      c0 = new Float64Array(k * d);
      for (let c = 0; c < k; c++)
        for (let j = 0; j < d; j++) c0[c * d + j] = given[c * d + j]! - mean[j]!;
    } else if (init === 'random') {
      const perm = rng.permutation(n);
      c0 = new Float64Array(k * d);
      for (let c = 0; c < k; c++) c0.set(Xc.subarray(perm[c]! * d, perm[c]! * d + d), c * d);
    } else {
      c0 = _kmeansPlusPlus(Xc, xNorms, n, d, k, rng);
    }
    const report = opts.onProgress
      ? (iteration: number, inertia: number) => opts.onProgress!({ run, iteration, inertia })
      : undefined;
    const r = _lloyd(Xc, xNorms, n, d, c0, k, maxIterations, tolAbs, report, opts.signal);
    if (best === null || r.inertia < best.inertia) best = r;
  }
  const b = best!;
  const centers = new Float64Array(k * d);
  for (let c = 0; c < k; c++)
    for (let j = 0; j < d; j++) centers[c * d + j] = b.centers[c * d + j]! + mean[j]!;
  return {
    labels: b.labels,
    centers: Matrix.fromData(centers, k, d),
    inertia: b.inertia,
    iterations: b.iterations,
    converged: b.converged,
    nInit,
    inertiaHistory: b.history,
    seconds: (_now() - t0) / 1000,
  };
}
