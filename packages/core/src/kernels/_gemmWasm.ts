// The WebAssembly path of gemmStrided: copy the operands into wasm memory, run dgemm or
// sgemm (on one thread or split over the pool), copy C back.
//
// Copies keep each operand's contiguous direction (a row-major view is copied row-major, a
// transposed one column-major) so that a contiguous operand is one `TypedArray.set`
// (memcpy) and the kernel's packing absorbs the layout. C is always row-major in wasm
// memory: a column-major C is handled by computing Cᵀ = Bᵀ·Aᵀ instead. With β = 0, C is
// not copied in (the kernel overwrites it without reading).

import type { FloatArray } from '../dtype.js';
import {
  type Engine,
  getEngine,
  heapF32,
  heapF64,
  reserve,
  WORKSPACE_BASE,
} from '../runtime/_engine.js';
import { prepareThreads, runParallel } from '../runtime/_pool.js';
import { backendMode } from '../runtime/backend.js';
import { getThreads } from '../runtime/threads.js';
import { residentAddress, scratchBase, threadCap } from './_wasmArena.js';

/** Multiply-adds from which 'auto' prefers wasm (measured crossover with the copies). */
export const WASM_GEMM_MIN = 256;
/** Multiply-adds from which 'auto' splits a GEMM over threads. */
export const THREAD_GEMM_MIN = 112 * 112 * 112;
// Chunks per thread: more balances better against busy cores, fewer repacks less.
const CHUNKS_PER_THREAD = 2;
// Elements of the operand every chunk repacks below which the chunks are doubled.
const THIN_OPERAND = 64 * 1024;
// Smallest chunk (rows or columns) under 'auto'; under 'wasm' any split is allowed.
const MIN_CHUNK = 64;
// Operand bytes one call may place in wasm memory; larger problems are split in halves.
const DEFAULT_OPERAND_BUDGET = 256 * 2 ** 20;
let operandBudget = DEFAULT_OPERAND_BUDGET;

/** Test hook: lowers the operand budget so that tests reach the splitting code. */
export function _setOperandBudget(bytes?: number): void {
  operandBudget = bytes ?? DEFAULT_OPERAND_BUDGET;
}

/** True when gemmStrided should try the wasm path for this size under the current backend. */
export function wantWasmGemm(m: number, n: number, k: number): boolean {
  const mode = backendMode();
  if (mode === 'ts') return false;
  return mode === 'wasm' || m * n * k >= WASM_GEMM_MIN;
}

/**
 * C ← α·A·B + β·C through WebAssembly; false (C untouched) when WebAssembly is unavailable
 * or the operands do not fit in wasm memory, so the caller falls back to TypeScript.
 * Assumes validated input with m, n, k ≥ 1 and α ≠ 0.
 */
export function gemmWasm(
  m: number,
  n: number,
  k: number,
  alpha: number,
  a: FloatArray,
  aOff: number,
  ars: number,
  acs: number,
  b: FloatArray,
  bOff: number,
  brs: number,
  bcs: number,
  beta: number,
  c: FloatArray,
  cOff: number,
  crs: number,
  ccs: number,
): boolean {
  const e = getEngine();
  if (!e) return false;
  // Column-major C: compute Cᵀ = Bᵀ·Aᵀ so that C is row-major for the kernel.
  if (crs === 1 && ccs !== 1 && n > 1) {
    return gemmSplit(
      e,
      n,
      m,
      k,
      alpha,
      b,
      bOff,
      bcs,
      brs,
      a,
      aOff,
      acs,
      ars,
      beta,
      c,
      cOff,
      ccs,
      crs,
    );
  }
  return gemmSplit(
    e,
    m,
    n,
    k,
    alpha,
    a,
    aOff,
    ars,
    acs,
    b,
    bOff,
    brs,
    bcs,
    beta,
    c,
    cOff,
    crs,
    ccs,
  );
}

