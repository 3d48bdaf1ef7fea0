// The WebAssembly path of gemvStrided: copy A, x (and y when β ≠ 0) into wasm memory, run
// dgemv or sgemv, copy y back. GEMV reads each element of A once, so the copy of A costs
// about as much as the product; it still pays where A's rows or columns are contiguous
// (the copy is a memcpy and the SIMD kernel reads at memory speed), see `wantWasmGemv`.

import type { FloatArray } from '../dtype.js';
import { getEngine, heapF32, heapF64, reserve } from '../runtime/_engine.js';
import { backendMode } from '../runtime/backend.js';
import { copyIn } from './_gemmWasm.js';
import { residentAddress, scratchBase } from './_wasmArena.js';

/** Elements of A from which 'auto' prefers wasm for GEMV (measured crossover ≈ 24×24). */
export const WASM_GEMV_MIN = 1024;
/** Length from which 'auto' prefers wasm for contiguous dot and axpy (crossover ≈ 190). */
export const WASM_DOT_MIN = 512;

/** True when dotStrided/axpyStrided should try wasm (contiguous vectors only). */
export function wantWasmDot(n: number, incX: number, incY: number): boolean {
  if (incX !== 1 || incY !== 1) return false;
  const mode = backendMode();
  if (mode === 'ts') return false;
  return mode === 'wasm' || n >= WASM_DOT_MIN;
}

// Places x and y at the operand base; returns their element indices, or -1 if no room.
function placePair(n: number, es: number): number {
  const e = getEngine();
  if (!e) return -1;
  const p = scratchBase(e.workspaceStride);
  return reserve(e, p + 2 * n * es + 64) ? p : -1;
}

/**
 * Σ x[xOff + i]·y[yOff + i] through WebAssembly (four partial sums), or undefined when
 * WebAssembly is unavailable. Assumes validated input with contiguous x and y.
 */
export function dotWasm(
  n: number,
  x: FloatArray,
  xOff: number,
  y: FloatArray,
  yOff: number,
): number | undefined {
  const single = x instanceof Float32Array && y instanceof Float32Array;
  const es = single ? 4 : 8;
  const rx = residentAddress(x);
  const ry = residentAddress(y);
  if (rx >= 0 && ry >= 0) return getEngine()!.kernels.ddot(n, rx + xOff * 8, ry + yOff * 8);
  const p = placePair(n, es);
  if (p < 0) return undefined;
  const e = getEngine()!;
  const heap = single ? heapF32(e) : heapF64(e);
  let px = p;
  let py = Math.ceil((p + n * es) / 64) * 64;
  if (rx >= 0) px = rx + xOff * 8;
  else heap.set(x.subarray(xOff, xOff + n), px / es);
  if (ry >= 0) py = ry + yOff * 8;
  else heap.set(y.subarray(yOff, yOff + n), py / es);
  return single ? e.kernels.sdot(n, px, py) : e.kernels.ddot(n, px, py);
}

/**
 * y[yOff + i] += α·x[xOff + i] through WebAssembly; false (y untouched) when WebAssembly
 * is unavailable. Assumes validated input with contiguous x and y.
 */
export function axpyWasm(
  n: number,
  alpha: number,
  x: FloatArray,
  xOff: number,
  y: FloatArray,
  yOff: number,
): boolean {
  const single = x instanceof Float32Array && y instanceof Float32Array;
  const es = single ? 4 : 8;
  const rx = residentAddress(x);
  const ry = residentAddress(y);
  if (rx >= 0 && ry >= 0) {
    getEngine()!.kernels.daxpy(n, alpha, rx + xOff * 8, ry + yOff * 8);
    return true;
  }
  const p = placePair(n, es);
  if (p < 0) return false;
  const e = getEngine()!;
  const heap = single ? heapF32(e) : heapF64(e);
  let px = p;
  const py = ry >= 0 ? ry + yOff * 8 : Math.ceil((p + n * es) / 64) * 64;
  if (rx >= 0) px = rx + xOff * 8;
  else heap.set(x.subarray(xOff, xOff + n), px / es);
  if (ry < 0) heap.set(y.subarray(yOff, yOff + n), py / es);
  if (single) e.kernels.saxpy(n, alpha, px, py);
  else e.kernels.daxpy(n, alpha, px, py);
  if (ry < 0) y.set(heap.subarray(py / es, py / es + n), yOff);
  return true;
}

/** True when gemvStrided should try the wasm path under the current backend. */
export function wantWasmGemv(m: number, n: number, ars: number, acs: number): boolean {
  const mode = backendMode();
  if (mode === 'ts') return false;
  if (mode === 'wasm') return true;
  return m * n >= WASM_GEMV_MIN && (ars === 1 || acs === 1);
}

/**
 * y ← α·A·x + β·y through WebAssembly; false (y untouched) when WebAssembly is unavailable
 * or the operands do not fit. Assumes validated input with m, n ≥ 1.
 */
export function gemvWasm(
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
): boolean {
  const e = getEngine();
  if (!e) return false;
  const single =
    a instanceof Float32Array && x instanceof Float32Array && y instanceof Float32Array;
  const es = single ? 4 : 8;
  // A resident A (see _wasmArena.ts) is read in place with its own strides.
  const rA = !single && ars >= 0 && acs >= 0 ? residentAddress(a) : -1;
  const align = (bytes: number) => Math.ceil(bytes / 64) * 64;
  const pA = align(scratchBase(e.workspaceStride));
  const pX = align(pA + (rA < 0 ? m * n * es : 0));
  const pY = align(pX + n * es);
  if (!reserve(e, pY + m * es)) return false;
  const heap = single ? heapF32(e) : heapF64(e);
  const shift = single ? 2 : 3;
  copyVector(heap, pX >> shift, x, xOff, incX, n);
  if (beta !== 0) copyVector(heap, pY >> shift, y, yOff, incY, m);
  const gemv = single ? e.kernels.sgemv : e.kernels.dgemv;
  if (rA >= 0) gemv(m, n, alpha, rA + aOff * 8, ars, acs, pX, beta, pY);
  else if (copyIn(heap, pA >> shift, a, aOff, ars, acs, m, n))
    gemv(m, n, alpha, pA, 1, m, pX, beta, pY);
  else gemv(m, n, alpha, pA, n, 1, pX, beta, pY);
  const q = pY >> shift;
  if (incY === 1) y.set(heap.subarray(q, q + m), yOff);
  else for (let i = 0; i < m; i++) y[yOff + i * incY] = heap[q + i]!;
  return true;
}

function copyVector(
  heap: FloatArray,
  dst: number,
  v: FloatArray,
  off: number,
  inc: number,
  len: number,
): void {
  if (inc === 1 || len === 1) heap.set(v.subarray(off, off + len), dst);
  else for (let i = 0; i < len; i++) heap[dst + i] = v[off + i * inc]!;
}
