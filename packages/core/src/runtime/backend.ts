import { UnsupportedError } from '../errors.js';
import { assertOneOf } from '../validate.js';
import { engineFailure, getEngine, loadEngineAsync } from './_engine.js';
import { prepareThreads, readyWorkers } from './_pool.js';
import { getThreads } from './threads.js';

/** A backend choice for {@link setBackend}. */
export type BackendName = 'auto' | 'ts' | 'wasm';

/** What {@link getBackend} reports. */
export interface BackendInfo {
  /** The backend chosen with {@link setBackend}. */
  backend: BackendName;
  /** The path a large GEMM takes now. */
  path: 'ts' | 'wasm' | 'wasm+threads';
  /** Threads a large GEMM uses (1 unless `path` is `'wasm+threads'`). */
  threads: number;
  /** Whether the WebAssembly SIMD kernels are loaded. */
  simd: boolean;
  /** Why WebAssembly is not used, when it is not (empty otherwise). */
  reason: string;
}

const BACKENDS: readonly BackendName[] = ['auto', 'ts', 'wasm'];

let backend: BackendName = 'auto';

/** The current backend choice (internal: read on every kernel call). */
export function backendMode(): BackendName {
  return backend;
}

/**
 * Chooses the kernels behind `gemm`, `matmul`, `gemmStrided` and `gemvStrided` (and so
 * behind every algorithm of lr):
 *
 * - `'auto'` (default): WebAssembly SIMD where it is available and the problem is large
 *   enough to repay copying the operands into wasm memory (GEMM from about 24³
 *   multiply-adds, threads from about 96³), TypeScript otherwise.
 * - `'wasm'`: WebAssembly for every size, and threads for every problem that splits, even
 *   where TypeScript would be faster; meant for tests and measurements.
 * - `'ts'`: the TypeScript kernels only (the reference implementation).
 *
 * Both paths give the same results within rounding (not bit for bit: the sums are
 * associated differently).
 *
 * @param name `'auto'`, `'ts'` or `'wasm'`
 * @throws {InvalidArgumentError} for any other name
 * @throws {UnsupportedError} for `'wasm'` when WebAssembly SIMD cannot be loaded here, or
 *   cannot be loaded synchronously yet (a browser's main thread: `await initWasm()` first)
 * @example
 * setBackend('ts');   // reference path
 * setBackend('auto'); // back to the default
 */
export function setBackend(name: BackendName): void {
  const b = assertOneOf('backend', name, BACKENDS);
  if (b === 'wasm' && !getEngine()) {
    const why = engineFailure();
    throw new UnsupportedError(
      why
        ? `setBackend: 'wasm' is not available here: ${why}`
        : "setBackend: 'wasm' is not loaded yet; call `await initWasm()` first",
    );
  }
  backend = b;
}

/**
 * Reports the backend, the path a large GEMM takes, its threads and whether the
 * WebAssembly SIMD kernels are loaded (this loads them if they were never tried).
 *
 * @returns a {@link BackendInfo}
 * @example
 * getBackend(); // { backend: 'auto', path: 'wasm+threads', threads: 2, simd: true, reason: '' }
 */
export function getBackend(): BackendInfo {
  const engine = getEngine();
  const simd = engine !== null;
  if (backend === 'ts' || !engine) {
    const reason =
      backend === 'ts' ? "setBackend('ts')" : engineFailure() || 'WebAssembly is still loading';
    return { backend, path: 'ts', threads: 1, simd, reason };
  }
  const threads = engine.shared ? getThreads() : 1;
  return { backend, path: threads > 1 ? 'wasm+threads' : 'wasm', threads, simd, reason: '' };
}

/** Options of {@link initWasm}. */
export interface InitWasmOptions {
  /**
   * Start the worker threads now and wait until they run (up to `timeoutMs`), so that the
   * first large GEMM is already parallel; default true.
   */
  threads?: boolean;
  /** Longest wait for the workers, in ms; default 10000. */
  timeoutMs?: number;
}

/**
 * Loads the WebAssembly SIMD kernels with asynchronous compilation, which every host allows
 * (a browser's main thread refuses to compile them synchronously), and starts the GEMM
 * worker threads. Node does not need it: the kernels load synchronously on first use there.
 * Never rejects: where WebAssembly SIMD is missing, the result says `path: 'ts'`.
 *
 * @param options see {@link InitWasmOptions}
 * @returns the resulting {@link BackendInfo}
 * @example
 * const info = await initWasm();
 * info.path; // 'wasm+threads' in Node on a multi-core machine
 */
export async function initWasm(options: InitWasmOptions = {}): Promise<BackendInfo> {
  const engine = await loadEngineAsync();
  const threads = getThreads();
  if (engine && options.threads !== false && threads > 1) {
    const active = prepareThreads(engine, threads);
    const deadline = Date.now() + (options.timeoutMs ?? 10_000);
    while (readyWorkers(engine) < active - 1 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 5));
    }
  }
  return getBackend();
}