// Halves the largest dimension until the operands fit the budget (a k split accumulates
// the second half with β = 1).
function gemmSplit(
  e: Engine,
  m: number,
  n: number,
  k: number,
  alpha: number,
  a: FloatArray,
  aOff: number,
  ars: number,
  acs: number,
  b: FloatArray,
  bOff: number,
  brs: number,
  bcs: number,
  beta: number,
  c: FloatArray,
  cOff: number,
  crs: number,
  ccs: number,
): boolean {
  const es =
    a instanceof Float32Array && b instanceof Float32Array && c instanceof Float32Array ? 4 : 8;
  // Never more than a quarter of the memory limit, so workspaces and growth always fit.
  // The halves are split so that the first is the larger: if it fit, the second fits, and
  // a `false` (→ TypeScript fallback) can only come before C was touched.
  const budget = Math.min(operandBudget, e.limitBytes / 4);
  if (es * (m * k + k * n + m * n) <= budget || Math.max(m, n, k) === 1) {
    return gemmDirect(
      e,
      m,
      n,
      k,
      alpha,
      a,
      aOff,
      ars,
      acs,
      b,
      bOff,
      brs,
      bcs,
      beta,
      c,
      cOff,
      crs,
      ccs,
    );
  }
  // Two halves of the largest dimension: the second one starts at the *2 offsets; a k
  // split accumulates its second half with β = 1.
  let [m1, n1, k1] = [m, n, k];
  let [m2, n2, k2] = [m, n, k];
  let [aOff2, bOff2, cOff2, beta2] = [aOff, bOff, cOff, beta];
  if (k >= m && k >= n) {
    k1 = Math.ceil(k / 2);
    k2 = k - k1;
    aOff2 += k1 * acs;
    bOff2 += k1 * brs;
    beta2 = 1;
  } else if (m >= n) {
    m1 = Math.ceil(m / 2);
    m2 = m - m1;
    aOff2 += m1 * ars;
    cOff2 += m1 * crs;
  } else {
    n1 = Math.ceil(n / 2);
    n2 = n - n1;
    bOff2 += n1 * bcs;
    cOff2 += n1 * ccs;
  }
  const first = gemmSplit(
    e,
    m1,
    n1,
    k1,
    alpha,
    a,
    aOff,
    ars,
    acs,
    b,
    bOff,
    brs,
    bcs,
    beta,
    c,
    cOff,
    crs,
    ccs,
  );
  return (
    first &&
    gemmSplit(
      e,
      m2,
      n2,
      k2,
      alpha,
      a,
      aOff2,
      ars,
      acs,
      b,
      bOff2,
      brs,
      bcs,
      beta2,
      c,
      cOff2,
      crs,
      ccs,
    )
  );
}

function gemmDirect(
  e: Engine,
  m: number,
  n: number,
  k: number,
  alpha: number,
  a: FloatArray,
  aOff: number,
  ars: number,
  acs: number,
  b: FloatArray,
  bOff: number,
  brs: number,
  bcs: number,
  beta: number,
  c: FloatArray,
  cOff: number,
  crs: number,
  ccs: number,
): boolean {
  const single =
    a instanceof Float32Array && b instanceof Float32Array && c instanceof Float32Array;
  const es = single ? 4 : 8;

  let threads = threadCap(getThreads());
  const forced = backendMode() === 'wasm';
  if (threads > 1 && (forced || m * n * k >= THREAD_GEMM_MIN)) threads = prepareThreads(e, threads);
  else threads = 1;

  // Operands resident in wasm memory (see _wasmArena.ts) are used in place with their own
  // strides; the others are copied. Layout of the copies: above the workspaces and the
  // arena, each 64-byte aligned (byte addresses below).
  const rA = single ? -1 : residentOperand(a, aOff, ars, acs);
  const rB = single ? -1 : residentOperand(b, bOff, brs, bcs);
  const rC = single ? -1 : residentOperand(c, cOff, crs, ccs);
  const align = (bytes: number) => Math.ceil(bytes / 64) * 64;
  const base = scratchBase(e.workspaceStride);
  const pA = align(base);
  const pB = align(pA + (rA < 0 ? m * k * es : 0));
  const pC = align(pB + (rB < 0 ? k * n * es : 0));
  if (!reserve(e, pC + (rC < 0 ? m * n * es : 0))) return false;
  const heap = single ? heapF32(e) : heapF64(e);
  const shift = single ? 2 : 3;

  let ga = rA;
  let gars = ars;
  let gacs = acs;
  if (rA < 0) {
    ga = pA;
    [gars, gacs] = copyIn(heap, pA >> shift, a, aOff, ars, acs, m, k) ? [1, m] : [k, 1];
  }
  let gb = rB;
  let gbrs = brs;
  let gbcs = bcs;
  if (rB < 0) {
    gb = pB;
    [gbrs, gbcs] = copyIn(heap, pB >> shift, b, bOff, brs, bcs, k, n) ? [1, k] : [n, 1];
  }
  let gc = rC;
  let gcrs = crs;
  let gccs = ccs;
  if (rC < 0) {
    gc = pC;
    gcrs = n;
    gccs = 1;
    if (beta !== 0) copyInRowMajor(heap, pC >> shift, c, cOff, crs, ccs, m, n);
  }

  let done = false;
  if (threads > 1) {
    const splitCols = n >= m;
    const extent = splitCols ? n : m;
    const quantum = splitCols ? 8 : 4;
    // A multiple of `threads` chunks, fewer when they would get smaller than MIN_CHUNK.
    // Every chunk packs the whole other operand again: when that one is small (a thin
    // product such as A·Z with Z n×30), twice as many chunks balance better at no cost.
    const other = splitCols ? m * k : k * n;
    let count = threads * (other <= THIN_OPERAND ? 2 * CHUNKS_PER_THREAD : CHUNKS_PER_THREAD);
    if (!forced) while (count > threads && extent / count < MIN_CHUNK) count -= threads;
    const chunk = Math.ceil(extent / count / quantum) * quantum;
    if (chunk < extent) {
      // A chunk that throws leaves C partly written; a resident C cannot be restored, so
      // keep a copy of it when β ≠ 0 (rare: the kernels do not throw on valid input).
      done = runParallel(e, {
        kind: single ? 1 : 0,
        m,
        n,
        k,
        alpha,
        a: ga,
        ars: gars,
        acs: gacs,
        b: gb,
        brs: gbrs,
        bcs: gbcs,
        beta,
        c: gc,
        crs: gcrs,
        ccs: gccs,
        split: splitCols ? 1 : 0,
        chunk,
      });
      // A chunk threw: C is partly written; redo the whole product on this thread.
      if (!done && beta !== 0 && rC < 0) copyInRowMajor(heap, pC >> shift, c, cOff, crs, ccs, m, n);
      if (!done && beta !== 0 && rC >= 0) throw new Error('gemm: a worker thread failed');
    }
  }
  if (!done) {
    const gemm = single ? e.kernels.sgemm : e.kernels.dgemm;
    gemm(m, n, k, alpha, ga, gars, gacs, gb, gbrs, gbcs, beta, gc, gcrs, gccs, WORKSPACE_BASE);
  }
  if (rC < 0) copyOutRowMajor(heap, pC >> shift, c, cOff, crs, ccs, m, n);
  return true;
}

