import type { FloatArray } from '../dtype.js';
import { ShapeError } from '../errors.js';
import { asMatrix, type Matrix } from '../matrix.js';
import { axpyWasm, dotWasm, gemvWasm, wantWasmDot, wantWasmGemv } from './_blasWasm.js';

/**
 * Σ x[xOff + i·incX]·y[yOff + i·incY] for i < n. Long contiguous vectors go to the
 * WebAssembly SIMD kernel (see `setBackend`). Assumes validated input.
 */
export function dotStrided(
  n: number,
  x: FloatArray,
  xOff: number,
  incX: number,
  y: FloatArray,
  yOff: number,
  incY: number,
): number {
  if (wantWasmDot(n, incX, incY)) {
    const s = dotWasm(n, x, xOff, y, yOff);
    if (s !== undefined) return s;
  }
  let s0 = 0;
  let s1 = 0;
  let i = 0;
  if (incX === 1 && incY === 1) {
    for (; i + 1 < n; i += 2) {
      s0 += x[xOff + i]! * y[yOff + i]!;
      s1 += x[xOff + i + 1]! * y[yOff + i + 1]!;
    }
    if (i < n) s0 += x[xOff + i]! * y[yOff + i]!;
    return s0 + s1;
  }
  for (; i < n; i++) s0 += x[xOff + i * incX]! * y[yOff + i * incY]!;
  return s0;
}

/**
 * y[yOff + i·incY] += α·x[xOff + i·incX] for i < n, in place on y. Long contiguous vectors
 * go to the WebAssembly SIMD kernel (see `setBackend`). Assumes validated input.
 */
export function axpyStrided(
  n: number,
  alpha: number,
  x: FloatArray,
  xOff: number,
  incX: number,
  y: FloatArray,
  yOff: number,
  incY: number,
): void {
  if (alpha === 0) return;
  if (wantWasmDot(n, incX, incY) && axpyWasm(n, alpha, x, xOff, y, yOff)) return;
  if (incX === 1 && incY === 1) {
    for (let i = 0; i < n; i++) y[yOff + i] += alpha * x[xOff + i]!;
    return;
  }
  for (let i = 0; i < n; i++) y[yOff + i * incY] += alpha * x[xOff + i * incX]!;
}

/** Dot product of two equal-length arrays. */
export function dot(x: ArrayLike<number> & FloatArray, y: FloatArray): number {
  if (x.length !== y.length)
    throw new ShapeError(`dot: x has length ${x.length}, y has length ${y.length}`);
  return dotStrided(x.length, x, 0, 1, y, 0, 1);
}

/** y ← α·x + y, in place on `y`; returns `y`. */
export function axpy<T extends FloatArray>(alpha: number, x: FloatArray, y: T): T {
  if (x.length !== y.length)
    throw new ShapeError(`axpy: x has length ${x.length}, y has length ${y.length}`);
  axpyStrided(x.length, alpha, x, 0, 1, y, 0, 1);
  return y;
}

/** Euclidean norm of an array, scaled to avoid overflow and underflow (as LAPACK's dnrm2). */
export function norm2(x: ArrayLike<number>, off = 0, inc = 1, n = x.length): number {
  let scale = 0;
  let ssq = 1;
  for (let i = 0; i < n; i++) {
    const v = x[off + i * inc]!;
    if (v !== 0) {
      const a = Math.abs(v);
      if (scale < a) {
        ssq = 1 + ssq * (scale / a) * (scale / a);
        scale = a;
      } else {
        ssq += (a / scale) * (a / scale);
      }
    }
  }
  return scale * Math.sqrt(ssq);
}

/**
 * y ← α·op(A)·x + β·y on raw storage (`?gemv`): A m×n at `a[aOff + i·ars + j·acs]`.
 * β = 0 overwrites y (NaN in y does not propagate). Runs the WebAssembly SIMD kernel
 * (dgemv, or sgemv when A, x and y are all Float32Array) or the TypeScript loop, as chosen
 * by `setBackend` and the size. Assumes validated input.
 */
export function gemvStrided(
  m: number,
  n: number,
  alpha: number,
  a: FloatArray,
  aOff: number,
  ars: number,
  acs: number,
  x: FloatArray,
  xOff: number,
  incX: number,
  beta: number,
  y: FloatArray,
  yOff: number,
  incY: number,
): void {
  if (m === 0) return;
  if (
    n !== 0 &&
    alpha !== 0 &&
    wantWasmGemv(m, n, ars, acs) &&
    gemvWasm(m, n, alpha, a, aOff, ars, acs, x, xOff, incX, beta, y, yOff, incY)
  ) {
    return;
  }
  for (let i = 0; i < m; i++) {
    const p = yOff + i * incY;
    y[p] = beta === 0 ? 0 : beta * y[p]!;
  }
  if (alpha === 0 || n === 0) return;
  if (acs === 1 || Math.abs(acs) <= Math.abs(ars)) {
    // rows are (nearly) contiguous: one dot product per row
    for (let i = 0; i < m; i++) {
      y[yOff + i * incY] += alpha * dotStrided(n, a, aOff + i * ars, acs, x, xOff, incX);
    }
  } else {
    // columns are contiguous: one axpy per column
    for (let j = 0; j < n; j++) {
      axpyStrided(m, alpha * x[xOff + j * incX]!, a, aOff + j * acs, ars, y, yOff, incY);
    }
  }
}

/** Options of {@link gemv}. */
export interface GemvOptions {
  alpha?: number;
  beta?: number;
  /** Use Aᵀ; default false. */
  trans?: boolean;
  /** Accumulate into this array (length rows of op(A)); default a new zeroed array. */
  out?: Float64Array;
}

/** y = α·op(A)·x + β·y. Returns `out` (or a new Float64Array). */
export function gemv(A: Matrix, x: FloatArray, options: GemvOptions = {}): Float64Array {
  const a0 = asMatrix('A', A);
  const a = options.trans ? a0.T : a0;
  if (x.length !== a.cols)
    throw new ShapeError(`gemv: op(A) is ${a.rows}×${a.cols} but x has length ${x.length}`);
  const y = options.out ?? new Float64Array(a.rows);
  if (y.length !== a.rows)
    throw new ShapeError(`gemv: out has length ${y.length}, expected ${a.rows}`);
  gemvStrided(
    a.rows,
    a.cols,
    options.alpha ?? 1,
    a.data,
    a.offset,
    a.rowStride,
    a.colStride,
    x,
    0,
    1,
    options.out ? (options.beta ?? 0) : 0,
    y,
    0,
    1,
  );
  return y;
}

/** A·x in a new Float64Array. */
export function matvec(A: Matrix, x: FloatArray): Float64Array {
  return gemv(A, x);
}
