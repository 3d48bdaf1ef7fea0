// The GEMM thread pool: worker threads (Node worker_threads, or Web Workers when the page is
// cross-origin isolated) that instantiate the same module over the same shared memory and
// take chunks of C from the control block (see _control.ts).
//
// Scheduling is dynamic: the main thread publishes a job, then claims chunks itself like
// any worker, so a worker that is still starting (Node needs ~50 ms), parked, or on a core
// another process is using simply takes fewer chunks; the main thread only waits for
// chunks already claimed. Workers are never terminated: lowering the thread count parks
// them (they sleep in Atomics.wait and take no chunks), so a thread index, and the
// workspace slot it owns, is never reused by two threads. Node workers are unref'd and
// never keep the process alive.

import * as W from './_control.js';
import { type Engine, WORKSPACE_BASE } from './_engine.js';
import { canBlock, nodeWorkerConstructor, webWorkersWithSharedMemory } from './_host.js';
import { WORKER_SOURCE } from './_workerSource.js';

// workers[i] is thread i + 1; false marks a worker that failed to start or died. After a
// failure no further worker is started (the pool stays at the threads before it).
const workers: boolean[] = [];
let spawnFailed = false;
// Workspace slots reserved at WORKSPACE_BASE: the most threads ever prepared.
let slots = 1;
let blobUrl: string | undefined;

let ctlBuffer: ArrayBufferLike | undefined;
let ctlW: Int32Array | undefined;
let ctlF: Float64Array | undefined;

function control(e: Engine): { w: Int32Array; f: Float64Array } {
  const buf = e.memory.buffer;
  if (!ctlW || !ctlF || ctlBuffer !== buf) {
    ctlBuffer = buf;
    ctlW = new Int32Array(buf, 0, W.WORDS);
    ctlF = new Float64Array(buf, 0, W.WORDS / 2);
  }
  return { w: ctlW, f: ctlF };
}

/** Workspace slots reserved below the operands (≥ every thread index in use). */
export function workspaceSlots(): number {
  return slots;
}

function spawn(e: Engine, index: number): boolean {
  const NodeWorker = nodeWorkerConstructor();
  if (NodeWorker) {
    const w = new NodeWorker(WORKER_SOURCE, {
      eval: true,
      name: `lr-gemm-${index}`,
      workerData: { module: e.module, memory: e.memory, index },
    });
    w.unref();
    // Without a listener an error in a worker would be rethrown on the main thread.
    w.on('error', () => {
      workers[index - 1] = false;
      spawnFailed = true;
    });
    return true;
  }
  if (webWorkersWithSharedMemory()) {
    blobUrl ??= URL.createObjectURL(new Blob([WORKER_SOURCE], { type: 'text/javascript' }));
    const w = new Worker(blobUrl, { name: `lr-gemm-${index}` });
    w.onerror = () => {
      workers[index - 1] = false;
      spawnFailed = true;
    };
    w.postMessage({ module: e.module, memory: e.memory, index });
    return true;
  }
  return false;
}

/**
 * Makes threads 1 … `threads − 1` exist (starting missing ones) and sets the active count.
 * Returns how many threads a job may be split across: `threads`, or 1 when this host
 * cannot run workers over the engine's memory.
 */
export function prepareThreads(e: Engine, threads: number): number {
  if (!e.shared) return 1;
  const { w } = control(e);
  for (let i = workers.length + 1; i < threads && !spawnFailed; i++) {
    let ok = false;
    try {
      ok = spawn(e, i);
    } catch {
      ok = false;
    }
    workers.push(ok);
    if (!ok) spawnFailed = true;
  }
  let active = 1;
  while (active < threads && workers[active - 1] === true) active++;
  slots = Math.max(slots, active);
  Atomics.store(w, W.LIMIT, active);
  return active;
}

/** Parks workers with index ≥ `threads` (they stop taking chunks). */
export function limitThreads(e: Engine | null, threads: number): void {
  if (!e?.shared || workers.length === 0) return;
  const { w } = control(e);
  Atomics.store(w, W.LIMIT, threads);
}

/** Workers that have started and are waiting for work. */
export function readyWorkers(e: Engine): number {
  return e.shared ? Atomics.load(control(e).w, W.READY) : 0;
}

