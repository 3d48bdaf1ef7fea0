// Feature detection for the runtime. Nothing here imports a Node module: Node builtins are
// reached through `process.getBuiltinModule` (Node ≥ 20.16), which a bundler never sees, so
// the package stays loadable in a browser; where it is missing, threads are simply off.

/** The subset of Node's `worker_threads.Worker` the thread pool uses. */
export interface NodeWorker {
  unref(): void;
  terminate(): unknown;
  on(event: 'error' | 'exit', listener: (arg: unknown) => void): unknown;
}

/** Constructor of Node's `worker_threads.Worker`, used with `eval: true`. */
export type NodeWorkerConstructor = new (
  source: string,
  options: { eval: true; workerData: unknown; name?: string },
) => NodeWorker;

interface ProcessLike {
  versions?: { node?: string };
  getBuiltinModule?: (id: string) => unknown;
}

function nodeProcess(): ProcessLike | undefined {
  const p = (globalThis as { process?: ProcessLike }).process;
  return typeof p === 'object' && p !== null && typeof p.versions?.node === 'string'
    ? p
    : undefined;
}

/** A Node builtin module, or undefined outside Node (or in a Node without getBuiltinModule). */
export function nodeBuiltin<T>(id: string): T | undefined {
  const p = nodeProcess();
  if (typeof p?.getBuiltinModule !== 'function') return undefined;
  try {
    return (p.getBuiltinModule(id) as T | undefined) ?? undefined;
  } catch {
    return undefined;
  }
}

/** Node's Worker constructor when this host can start worker threads, else undefined. */
export function nodeWorkerConstructor(): NodeWorkerConstructor | undefined {
  return nodeBuiltin<{ Worker?: NodeWorkerConstructor }>('node:worker_threads')?.Worker;
}

/** True in a browser context that may share memory with Web Workers (cross-origin isolated). */
export function webWorkersWithSharedMemory(): boolean {
  const g = globalThis as {
    crossOriginIsolated?: boolean;
    Worker?: unknown;
    Blob?: unknown;
    URL?: { createObjectURL?: unknown };
  };
  return (
    g.crossOriginIsolated === true &&
    typeof g.Worker === 'function' &&
    typeof g.Blob === 'function' &&
    typeof g.URL?.createObjectURL === 'function'
  );
}

/** True when this host can run worker threads over a SharedArrayBuffer at all. */
export function threadsPossible(): boolean {
  if (typeof SharedArrayBuffer !== 'function' || typeof Atomics !== 'object') return false;
  return nodeWorkerConstructor() !== undefined || webWorkersWithSharedMemory();
}

/**
 * True when `Atomics.wait` may block this thread: always in Node, in a browser only inside a
 * worker (the window's main thread must spin instead).
 */
export function canBlock(): boolean {
  if (nodeProcess()) return true;
  const g = globalThis as { WorkerGlobalScope?: unknown; window?: unknown };
  return typeof g.WorkerGlobalScope === 'function' && typeof g.window === 'undefined';
}

/** Logical cores of this machine: `os.availableParallelism()` in Node, else
 * `navigator.hardwareConcurrency`, else 1. */
export function hardwareThreads(): number {
  const os = nodeBuiltin<{ availableParallelism?: () => number; cpus?: () => unknown[] }>(
    'node:os',
  );
  let n = 0;
  if (os) n = os.availableParallelism?.() ?? os.cpus?.().length ?? 0;
  else {
    const nav = (globalThis as { navigator?: { hardwareConcurrency?: number } }).navigator;
    n = nav?.hardwareConcurrency ?? 0;
  }
  return Number.isSafeInteger(n) && n > 0 ? n : 1;
}
