import { assertInt } from '../validate.js';
import { loadedEngine } from './_engine.js';
import { hardwareThreads } from './_host.js';
import { limitThreads } from './_pool.js';

/** Most threads {@link setThreads} accepts. */
export const MAX_THREADS = 256;

let requested: number | undefined;
let hardware: number | undefined;

/**
 * Sets how many threads large GEMMs use: the calling thread plus `threads − 1` workers
 * (Node `worker_threads`, or Web Workers when the page is cross-origin isolated) over a
 * shared WebAssembly memory. Workers start on the first GEMM large enough to use them (or in
 * {@link initWasm}); lowering the count parks the extra workers. Where threads are not
 * possible (no SharedArrayBuffer, no workers, Node < 20.16, the TypeScript backend) GEMM
 * runs on one thread, silently.
 *
 * @param threads an integer in [1, 256]; omit to restore the default, the machine's logical
 *   cores (`os.availableParallelism()` in Node, `navigator.hardwareConcurrency` in a browser)
 * @throws {InvalidArgumentError} when `threads` is not an integer in [1, 256]
 * @example
 * setThreads(1); // single-threaded, e.g. to time one core
 * setThreads(); // back to one thread per core
 */
export function setThreads(threads?: number): void {
  requested = threads === undefined ? undefined : assertInt('threads', threads, 1, MAX_THREADS);
  limitThreads(loadedEngine(), getThreads());
}

/**
 * The thread count GEMM is configured for ({@link setThreads}; default the machine's
 * logical cores). `getBackend().threads` says how many this host actually uses.
 *
 * @returns an integer in [1, 256]
 */
export function getThreads(): number {
  if (requested !== undefined) return requested;
  hardware ??= Math.min(hardwareThreads(), MAX_THREADS);
  return hardware;
}
