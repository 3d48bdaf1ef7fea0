// Work arrays that live inside the engine's (shared) WebAssembly memory, so that the wasm
// kernels read and write them in place instead of copying them in and out on every call.
//
// A factorization that calls GEMM/GEMV/dot/axpy many times on the same large work matrix
// (blocked QR, the power iterations of a randomized SVD) allocates it here: the kernels see
// that an operand is resident and pass its address, so only the small operands are copied.
//
// Memory map: [WORKSPACE_BASE, arenaBase) holds the GEMM workspaces of the `arenaSlots`
// thread slots fixed when the arena was opened; [arenaBase, arenaTop) the resident arrays,
// a stack (mark / release); the per-call operand copies go above arenaTop. Only a shared
// memory is used (its views stay valid when it grows); elsewhere `arenaAlloc` returns null
// and callers use ordinary arrays. Every user releases what it took before returning and
// never hands a resident array to its caller.

import { getEngine, reserve, WORKSPACE_BASE } from '../runtime/_engine.js';
import { workspaceSlots } from '../runtime/_pool.js';
import { backendMode } from '../runtime/backend.js';
import { getThreads } from '../runtime/threads.js';

let arenaBase = 0;
let arenaTop = 0;
let arenaSlots = 0;
// The memory buffers resident arrays were created on (a shared memory's buffer object
// changes when it grows; the old views stay valid).
const buffers = new WeakSet<ArrayBufferLike>();

const align64 = (bytes: number) => Math.ceil(bytes / 64) * 64;

/** The current top of the arena, to pass to {@link arenaRelease} later. */
export function arenaMark(): number {
  return arenaTop;
}

/** Frees every array allocated since `mark` was taken (stack discipline). */
export function arenaRelease(mark: number): void {
  arenaTop = mark;
}

/**
 * A zero-filled Float64Array of `length` elements inside the wasm memory, or null when
 * there is no shared wasm memory, the backend is 'ts', or it does not fit (callers then
 * allocate an ordinary array; results are the same). `zero = false` skips the fill for a
 * caller that overwrites every element.
 */
export function arenaAlloc(length: number, zero = true): Float64Array | null {
  if (backendMode() === 'ts') return null;
  const e = getEngine();
  if (!e?.shared) return null;
  if (arenaTop === 0) {
    // room for the workspaces of every thread the GEMMs may use meanwhile
    arenaSlots = Math.max(workspaceSlots(), getThreads());
    arenaBase = align64(WORKSPACE_BASE + arenaSlots * e.workspaceStride);
    arenaTop = arenaBase;
  }
  const p = arenaTop;
  const end = align64(p + length * 8);
  // Leave at least half of the memory for the operand copies of the calls.
  if (end > e.limitBytes / 2 || !reserve(e, end)) {
    if (p === arenaBase) arenaTop = 0;
    return null;
  }
  arenaTop = end;
  const buf = e.memory.buffer;
  buffers.add(buf);
  const out = new Float64Array(buf, p, length);
  if (zero) out.fill(0);
  return out;
}

/** Work arrays below this many elements are ordinary arrays (residence gains nothing). */
export const RESIDENT_MIN = 4096;

/**
 * `arenaAlloc(length, zero)` from {@link RESIDENT_MIN} elements, else (or when the arena is
 * unavailable) an ordinary zero-filled array.
 */
export function workArray(length: number, zero = true): Float64Array {
  return (length >= RESIDENT_MIN ? arenaAlloc(length, zero) : null) ?? new Float64Array(length);
}

/** Byte address of element 0 of `x` in the wasm memory, or −1 when `x` is not resident. */
export function residentAddress(x: ArrayLike<number> & { buffer?: ArrayBufferLike }): number {
  if (arenaTop === 0 || !(x instanceof Float64Array) || !buffers.has(x.buffer)) return -1;
  return x.byteOffset;
}

/** First byte where a call may place its operand copies (above workspaces and arena). */
export function scratchBase(workspaceStride: number): number {
  return Math.max(align64(WORKSPACE_BASE + workspaceSlots() * workspaceStride), arenaTop);
}

/** Most threads a GEMM may use while the arena is open (its workspace slots are fixed). */
export function threadCap(threads: number): number {
  return arenaTop === 0 ? threads : Math.min(threads, arenaSlots);
}
