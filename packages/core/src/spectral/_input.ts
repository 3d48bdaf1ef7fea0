// Input handling shared by the spectral entry points: option checks, copies of strided
// views into fresh contiguous float64 work arrays with the finiteness check folded in,
// and the scaling into the safe range used by LAPACK's drivers (dsyev, dgesvd).
import { InvalidArgumentError, NonFiniteError } from '../errors.js';
import type { Matrix } from '../matrix.js';
import { describe } from '../validate.js';

/** Reads an optional boolean option, naming it in the error. */
export function _booleanOption(name: string, value: unknown, fallback: boolean): boolean {
  if (value === undefined) return fallback;
  if (typeof value !== 'boolean') {
    throw new InvalidArgumentError(`${name}: expected true or false, got ${describe(value)}`);
  }
  return value;
}

function nonFinite(name: string, v: number, i: number, j: number): never {
  throw new NonFiniteError(`${name}: expected finite values, found ${v} at (${i}, ${j})`);
}

/**
 * Copies A (any strides) into a fresh row-major float64 array, transposed when `trans`
 * (then the copy is cols×rows). Throws `NON_FINITE` naming the first bad element.
 */
export function _copyMatrix(name: string, A: Matrix, trans: boolean): Float64Array {
  const m = A.rows;
  const n = A.cols;
  const out = new Float64Array(m * n);
  const a = A.data;
  const rs = A.rowStride;
  const cs = A.colStride;
  for (let i = 0; i < m; i++) {
    let p = A.offset + i * rs;
    for (let j = 0; j < n; j++, p += cs) {
      const v = a[p]!;
      if (v - v !== 0) nonFinite(name, v, i, j);
      if (trans) out[j * m + i] = v;
      else out[i * n + j] = v;
    }
  }
  return out;
}

/**
 * Copies the `uplo` triangle of the square A into the upper triangle of a fresh row-major
 * n×n float64 array (the lower triangle is read transposed); the other triangle of A is
 * not read. Throws `NON_FINITE` naming the first bad element of the triangle read.
 */
export function _copyTriangle(name: string, A: Matrix, uplo: 'lower' | 'upper'): Float64Array {
  const n = A.rows;
  const out = new Float64Array(n * n);
  const a = A.data;
  const rs = A.rowStride;
  const cs = A.colStride;
  for (let i = 0; i < n; i++) {
    for (let j = i; j < n; j++) {
      // element (i, j) of the upper copy is A(i, j) or A(j, i)
      const v = uplo === 'upper' ? a[A.offset + i * rs + j * cs]! : a[A.offset + j * rs + i * cs]!;
      if (v - v !== 0) nonFinite(name, v, uplo === 'upper' ? i : j, uplo === 'upper' ? j : i);
      out[i * n + j] = v;
    }
  }
  return out;
}

// LAPACK dsyev/dgesvd safe range: matrices whose largest entry lies outside
// [√(safmin/ε), √(ε/safmin)] are scaled into it before the reduction.
const SMLNUM = Math.sqrt(2 ** -1022 / 2 ** -53);
const BIGNUM = 1 / SMLNUM;

/**
 * Scales `w[0..len)` in place when its largest magnitude `amax` lies outside the safe
 * range, and returns the factor applied (1 when none). Results computed from the scaled
 * data are divided by the factor afterwards.
 */
export function _scaleIntoRange(w: Float64Array, len: number, amax: number): number {
  let sigma = 1;
  if (amax > 0 && amax < SMLNUM) sigma = SMLNUM / amax;
  else if (amax > BIGNUM) sigma = BIGNUM / amax;
  if (sigma !== 1) for (let i = 0; i < len; i++) w[i] *= sigma;
  return sigma;
}

/** Largest magnitude in `w[0..len)`. */
export function _maxAbs(w: Float64Array, len: number): number {
  let s = 0;
  for (let i = 0; i < len; i++) {
    const v = Math.abs(w[i]!);
    if (v > s) s = v;
  }
  return s;
}

/**
 * Flips the sign of rows of the row-major `x` (rows [0, count), length `len`, leading
 * dimension `ld`) so that each row's entry of largest magnitude (the first such) is
 * positive; `partner`, when given, gets the same flips on its rows (the matching vectors
 * of the other factor). The sign rule of scikit-learn's `svd_flip`.
 */
export function _normalizeSigns(
  x: Float64Array,
  ld: number,
  count: number,
  len: number,
  partner: Float64Array | null,
  partnerLd: number,
  partnerLen: number,
): void {
  for (let i = 0; i < count; i++) {
    const p = i * ld;
    let best = 0;
    let bestAbs = -1;
    for (let t = 0; t < len; t++) {
      const a = Math.abs(x[p + t]!);
      if (a > bestAbs) {
        bestAbs = a;
        best = t;
      }
    }
    if (len > 0 && x[p + best]! < 0) {
      for (let t = 0; t < len; t++) x[p + t] = -x[p + t]!;
      if (partner) {
        const q = i * partnerLd;
        for (let t = 0; t < partnerLen; t++) partner[q + t] = -partner[q + t]!;
      }
    }
  }
}

/** The transpose of the row-major rows×cols `x`, as a fresh row-major cols×rows array. */
export function _transpose(x: Float64Array, rows: number, cols: number, ld = cols): Float64Array {
  const out = new Float64Array(rows * cols);
  for (let i = 0; i < rows; i++) {
    const p = i * ld;
    for (let j = 0; j < cols; j++) out[j * rows + i] = x[p + j]!;
  }
  return out;
}
