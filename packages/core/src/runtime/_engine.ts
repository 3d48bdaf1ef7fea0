// Loads the embedded WebAssembly SIMD module and owns its linear memory.
//
// Memory map (bytes): [0, 256) control block of the thread pool; [4096, …) one GEMM
// workspace per thread slot; above that, the operands of the current call. The JS side
// grows the memory as needed and never shrinks it; nothing in the module allocates.

import { WASM_SIMD, WASM_SIMD_THREADS } from '../kernels/wasm/_binary.generated.js';
import { decodeBase64 } from './_base64.js';
import { threadsPossible } from './_host.js';

/** The exports of assembly/index.ts. Sizes and strides in elements, pointers in bytes. */
export interface WasmKernels {
  dgemm(
    m: number,
    n: number,
    k: number,
    alpha: number,
    a: number,
    ars: number,
    acs: number,
    b: number,
    brs: number,
    bcs: number,
    beta: number,
    c: number,
    crs: number,
    ccs: number,
    ws: number,
  ): void;
  sgemm(
    m: number,
    n: number,
    k: number,
    alpha: number,
    a: number,
    ars: number,
    acs: number,
    b: number,
    brs: number,
    bcs: number,
    beta: number,
    c: number,
    crs: number,
    ccs: number,
    ws: number,
  ): void;
  dgemv(
    m: number,
    n: number,
    alpha: number,
    a: number,
    ars: number,
    acs: number,
    x: number,
    beta: number,
    y: number,
  ): void;
  sgemv(
    m: number,
    n: number,
    alpha: number,
    a: number,
    ars: number,
    acs: number,
    x: number,
    beta: number,
    y: number,
  ): void;
  ddot(n: number, x: number, y: number): number;
  sdot(n: number, x: number, y: number): number;
  daxpy(n: number, alpha: number, x: number, y: number): void;
  saxpy(n: number, alpha: number, x: number, y: number): void;
  dgemmWorkspaceBytes(): number;
  sgemmWorkspaceBytes(): number;
}

/** A loaded module with its memory. */
export interface Engine {
  readonly kernels: WasmKernels;
  readonly module: WebAssembly.Module;
  readonly memory: WebAssembly.Memory;
  /** Whether `memory` is a shared memory that worker threads can use. */
  readonly shared: boolean;
  /** Largest size `memory` may grow to, in bytes. */
  readonly limitBytes: number;
  /** Bytes reserved per thread slot for packing (64-byte multiple). */
  readonly workspaceStride: number;
}

/** Byte address of the thread pool's control block. */
export const CONTROL_ADDRESS = 0;
/** Byte address of thread slot 0's workspace. */
export const WORKSPACE_BASE = 4096;

const PAGE = 65536;

let engine: Engine | null = null;
let status: 'untried' | 'ready' | 'unavailable' | 'pending' = 'untried';
let pending: Promise<Engine | null> | null = null;
let why = '';

interface Prepared {
  bytes: Uint8Array<ArrayBuffer>;
  memory: WebAssembly.Memory;
  shared: boolean;
  limitBytes: number;
}

// Shared memory first (threads), with a smaller reservation where 2 GiB is refused; then a
// plain memory. A module whose features the host lacks (SIMD) fails `validate`.
function prepare(): Prepared | null {
  if (typeof WebAssembly !== 'object' || typeof WebAssembly.Memory !== 'function') {
    why = 'WebAssembly is not available';
    return null;
  }
  if (threadsPossible()) {
    const bytes = decodeBase64(WASM_SIMD_THREADS);
    if (WebAssembly.validate(bytes)) {
      for (const pages of [32768, 16384, 4096]) {
        try {
          const memory = new WebAssembly.Memory({ initial: 1, maximum: pages, shared: true });
          if (memory.buffer instanceof SharedArrayBuffer)
            return { bytes, memory, shared: true, limitBytes: pages * PAGE };
        } catch {
          // reservation refused: try a smaller one, then a plain memory
        }
      }
    }
  }
  const bytes = decodeBase64(WASM_SIMD);
  if (!WebAssembly.validate(bytes)) {
    why = 'this WebAssembly engine does not support SIMD (v128)';
    return null;
  }
  const pages = 32768;
  return {
    bytes,
    memory: new WebAssembly.Memory({ initial: 1 }),
    shared: false,
    limitBytes: pages * PAGE,
  };
}

