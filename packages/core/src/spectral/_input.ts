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

/** Tile edge of the blocked triangle copy (32² doubles: 8 KiB per tile). */
const TILE = 32;

function nonFinite(name: string, v: number, i: number, j: number): never {
  throw new NonFiniteError(`${name}: expected finite values, found ${v} at (${i}, ${j})`);
}

/**
 * Throws `NON_FINITE` for the first non-finite element in row-major order of A (of the
 * part read: the `uplo` triangle, or all of A when `uplo` is null), so that the blocked
 * copies report the same element as a plain scan would.
 */
function firstNonFinite(name: string, A: Matrix, uplo: 'lower' | 'upper' | null): never {
  const a = A.data;
  for (let i = 0; i < A.rows; i++) {
    const from = uplo === 'upper' ? i : 0;
    const to = uplo === 'lower' ? i + 1 : A.cols;
    for (let j = from; j < to; j++) {
      const v = a[A.offset + i * A.rowStride + j * A.colStride]!;
      if (v - v !== 0) nonFinite(name, v, i, j);
    }
  }
  throw new NonFiniteError(`${name}: expected finite values`);
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
  if (!trans) {
    for (let i = 0; i < m; i++) {
      let p = A.offset + i * rs;
      for (let j = 0; j < n; j++, p += cs) {
        const v = a[p]!;
        if (v - v !== 0) nonFinite(name, v, i, j);
        out[i * n + j] = v;
      }
    }
    return out;
  }
  // transposed: TILE×TILE tiles keep the strided writes in cache
  for (let i0 = 0; i0 < m; i0 += TILE) {
    const i1 = Math.min(m, i0 + TILE);
    for (let j0 = 0; j0 < n; j0 += TILE) {
      const j1 = Math.min(n, j0 + TILE);
      for (let i = i0; i < i1; i++) {
        let p = A.offset + i * rs + j0 * cs;
        for (let j = j0; j < j1; j++, p += cs) {
          const v = a[p]!;
          if (v - v !== 0) firstNonFinite(name, A, null);
          out[j * m + i] = v;
        }
      }
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
  // element (i, j), j ≥ i, of the upper copy is A(i, j) or A(j, i); tiles of TILE×TILE keep
  // the transposed reads of the lower triangle in cache
  const upper = uplo === 'upper';
  for (let i0 = 0; i0 < n; i0 += TILE) {
    const i1 = Math.min(n, i0 + TILE);
    for (let j0 = i0; j0 < n; j0 += TILE) {
      const j1 = Math.min(n, j0 + TILE);
      for (let i = i0; i < i1; i++) {
        for (let j = Math.max(i, j0); j < j1; j++) {
          const v = upper ? a[A.offset + i * rs + j * cs]! : a[A.offset + j * rs + i * cs]!;
          if (v - v !== 0) firstNonFinite(name, A, uplo);
          out[i * n + j] = v;
        }
      }
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

/**
 * The column version of {@link _normalizeSigns}: flips columns [0, cols) of the row-major
 * rows×cols `x` (leading dimension `ld`) so that each column's entry of largest magnitude
 * (the first such, from the top) is positive; `partner`, when given, gets the same flips on
 * its rows [0, cols) (length `partnerLen`, leading dimension `partnerLd`). Works row by
 * row so that the row-major storage is read contiguously.
 */
export function _normalizeColumnSigns(
  x: Float64Array,
  rows: number,
  cols: number,
  ld: number,
  partner: Float64Array | null = null,
  partnerLd = 0,
  partnerLen = 0,
): void {
  const best = new Float64Array(cols).fill(-1);
  const flip = new Uint8Array(cols);
  for (let i = 0; i < rows; i++) {
    const p = i * ld;
    for (let j = 0; j < cols; j++) {
      const v = x[p + j]!;
      const a = Math.abs(v);
      if (a > best[j]!) {
        best[j] = a;
        flip[j] = v < 0 ? 1 : 0;
      }
    }
  }
  let any = false;
  for (let j = 0; j < cols; j++) if (flip[j]) any = true;
  if (!any) return;
  for (let i = 0; i < rows; i++) {
    const p = i * ld;
    for (let j = 0; j < cols; j++) if (flip[j]) x[p + j] = -x[p + j]!;
  }
  if (partner) {
    for (let j = 0; j < cols; j++) {
      if (!flip[j]) continue;
      const q = j * partnerLd;
      for (let t = 0; t < partnerLen; t++) partner[q + t] = -partner[q + t]!;
    }
  }
}
