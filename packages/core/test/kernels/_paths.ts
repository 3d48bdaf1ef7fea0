// Shared by the kernel tests: switching between the three GEMM paths, and references that
// use no kernel at all.
import {
  type DType,
  EPS,
  type FloatArray,
  getBackend,
  initWasm,
  type Matrix,
  setBackend,
  setThreads,
} from '@lr/core';

/**
 * Whether this Node can run worker threads for lr (it reaches worker_threads through
 * `process.getBuiltinModule`, Node ≥ 20.16); runtime.test.ts checks the fallback without it.
 */
export const THREADS_HERE =
  typeof (process as { getBuiltinModule?: unknown }).getBuiltinModule === 'function';

/** A kernel path. */
export type Path = 'ts' | 'wasm' | 'wasm+threads';

/** The paths every kernel test runs on (all three wherever threads are possible). */
export const PATHS: readonly Path[] = THREADS_HERE
  ? ['ts', 'wasm', 'wasm+threads']
  : ['ts', 'wasm'];

/** Threads used for the threaded path (the main thread and two workers). */
export const TEST_THREADS = 3;

/**
 * Selects a path. 'wasm' and 'wasm+threads' force WebAssembly (and threads) for every size,
 * so that tiny and odd sizes reach those kernels too.
 */
export function use(path: Path): void {
  if (path === 'ts') {
    setBackend('ts');
    setThreads(1);
  } else {
    setBackend('wasm');
    setThreads(path === 'wasm' ? 1 : TEST_THREADS);
  }
  const info = getBackend();
  if (info.path !== path) throw new Error(`expected path ${path}, getBackend() says ${info.path}`);
}

/** Starts the workers of the threaded path and waits until they run. */
export async function startThreads(): Promise<void> {
  if (!THREADS_HERE) return;
  setThreads(TEST_THREADS);
  await initWasm();
}

/** Back to the defaults. */
export function resetBackend(): void {
  setBackend('auto');
  setThreads();
}

/**
 * C = α·A·B + β·C0 in float64 by a plain triple loop over the logical matrices (no
 * kernel), and the elementwise error scale |α|·|A|·|B| + |β|·|C0| for the rounding bound.
 */
export function reference(
  A: Matrix,
  B: Matrix,
  alpha: number,
  beta: number,
  C0: Matrix,
): { value: Float64Array; scale: Float64Array } {
  const m = A.rows;
  const n = B.cols;
  const k = A.cols;
  const a = new Float64Array(m * k);
  const b = new Float64Array(k * n);
  for (let i = 0; i < m; i++) for (let p = 0; p < k; p++) a[i * k + p] = A.get(i, p);
  for (let p = 0; p < k; p++) for (let j = 0; j < n; j++) b[p * n + j] = B.get(p, j);
  const value = new Float64Array(m * n);
  const scale = new Float64Array(m * n);
  for (let i = 0; i < m; i++) {
    for (let p = 0; p < k; p++) {
      const x = a[i * k + p]!;
      for (let j = 0; j < n; j++) {
        value[i * n + j] += x * b[p * n + j]!;
        scale[i * n + j] += Math.abs(x * b[p * n + j]!);
      }
    }
  }
  for (let i = 0; i < m * n; i++) {
    const c0 = beta === 0 ? 0 : C0.get(Math.floor(i / n), i % n);
    value[i] = alpha * value[i]! + beta * c0;
    scale[i] = Math.abs(alpha) * scale[i]! + Math.abs(beta * c0);
  }
  return { value, scale };
}

/**
 * Largest |C − ref| / (γ·scale), with γ = (k + 2)·ε of `dtype`: below 1 means within the
 * standard rounding bound of a k-term dot product (Higham, Accuracy and Stability, §3.1).
 */
export function boundRatio(
  C: Matrix,
  ref: { value: Float64Array; scale: Float64Array },
  k: number,
  dtype: DType,
): number {
  const gamma = (k + 2) * EPS[dtype];
  let worst = 0;
  for (let i = 0; i < C.rows; i++) {
    for (let j = 0; j < C.cols; j++) {
      const q = i * C.cols + j;
      const err = Math.abs(C.get(i, j) - ref.value[q]!);
      if (Number.isNaN(err)) return Infinity;
      const r = err === 0 ? 0 : err / (gamma * ref.scale[q]! + Number.MIN_VALUE);
      if (r > worst) worst = r;
    }
  }
  return worst;
}

/** A copy of a typed array's contents, for "untouched" checks. */
export function snapshot(x: FloatArray): FloatArray {
  return x.slice();
}
