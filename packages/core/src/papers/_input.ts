// Input checks and the response-matrix preprocessing shared by the paper functions.
import { NonFiniteError } from '../errors.js';
import { norm2 } from '../kernels/blas1.js';
import { asMatrix, Matrix } from '../matrix.js';

/** `asMatrix` plus a `NON_FINITE` check naming the first bad element. */
export function _finiteMatrix(name: string, value: unknown): Matrix {
  const A = asMatrix(name, value);
  for (let i = 0; i < A.rows; i++) {
    for (let j = 0; j < A.cols; j++) {
      const v = A.get(i, j);
      if (v - v !== 0)
        throw new NonFiniteError(`${name}: expected finite values, found ${v} at (${i}, ${j})`);
    }
  }
  return A;
}

// Sums of squares in this range are accumulated directly; outside it (overflow, or
// magnitudes where squares lose precision to underflow) the LAPACK-scaled norm2 is used.
const SAFE_LOW = 1e-280;
const SAFE_HIGH = 1e280;

function safeNorm(ss: number, x: Float64Array, off: number, inc: number, n: number): number {
  return ss > SAFE_LOW && ss < SAFE_HIGH ? Math.sqrt(ss) : norm2(x, off, inc, n);
}

/**
 * The preprocessing of a response (representation) matrix R (L tokens × d features) used
 * by the Matrix Entropy / Matrix Nuclear-Norm evaluations (Wei et al. 2024; Li et al. 2024,
 * reference implementation): subtract the column means (centre every feature over the
 * tokens), then scale every row to unit L2 norm. A row that is zero after centring (e.g.
 * when L = 1) stays zero. Returns a fresh row-major L×d float64 matrix.
 */
export function _standardizeRows(A: Matrix): Matrix {
  const m = A.rows;
  const n = A.cols;
  const out = A.toFloat64Array();
  const mean = new Float64Array(n);
  for (let i = 0; i < m; i++) for (let j = 0, p = i * n; j < n; j++, p++) mean[j]! += out[p]!;
  for (let j = 0; j < n; j++) mean[j]! /= m;
  for (let i = 0; i < m; i++) {
    const row = i * n;
    let ss = 0;
    for (let j = 0; j < n; j++) {
      const v = out[row + j]! - mean[j]!;
      out[row + j] = v;
      ss += v * v;
    }
    const r = safeNorm(ss, out, row, 1, n);
    if (r > 0) for (let j = 0; j < n; j++) out[row + j]! /= r;
  }
  return new Matrix(out, m, n);
}

/** The Euclidean norm of every column of A (any strides), overflow-safe: O(mn). */
export function _columnNorms(A: Matrix): Float64Array {
  const m = A.rows;
  const n = A.cols;
  const x = A.toFloat64Array(); // row-major copy: the row-wise pass below is cache friendly
  const ss = new Float64Array(n);
  for (let i = 0; i < m; i++) {
    for (let j = 0, p = i * n; j < n; j++, p++) {
      const v = x[p]!;
      ss[j]! += v * v;
    }
  }
  const out = new Float64Array(n);
  for (let j = 0; j < n; j++) out[j] = ss[j] === 0 ? 0 : safeNorm(ss[j]!, x, j, n, m);
  return out;
}
