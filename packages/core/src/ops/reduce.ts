import { InvalidArgumentError, ShapeError } from '../errors.js';
import { Tensor } from '../tensor.js';
import { describe, optionsObject } from '../validate.js';
import { forEachLine } from './_lines.js';

/** Options of the reductions {@link sum}, {@link mean}, {@link max}, {@link min}. */
export interface ReduceOptions {
  /**
   * For a matrix (2-d tensor): 0 reduces over the rows (one value per column), 1 over
   * the columns (one value per row). Default: undefined, reduce the whole tensor to a number.
   */
  axis?: 0 | 1;
}

function checkTensor(name: string, value: unknown): Tensor {
  if (value instanceof Tensor) return value;
  throw new InvalidArgumentError(`${name}: expected a Tensor or Matrix, got ${describe(value)}`);
}

function parseAxis(
  fname: string,
  t: Tensor,
  options: ReduceOptions | undefined,
): 0 | 1 | undefined {
  const opts = optionsObject('options', options);
  const axis = opts.axis;
  if (axis === undefined) return undefined;
  if (axis !== 0 && axis !== 1)
    throw new InvalidArgumentError(`axis: expected 0, 1 or undefined, got ${describe(axis)}`);
  if (t.ndim !== 2) {
    throw new ShapeError(
      `${fname}: axis reductions need a 2-d tensor, got shape [${t.shape.join(', ')}]`,
    );
  }
  return axis;
}

// Neumaier's compensated summation (Neumaier 1974, the improved Kahan–Babuška sum):
// error bound independent of n to first order.
function neumaierLine(
  d: ArrayLike<number>,
  off: number,
  stride: number,
  len: number,
  acc: Float64Array,
): void {
  let s = acc[0]!;
  let c = acc[1]!;
  for (let k = 0, p = off; k < len; k++, p += stride) {
    const v = d[p]!;
    const t = s + v;
    if (Math.abs(s) >= Math.abs(v)) c += s - t + v;
    else c += v - t + s;
    s = t;
  }
  acc[0] = s;
  acc[1] = c;
}

// The compensated result s + c; once s is ±Infinity or NaN the correction is meaningless
// (it turns to NaN on Infinity − Infinity), so s is the answer.
function finish(s: number, c: number): number {
  return s - s === 0 ? s + c : s;
}

// Per-column (axis 0) or per-row (axis 1) compensated sums of a 2-d tensor.
function axisSums(t: Tensor, axis: 0 | 1): Float64Array {
  const [m, n] = t.shape as [number, number];
  const [rs, cs] = t.strides as [number, number];
  const d = t.data;
  const acc = new Float64Array(2);
  const outLen = axis === 0 ? n : m;
  const inner = axis === 0 ? m : n;
  const lineStride = axis === 0 ? rs : cs;
  const lineStep = axis === 0 ? cs : rs;
  const out = new Float64Array(outLen);
  if (axis === 0 && Math.abs(cs) < Math.abs(rs)) {
    // rows are the fast direction: sweep row by row, one compensated accumulator per column
    const comp = new Float64Array(n);
    for (let i = 0; i < m; i++) {
      let p = t.offset + i * rs;
      for (let j = 0; j < n; j++, p += cs) {
        const v = d[p]!;
        const s = out[j]!;
        const u = s + v;
        if (Math.abs(s) >= Math.abs(v)) comp[j]! += s - u + v;
        else comp[j]! += v - u + s;
        out[j] = u;
      }
    }
    for (let j = 0; j < n; j++) out[j] = finish(out[j]!, comp[j]!);
    return out;
  }
  for (let r = 0; r < outLen; r++) {
    acc[0] = 0;
    acc[1] = 0;
    neumaierLine(d, t.offset + r * lineStep, lineStride, inner, acc);
    out[r] = finish(acc[0]!, acc[1]!);
  }
  return out;
}

/**
 * Sum of the elements (compensated summation, Neumaier 1974), of the whole tensor or
 * along one axis of a matrix. NaN and ±Infinity propagate.
 *
 * @param A tensor (any strides, any dtype)
 * @param options see {@link ReduceOptions}
 * @returns a number, or with `axis` a new Float64Array (length cols for axis 0, rows for axis 1);
 *   the empty sum is 0
 * @throws {InvalidArgumentError} if A is not a tensor or axis is not 0/1
 * @throws {ShapeError} if `axis` is given for a tensor that is not 2-d
 * @example sum(A); sum(A, { axis: 0 }) // column sums
 */
export function sum(A: Tensor, options?: { axis?: undefined }): number;
export function sum(A: Tensor, options: { axis: 0 | 1 }): Float64Array;
export function sum(A: Tensor, options?: ReduceOptions): number | Float64Array;
export function sum(A: Tensor, options?: ReduceOptions): number | Float64Array {
  const t = checkTensor('A', A);
  const axis = parseAxis('sum', t, options);
  if (axis !== undefined) return axisSums(t, axis);
  const acc = new Float64Array(2);
  const d = t.data;
  forEachLine(t, (off, stride, len) => neumaierLine(d, off, stride, len, acc));
  return finish(acc[0]!, acc[1]!);
}