/** Chunks that worker threads (not the main thread) have run since the pool started. */
export function workerChunks(e: Engine): number {
  return e.shared ? Atomics.load(control(e).w, W.BY_WORKERS) : 0;
}

function runChunk(e: Engine, w: Int32Array, f: Float64Array, chunk: number): void {
  let m = w[W.M]!;
  let n = w[W.N]!;
  let a = w[W.A]!;
  let b = w[W.B]!;
  let c = w[W.C]!;
  const es = w[W.KIND] === 0 ? 8 : 4;
  const size = w[W.CHUNK]!;
  const start = chunk * size;
  if (w[W.SPLIT] === 1) {
    n = Math.min(size, n - start);
    b += start * w[W.BCS]! * es;
    c += start * w[W.CCS]! * es;
  } else {
    m = Math.min(size, m - start);
    a += start * w[W.ARS]! * es;
    c += start * w[W.CRS]! * es;
  }
  const gemm = w[W.KIND] === 0 ? e.kernels.dgemm : e.kernels.sgemm;
  gemm(
    m,
    n,
    w[W.K]!,
    f[W.ALPHA]!,
    a,
    w[W.ARS]!,
    w[W.ACS]!,
    b,
    w[W.BRS]!,
    w[W.BCS]!,
    f[W.BETA]!,
    c,
    w[W.CRS]!,
    w[W.CCS]!,
    w[W.WS_BASE]!,
  );
}

/** A GEMM job for {@link runParallel}: operands already in wasm memory. */
export interface ParallelGemm {
  /** 0: dgemm, 1: sgemm. */
  kind: 0 | 1;
  m: number;
  n: number;
  k: number;
  alpha: number;
  a: number;
  ars: number;
  acs: number;
  b: number;
  brs: number;
  bcs: number;
  beta: number;
  c: number;
  crs: number;
  ccs: number;
  /** 0: chunks are row blocks of C, 1: column blocks. */
  split: 0 | 1;
  /** Rows or columns per chunk. */
  chunk: number;
}

/**
 * Runs the job on the main thread and every active worker; returns when all chunks are
 * done. False if a chunk threw (C is then partly written and the caller must redo it).
 */
export function runParallel(e: Engine, job: ParallelGemm): boolean {
  const { w, f } = control(e);
  const total = Math.ceil((job.split === 1 ? job.n : job.m) / job.chunk);
  w[W.KIND] = job.kind;
  w[W.M] = job.m;
  w[W.N] = job.n;
  w[W.K] = job.k;
  w[W.A] = job.a;
  w[W.ARS] = job.ars;
  w[W.ACS] = job.acs;
  w[W.B] = job.b;
  w[W.BRS] = job.brs;
  w[W.BCS] = job.bcs;
  w[W.C] = job.c;
  w[W.CRS] = job.crs;
  w[W.CCS] = job.ccs;
  w[W.SPLIT] = job.split;
  w[W.CHUNK] = job.chunk;
  w[W.WS_BASE] = WORKSPACE_BASE;
  w[W.WS_STRIDE] = e.workspaceStride;
  f[W.ALPHA] = job.alpha;
  f[W.BETA] = job.beta;
  Atomics.store(w, W.ERROR, 0);
  Atomics.store(w, W.DONE, 0);
  Atomics.store(w, W.TOTAL, total);
  // Publishing REM makes the parameters above visible to any thread whose Atomics.sub
  // sees it (sequentially consistent atomics order the plain writes before it).
  Atomics.store(w, W.REM, total);
  Atomics.add(w, W.SEQ, 1);
  Atomics.notify(w, W.SEQ);
  for (;;) {
    const r = Atomics.sub(w, W.REM, 1);
    if (r <= 0) break;
    try {
      runChunk(e, w, f, total - r);
    } catch {
      Atomics.store(w, W.ERROR, 1);
    }
    Atomics.add(w, W.DONE, 1);
  }
  const block = canBlock();
  for (;;) {
    const d = Atomics.load(w, W.DONE);
    if (d >= total) break;
    if (block) Atomics.wait(w, W.DONE, d);
  }
  return Atomics.load(w, W.ERROR) === 0;
}
