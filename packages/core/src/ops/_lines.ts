// Internal: traversal of an arbitrary strided tensor as a sequence of 1-d "lines"
// (offset, stride, length), so reductions run a tight inner loop on any view.
import type { Tensor } from '../tensor.js';

/** Called once per line: elements `data[off + k·stride]` for k < len. */
export type LineFn = (off: number, stride: number, len: number) => void;

/**
 * Visits every element of `t` once, line by line. With `cOrder` the lines follow C order
 * (last axis innermost, lines in row-major order); otherwise the innermost axis is the
 * one with the smallest |stride| (memory order, faster for order-free reductions).
 * Contiguous tensors are one line.
 */
export function forEachLine(t: Tensor, fn: LineFn, cOrder = false): void {
  const size = t.size;
  if (size === 0) return;
  if (t.isContiguous()) {
    fn(t.offset, 1, size);
    return;
  }
  const nd = t.ndim;
  const shape = t.shape;
  const strides = t.strides;
  let inner = nd - 1;
  if (!cOrder) {
    let best = Infinity;
    for (let k = 0; k < nd; k++) {
      const s = Math.abs(strides[k]!);
      if (shape[k]! > 1 && s < best) {
        best = s;
        inner = k;
      }
    }
  }
  const len = shape[inner]!;
  const stride = strides[inner]!;
  const outer: number[] = [];
  for (let k = 0; k < nd; k++) if (k !== inner) outer.push(k);
  const m = outer.length;
  const idx = new Array<number>(m).fill(0);
  const count = size / len;
  let p = t.offset;
  for (let q = 0; q < count; q++) {
    fn(p, stride, len);
    for (let r = m - 1; r >= 0; r--) {
      const ax = outer[r]!;
      idx[r]!++;
      p += strides[ax]!;
      if (idx[r]! < shape[ax]!) break;
      p -= idx[r]! * strides[ax]!;
      idx[r] = 0;
    }
  }
}

/**
 * Running sum of squares in the scaled form of LAPACK's dnrm2 (value = scale²·ssq), so
 * that the Frobenius norm neither overflows nor underflows. NaN wins over ±Infinity,
 * which wins over finite values.
 */
export class ScaledSumSquares {
  scale = 0;
  ssq = 1;
  private nan = false;
  private inf = false;

  /** Adds x[off + k·inc]² for k < n. */
  addStrided(x: ArrayLike<number>, off: number, inc: number, n: number): void {
    let scale = this.scale;
    let ssq = this.ssq;
    for (let k = 0, p = off; k < n; k++, p += inc) {
      const v = x[p]!;
      if (v === 0) continue;
      const a = Math.abs(v);
      if (a === Infinity) {
        this.inf = true;
      } else if (Number.isNaN(a)) {
        this.nan = true;
      } else if (scale < a) {
        ssq = 1 + ssq * (scale / a) * (scale / a);
        scale = a;
      } else {
        ssq += (a / scale) * (a / scale);
      }
    }
    this.scale = scale;
    this.ssq = ssq;
  }

  /** √(Σ x²). */
  norm(): number {
    if (this.nan) return Number.NaN;
    if (this.inf) return Infinity;
    return this.scale * Math.sqrt(this.ssq);
  }
}
