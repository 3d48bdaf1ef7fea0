import {
  asMatrix,
  assertFiniteArray,
  gemm,
  InvalidArgumentError,
  Matrix,
  ShapeError,
} from '@lr/core';

/** A validated, row-major float64 copy of a data matrix (private). */
export interface _Dense {
  data: Float64Array;
  n: number;
  d: number;
}

/**
 * Copies X (any strides) into a fresh row-major float64 array after checking it is a
 * non-empty matrix of finite values. The input is never mutated.
 */
export function _dense(name: string, X: Matrix, minRows = 1): _Dense {
  const m = asMatrix(name, X);
  const n = m.rows;
  const d = m.cols;
  if (n < minRows || d < 1) {
    throw new ShapeError(`${name}: expected at least ${minRows} rows and 1 column, got ${n}×${d}`);
  }
  const data = new Float64Array(n * d);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) data[i * d + j] = m.get(i, j);
  assertFiniteArray(name, data);
  return { data, n, d };
}

/** Row-wise squared norms of a row-major n×d array. */
export function _rowSqNorms(data: Float64Array, n: number, d: number): Float64Array {
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let j = 0; j < d; j++) {
      const v = data[i * d + j]!;
      s += v * v;
    }
    out[i] = s;
  }
  return out;
}

/**
 * Squared Euclidean distances between the rows of X (n×d) and C (k×d) by one GEMM,
 * ‖x‖² − 2·X·Cᵀ + ‖c‖², clipped at 0. Returns n×k row-major.
 */
export function _sqDistances(
  X: Float64Array,
  xNorms: Float64Array,
  n: number,
  C: Float64Array,
  k: number,
  d: number,
): Float64Array {
  const out = new Float64Array(n * k);
  gemm(Matrix.fromData(X, n, d), Matrix.fromData(C, k, d), Matrix.fromData(out, n, k), {
    alpha: -2,
    transB: true,
  });
  const cNorms = _rowSqNorms(C, k, d);
  for (let i = 0; i < n; i++) {
    const xi = xNorms[i]!;
    for (let j = 0; j < k; j++) {
      const v = out[i * k + j]! + xi + cNorms[j]!;
      out[i * k + j] = Math.max(v, 0);
    }
  }
  return out;
}

/** Validates a label vector: integers, length ≥ 1 (or `n` when given). Returns a copy. */
export function _labels(name: string, labels: ArrayLike<number>, n?: number): Int32Array {
  if (labels === null || typeof labels !== 'object' || typeof labels.length !== 'number') {
    throw new InvalidArgumentError(`${name}: expected an array of integer labels`);
  }
  if (n !== undefined && labels.length !== n) {
    throw new ShapeError(`${name}: expected ${n} labels, got ${labels.length}`);
  }
  const out = new Int32Array(labels.length);
  for (let i = 0; i < labels.length; i++) {
    const v = labels[i]!;
    if (typeof v !== 'number' || !Number.isInteger(v) || Math.abs(v) > 2 ** 31 - 1) {
      throw new InvalidArgumentError(`${name}: expected integer labels, found ${v} at index ${i}`);
    }
    out[i] = v;
  }
  return out;
}

/**
 * Projects v in place onto the scaled simplex {x ≥ 0, Σx = s}, s > 0, by Michelot's
 * algorithm (1986; Condat 2016, Alg. 2): θ = (Σ_{I} v − s)/|I| over the active set I,
 * drop the entries ≤ θ, repeat until I is stable. Exact (same θ as the sort-based method of
 * Duchi et al. 2008) and O(len) per pass with few passes, instead of a sort per call.
 */
export function _projectSimplex(v: Float64Array, s: number, off = 0, len = v.length): void {
  let active = new Int32Array(len);
  let next = new Int32Array(len);
  let m = len;
  let sum = 0;
  for (let j = 0; j < len; j++) {
    active[j] = off + j;
    sum += v[off + j]!;
  }
  let theta = (sum - s) / m;
  for (;;) {
    let m2 = 0;
    let sum2 = 0;
    for (let t = 0; t < m; t++) {
      const j = active[t]!;
      if (v[j]! > theta) {
        next[m2++] = j;
        sum2 += v[j]!;
      }
    }
    if (m2 === m || m2 === 0) break;
    [active, next] = [next, active];
    m = m2;
    sum = sum2;
    theta = (sum - s) / m;
  }
  for (let j = 0; j < len; j++) v[off + j] = Math.max(v[off + j]! - theta, 0);
}

/** Mean of the per-feature variances (population), as scikit-learn's k-means tolerance scale. */
export function _meanVariance(data: Float64Array, n: number, d: number): number {
  let total = 0;
  for (let j = 0; j < d; j++) {
    let m = 0;
    for (let i = 0; i < n; i++) m += data[i * d + j]!;
    m /= n;
    let v = 0;
    for (let i = 0; i < n; i++) {
      const c = data[i * d + j]! - m;
      v += c * c;
    }
    total += v / n;
  }
  return total / d;
}

/** Seconds since `t0` (a performance.now() / Date.now() reading in ms). */
export function _now(): number {
  return typeof performance !== 'undefined' ? performance.now() : Date.now();
}