// Byte address of element `off` of a resident f64 operand with non-negative strides, or −1.
function residentOperand(x: FloatArray, off: number, rs: number, cs: number): number {
  if (rs < 0 || cs < 0) return -1;
  const p = residentAddress(x);
  return p < 0 ? -1 : p + off * 8;
}

// Rows of at least this many elements are copied with `set` (a memcpy); shorter ones
// element by element, where creating a subarray view per row costs more than it saves.
const SET_MIN = 16;

/**
 * Copies the rows×cols view `src[off + i·rs + j·cs]` densely into `heap` at element `dst`,
 * column-major when the view's columns are contiguous, row-major otherwise. Returns true
 * for a column-major copy (leading dimension `rows`), false for row-major (`cols`).
 */
export function copyIn(
  heap: FloatArray,
  dst: number,
  src: FloatArray,
  off: number,
  rs: number,
  cs: number,
  rows: number,
  cols: number,
): boolean {
  const colMajor = rows > 1 && cols > 1 && cs !== 1 && (rs === 1 || Math.abs(rs) < Math.abs(cs));
  if (colMajor) copyInRowMajor(heap, dst, src, off, cs, rs, cols, rows);
  else copyInRowMajor(heap, dst, src, off, rs, cs, rows, cols);
  return colMajor;
}

/** Copies the rows×cols view `src[off + i·rs + j·cs]` row-major into `heap` at `dst`. */
function copyInRowMajor(
  heap: FloatArray,
  dst: number,
  src: FloatArray,
  off: number,
  rs: number,
  cs: number,
  rows: number,
  cols: number,
): void {
  if ((cols === 1 || cs === 1) && (rows === 1 || rs === cols)) {
    heap.set(src.subarray(off, off + rows * cols), dst);
    return;
  }
  if (cs === 1 && cols >= SET_MIN) {
    for (let i = 0; i < rows; i++) {
      const s = off + i * rs;
      heap.set(src.subarray(s, s + cols), dst + i * cols);
    }
    return;
  }
  let q = dst;
  for (let i = 0; i < rows; i++) {
    let s = off + i * rs;
    for (let j = 0; j < cols; j++, s += cs) heap[q++] = src[s]!;
  }
}

/** Writes the row-major m×n block at `heap[src…]` into the view `c[off + i·rs + j·cs]`. */
function copyOutRowMajor(
  heap: FloatArray,
  src: number,
  c: FloatArray,
  off: number,
  rs: number,
  cs: number,
  m: number,
  n: number,
): void {
  if ((n === 1 || cs === 1) && (m === 1 || rs === n)) {
    c.set(heap.subarray(src, src + m * n), off);
    return;
  }
  if (cs === 1 && n >= SET_MIN) {
    for (let i = 0; i < m; i++) c.set(heap.subarray(src + i * n, src + (i + 1) * n), off + i * rs);
    return;
  }
  let q = src;
  for (let i = 0; i < m; i++) {
    let d = off + i * rs;
    for (let j = 0; j < n; j++, d += cs) c[d] = heap[q++]!;
  }
}