/**
 * Arithmetic mean of the elements, of the whole tensor or along one axis of a matrix.
 *
 * @param A tensor (any strides)
 * @param options see {@link ReduceOptions}
 * @returns a number, or with `axis` a new Float64Array (per column for 0, per row for 1)
 * @throws {ShapeError} if the reduced extent is empty (the mean is undefined), or `axis` is given for a non-2-d tensor
 * @throws {InvalidArgumentError} if A is not a tensor or axis is not 0/1
 * @example mean(A, { axis: 1 }) // row means
 */
export function mean(A: Tensor, options?: { axis?: undefined }): number;
export function mean(A: Tensor, options: { axis: 0 | 1 }): Float64Array;
export function mean(A: Tensor, options?: ReduceOptions): number | Float64Array;
export function mean(A: Tensor, options?: ReduceOptions): number | Float64Array {
  const t = checkTensor('A', A);
  const axis = parseAxis('mean', t, options);
  if (axis === undefined) {
    if (t.size === 0)
      throw new ShapeError(`mean: expected a non-empty tensor, got shape [${t.shape.join(', ')}]`);
    return sum(t) / t.size;
  }
  const count = t.shape[axis]!;
  if (count === 0)
    throw new ShapeError(`mean: axis ${axis} has length 0 in shape [${t.shape.join(', ')}]`);
  const s = axisSums(t, axis);
  for (let i = 0; i < s.length; i++) s[i]! /= count;
  return s;
}

function extreme(
  fname: 'max' | 'min',
  A: Tensor,
  options: ReduceOptions | undefined,
): number | Float64Array {
  const t = checkTensor('A', A);
  const axis = parseAxis(fname, t, options);
  const isMax = fname === 'max';
  const d = t.data;
  if (axis === undefined) {
    if (t.size === 0)
      throw new ShapeError(
        `${fname}: expected a non-empty tensor, got shape [${t.shape.join(', ')}]`,
      );
    let best = isMax ? -Infinity : Infinity;
    let nan = false;
    forEachLine(t, (off, stride, len) => {
      for (let k = 0, p = off; k < len; k++, p += stride) {
        const v = d[p]!;
        if (isMax ? v > best : v < best) best = v;
        else if (Number.isNaN(v)) nan = true;
      }
    });
    return nan ? Number.NaN : best;
  }
  const [m, n] = t.shape as [number, number];
  const [rs, cs] = t.strides as [number, number];
  const count = axis === 0 ? m : n;
  if (count === 0)
    throw new ShapeError(`${fname}: axis ${axis} has length 0 in shape [${t.shape.join(', ')}]`);
  const outLen = axis === 0 ? n : m;
  const out = new Float64Array(outLen).fill(isMax ? -Infinity : Infinity);
  for (let i = 0; i < m; i++) {
    let p = t.offset + i * rs;
    for (let j = 0; j < n; j++, p += cs) {
      const v = d[p]!;
      const r = axis === 0 ? j : i;
      const cur = out[r]!;
      // NaN sticks: once out[r] is NaN, comparisons are false and it stays NaN
      if (Number.isNaN(v)) out[r] = Number.NaN;
      else if (isMax ? v > cur : v < cur) out[r] = v;
    }
  }
  return out;
}

/**
 * Largest element, of the whole tensor or along one axis of a matrix. NaN propagates
 * (as numpy's `max`).
 *
 * @param A tensor (any strides)
 * @param options see {@link ReduceOptions}
 * @returns a number, or with `axis` a new Float64Array (per column for 0, per row for 1)
 * @throws {ShapeError} if the reduced extent is empty, or `axis` is given for a non-2-d tensor
 * @throws {InvalidArgumentError} if A is not a tensor or axis is not 0/1
 * @example max(A, { axis: 0 }) // column maxima
 */
export function max(A: Tensor, options?: { axis?: undefined }): number;
export function max(A: Tensor, options: { axis: 0 | 1 }): Float64Array;
export function max(A: Tensor, options?: ReduceOptions): number | Float64Array;
export function max(A: Tensor, options?: ReduceOptions): number | Float64Array {
  return extreme('max', A, options);
}

/**
 * Smallest element, of the whole tensor or along one axis of a matrix. NaN propagates.
 *
 * @param A tensor (any strides)
 * @param options see {@link ReduceOptions}
 * @returns a number, or with `axis` a new Float64Array (per column for 0, per row for 1)
 * @throws {ShapeError} if the reduced extent is empty, or `axis` is given for a non-2-d tensor
 * @throws {InvalidArgumentError} if A is not a tensor or axis is not 0/1
 * @example min(A)
 */
export function min(A: Tensor, options?: { axis?: undefined }): number;
export function min(A: Tensor, options: { axis: 0 | 1 }): Float64Array;
export function min(A: Tensor, options?: ReduceOptions): number | Float64Array;
export function min(A: Tensor, options?: ReduceOptions): number | Float64Array {
  return extreme('min', A, options);
}
