import {
  assertInt,
  assertNumber,
  assertOneOf,
  checkAbort,
  eigh,
  InvalidArgumentError,
  lanczos,
  Matrix,
  optionsObject,
  Rng,
  type Seed,
  ShapeError,
} from '@lr/core';
import { _dense, _now, _rowSqNorms, _sqDistances } from './_dense.js';
import { kmeans } from './kmeans.js';

/** Options of {@link spectralClustering}. Defaults are scikit-learn's `SpectralClustering`. */
export interface SpectralClusteringOptions {
  /** Number of clusters (required). */
  k: number;
  /** `'rbf'` (default), `'nearest_neighbors'` or `'precomputed'` (X is the n×n affinity). */
  affinity?: 'rbf' | 'nearest_neighbors' | 'precomputed';
  /** Kernel coefficient of exp(−γ‖x − y‖²); default 1.0 (scikit-learn). */
  gamma?: number;
  /** Neighbors (including the point itself) of the k-NN graph; default 10 (scikit-learn). */
  nNeighbors?: number;
  /** k-means restarts on the embedding; default 10 (scikit-learn `n_init`). */
  nInit?: number;
  /**
   * `'eigh'` (dense), `'lanczos'`, or `'auto'` (default: eigh up to n = 4000, where the
   * dense affinity already costs n² memory; Lanczos above). Lanczos is slow when the
   * normalized affinity has a tightly clustered spectrum (e.g. an rbf γ far too large for
   * the data, where W ≈ I): then prefer 'eigh' or a smaller γ.
   */
  eigenSolver?: 'auto' | 'eigh' | 'lanczos';
  /** Seed of the eigen-solver start and the k-means; default 0. */
  seed?: Seed;
  /**
   * Called when a stage ends (`'affinity'`, `'embedding'`: `iteration` 0) and after every
   * Lanczos restart cycle (`'embedding'`) and every k-means iteration (`'kmeans'`).
   */
  onProgress?: (info: SpectralProgress) => void;
  /**
   * Stops with an `ABORTED` error when it fires: checked between stages, every 64 rows of
   * the affinity, in every Lanczos step and k-means iteration (a dense `eigh` runs to its
   * end before the next check).
   */
  signal?: AbortSignal;
}

/** What {@link spectralClustering} reports to `onProgress`. */
export interface SpectralProgress {
  stage: 'affinity' | 'embedding' | 'kmeans';
  /** Lanczos restart cycle or k-means iteration within the stage; 0 when a stage ends. */
  iteration: number;
}

/** Result of {@link spectralClustering}. */
export interface SpectralClusteringResult {
  labels: Int32Array;
  /** n×k spectral embedding D^{-1/2}·V fed to k-means. */
  embedding: Matrix;
  /** The k largest eigenvalues of D^{-1/2}·W·D^{-1/2} (1 − eigenvalues of the normalized Laplacian), descending. */
  eigenvalues: Float64Array;
  /** Inertia of the final k-means on the embedding. */
  inertia: number;
  seconds: number;
}

/** Affinity n×n (row-major) from validated data (private). */
function buildAffinity(
  data: Float64Array,
  n: number,
  d: number,
  kind: 'rbf' | 'nearest_neighbors',
  gamma: number,
  nn: number,
  signal: AbortSignal | undefined,
): Float64Array {
  const norms = _rowSqNorms(data, n, d);
  const D = _sqDistances(data, norms, n, data, n, d);
  const W = new Float64Array(n * n);
  checkAbort(signal);
  if (kind === 'rbf') {
    for (let i = 0; i < n * n; i++) W[i] = Math.exp(-gamma * D[i]!);
    return W;
  }
  const idx = Array.from({ length: n }, (_, j) => j);
  for (let i = 0; i < n; i++) {
    if (i % 64 === 0) checkAbort(signal);
    D[i * n + i] = -1; // the point itself comes first (include_self=True)
    const order = idx.slice().sort((a, b) => D[i * n + a]! - D[i * n + b]! || a - b);
    for (let t = 0; t < nn; t++) {
      const j = order[t]!;
      W[i * n + j]! += 0.5;
      W[j * n + i]! += 0.5;
    }
  }
  return W;
}

/**
 * Spectral clustering (Ng, Jordan & Weiss 2001; von Luxburg 2007) as scikit-learn's
 * `SpectralClustering(assign_labels='kmeans')`: an affinity W (RBF kernel, symmetrized
 * k-NN connectivity ½(A + Aᵀ), or given), the normalized Laplacian with W's diagonal
 * ignored (as scipy's `laplacian`), its k smallest eigenvectors V (the largest of
 * D^{-1/2}WD^{-1/2}, by `eigh` or `lanczos`), the embedding D^{-1/2}V with each column's
 * sign fixed so its largest-magnitude entry is positive, and k-means (10 restarts) on it.
 *
 * @param X n×d data, or the n×n symmetric nonnegative affinity when `affinity: 'precomputed'`
 * @param options see {@link SpectralClusteringOptions}; `k` is required
 * @returns `{ labels, embedding, eigenvalues, inertia, seconds }`
 * @throws {InvalidArgumentError} `INVALID_ARGUMENT` for bad options or a negative affinity
 * @throws {ShapeError} `SHAPE_MISMATCH` for a non-square precomputed affinity
 * @throws {NonFiniteError} `NON_FINITE` when X holds NaN/±∞
 * @throws {AbortedError} `ABORTED` when `signal` fires
 * @example
 * import { Matrix } from '@lr/core';
 * import { spectralClustering } from '@lr/clustering-sdp';
 * const X = Matrix.from([[0, 0], [0, 0.5], [0.3, 0.2], [6, 6], [6, 6.4], [6.2, 5.9]]);
 * spectralClustering(X, { k: 2, gamma: 0.5 }).labels; // [a, a, a, b, b, b]
 */