function finish(p: Prepared, module: WebAssembly.Module, instance: WebAssembly.Instance): Engine {
  const kernels = instance.exports as unknown as WasmKernels;
  const ws = Math.max(kernels.dgemmWorkspaceBytes(), kernels.sgemmWorkspaceBytes());
  return {
    kernels,
    module,
    memory: p.memory,
    shared: p.shared,
    limitBytes: p.limitBytes,
    workspaceStride: Math.ceil(ws / 64) * 64,
  };
}

/**
 * The engine, loading it synchronously on first use. Null when WebAssembly SIMD is
 * unavailable, or while an asynchronous load ({@link loadEngineAsync}) is still running —
 * e.g. on a browser's main thread, which refuses to compile large modules synchronously.
 */
export function getEngine(): Engine | null {
  if (status === 'ready') return engine;
  if (status !== 'untried') return null;
  let p: Prepared | null;
  try {
    p = prepare();
  } catch (e) {
    why = `WebAssembly setup failed: ${(e as Error).message}`;
    p = null;
  }
  if (!p) {
    status = 'unavailable';
    return null;
  }
  try {
    const module = new WebAssembly.Module(p.bytes);
    const instance = new WebAssembly.Instance(module, { env: { memory: p.memory } });
    engine = finish(p, module, instance);
    status = 'ready';
    return engine;
  } catch {
    // Synchronous compilation refused (browser main thread): compile in the background;
    // calls use the TypeScript path until it is done.
    void loadEngineAsync();
    return null;
  }
}

/** Loads the engine with asynchronous compilation (allowed everywhere). */
export function loadEngineAsync(): Promise<Engine | null> {
  if (status === 'ready') return Promise.resolve(engine);
  if (status === 'unavailable') return Promise.resolve(null);
  if (pending) return pending;
  status = 'pending';
  pending = (async () => {
    try {
      const p = prepare();
      if (!p) {
        status = 'unavailable';
        return null;
      }
      const module = await WebAssembly.compile(p.bytes);
      const instance = await WebAssembly.instantiate(module, { env: { memory: p.memory } });
      engine = finish(p, module, instance);
      status = 'ready';
      return engine;
    } catch (e) {
      why = `WebAssembly setup failed: ${(e as Error).message}`;
      status = 'unavailable';
      return null;
    } finally {
      pending = null;
    }
  })();
  return pending;
}

/** Why the engine is unavailable (empty when it is loaded or not tried yet). */
export function engineFailure(): string {
  return why;
}

/** Grows the memory so that `[0, bytes)` is addressable; false if that exceeds the limit. */
export function reserve(e: Engine, bytes: number): boolean {
  const have = e.memory.buffer.byteLength;
  if (bytes <= have) return true;
  if (bytes > e.limitBytes) return false;
  try {
    e.memory.grow(Math.ceil((bytes - have) / PAGE));
    return true;
  } catch {
    return false;
  }
}

let f64View: Float64Array | undefined;
let f32View: Float32Array | undefined;

/** A Float64Array over the whole memory (recreated after growth). */
export function heapF64(e: Engine): Float64Array {
  const buf = e.memory.buffer;
  if (!f64View || f64View.buffer !== buf || f64View.byteLength !== buf.byteLength)
    f64View = new Float64Array(buf);
  return f64View;
}

/** A Float32Array over the whole memory (recreated after growth). */
export function heapF32(e: Engine): Float32Array {
  const buf = e.memory.buffer;
  if (!f32View || f32View.buffer !== buf || f32View.byteLength !== buf.byteLength)
    f32View = new Float32Array(buf);
  return f32View;
}

/** The engine if it is already loaded; never starts a load. */
export function loadedEngine(): Engine | null {
  return status === 'ready' ? engine : null;
}