export function spectralClustering(
  X: Matrix,
  options: SpectralClusteringOptions,
): SpectralClusteringResult {
  const t0 = _now();
  const opts = optionsObject('options', options);
  const affinity = assertOneOf('options.affinity', opts.affinity ?? 'rbf', [
    'rbf',
    'nearest_neighbors',
    'precomputed',
  ] as const);
  const gamma = assertNumber('options.gamma', opts.gamma ?? 1.0, 0);
  const nInit = assertInt('options.nInit', opts.nInit ?? 10, 1);
  const solverOpt = assertOneOf('options.eigenSolver', opts.eigenSolver ?? 'auto', [
    'auto',
    'eigh',
    'lanczos',
  ] as const);
  const { data, n, d } = _dense('X', X, 2);
  const k = assertInt('options.k', opts.k, 1, n);
  const { onProgress, signal } = opts;
  if (onProgress !== undefined && typeof onProgress !== 'function')
    throw new InvalidArgumentError(
      `options.onProgress: expected a function, got ${typeof onProgress}`,
    );
  checkAbort(signal);
  let W: Float64Array;
  if (affinity === 'precomputed') {
    if (d !== n) throw new ShapeError(`X: expected a square affinity matrix, got ${n}×${d}`);
    for (let i = 0; i < n * n; i++) {
      if (data[i]! < 0) throw new InvalidArgumentError('X: expected a nonnegative affinity matrix');
    }
    W = new Float64Array(n * n);
    for (let i = 0; i < n; i++)
      for (let j = 0; j < n; j++) W[i * n + j] = 0.5 * (data[i * n + j]! + data[j * n + i]!);
  } else {
    const nn =
      affinity === 'nearest_neighbors'
        ? assertInt('options.nNeighbors', opts.nNeighbors ?? 10, 1, n)
        : 0;
    W = buildAffinity(data, n, d, affinity, gamma, nn, signal);
  }
  checkAbort(signal);
  onProgress?.({ stage: 'affinity', iteration: 0 });
  const rng = Rng.from(opts.seed ?? 0);
  const deg = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    W[i * n + i] = 0;
    let s = 0;
    for (let j = 0; j < n; j++) s += W[i * n + j]!;
    deg[i] = s > 0 ? Math.sqrt(s) : 1;
  }
  const M = new Float64Array(n * n);
  for (let i = 0; i < n; i++)
    for (let j = 0; j < n; j++) M[i * n + j] = W[i * n + j]! / (deg[i]! * deg[j]!);
  const Mm = Matrix.fromData(M, n, n);
  // eigh on n = 1797 (digits) takes ~4 s here, while Lanczos on a near-identity affinity
  // needed minutes: the dense solver is the safe default while M is dense anyway.
  const solver = solverOpt === 'auto' ? (n <= 4000 ? 'eigh' : 'lanczos') : solverOpt;
  const V = new Float64Array(n * k);
  const values = new Float64Array(k);
  if (solver === 'eigh') {
    const e = eigh(Mm);
    for (let c = 0; c < k; c++) {
      const col = n - 1 - c;
      values[c] = e.values[col]!;
      for (let i = 0; i < n; i++) V[i * k + c] = e.vectors!.get(i, col);
    }
  } else {
    const e = lanczos(Mm, {
      k,
      which: 'largest',
      seed: rng.fork(),
      tol: 1e-10,
      ...(signal ? { signal } : {}),
      ...(onProgress
        ? {
            onProgress: (p: { iteration: number }) =>
              onProgress({ stage: 'embedding', iteration: p.iteration }),
          }
        : {}),
    });
    for (let c = 0; c < k; c++) {
      values[c] = e.values[c]!;
      for (let i = 0; i < n; i++) V[i * k + c] = e.vectors.get(i, c);
    }
  }
  for (let c = 0; c < k; c++) {
    let big = 0;
    for (let i = 0; i < n; i++) {
      V[i * k + c] = V[i * k + c]! / deg[i]!;
      if (Math.abs(V[i * k + c]!) > Math.abs(big)) big = V[i * k + c]!;
    }
    if (big < 0) for (let i = 0; i < n; i++) V[i * k + c] = -V[i * k + c]!;
  }
  checkAbort(signal);
  onProgress?.({ stage: 'embedding', iteration: 0 });
  const embedding = Matrix.fromData(V, n, k);
  const km = kmeans(embedding, {
    k,
    nInit,
    seed: rng,
    ...(signal ? { signal } : {}),
    ...(onProgress
      ? {
          onProgress: (p: { iteration: number }) =>
            onProgress({ stage: 'kmeans', iteration: p.iteration }),
        }
      : {}),
  });
  return {
    labels: km.labels,
    embedding,
    eigenvalues: values,
    inertia: km.inertia,
    seconds: (_now() - t0) / 1000,
  };
}
