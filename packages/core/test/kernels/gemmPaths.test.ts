// The three GEMM paths (TypeScript, WebAssembly SIMD, WebAssembly on worker threads) against
// a kernel-free reference and against each other: odd sizes, every transpose combination,
// strided views, α/β (β = 0 must overwrite NaN), f32, f64 and mixed dtypes.
import {
  allocate,
  type DType,
  gemm,
  gemmStrided,
  Matrix,
  matmul,
  randn,
  setThreads,
  zeros,
} from '@lr/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { _setOperandBudget } from '../../src/kernels/_gemmWasm.js';
import { getEngine } from '../../src/runtime/_engine.js';
import { workerChunks } from '../../src/runtime/_pool.js';
import {
  boundRatio,
  PATHS,
  type Path,
  reference,
  resetBackend,
  startThreads,
  TEST_THREADS,
  THREADS_HERE,
  use,
} from './_paths';

beforeAll(startThreads);
afterAll(resetBackend);

const SIZES = [1, 7, 63, 65, 257];
const DTYPES: DType[] = ['float64', 'float32'];
const SCALARS: [alpha: number, beta: number][] = [
  [1, 0],
  [-2.5, 0],
  [0.75, 1],
  [1.5, -0.5],
];

/** The m×n matrix as a view with storage of the given layout (values copied). */
function stored(M: Matrix, layout: 'row' | 'col' | 'block' | 'blockT'): Matrix {
  const { rows: m, cols: n } = M;
  const dtype = M.dtype;
  if (layout === 'row') return M.clone();
  if (layout === 'col') {
    const T = zeros(n, m, dtype);
    for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) T.set(j, i, M.get(i, j));
    return T.T;
  }
  if (layout === 'block') {
    const big = randn(m + 3, n + 5, { seed: 99, dtype });
    const V = big.block(2, 3, m, n);
    for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) V.set(i, j, M.get(i, j));
    return V;
  }
  const big = randn(n + 4, m + 2, { seed: 98, dtype });
  const V = big.block(1, 2, n, m).T;
  for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) V.set(i, j, M.get(i, j));
  return V;
}

function runGemm(
  path: Path,
  A: Matrix,
  B: Matrix,
  C: Matrix,
  opts: { alpha: number; beta: number; transA: boolean; transB: boolean },
): void {
  use(path);
  try {
    gemm(A, B, C, opts);
  } finally {
    resetBackend();
  }
}

describe.each(DTYPES)('gemm %s', (dtype) => {
  it.each(SIZES)('size %i: every path, every transpose, α/β, within the rounding bound', (s) => {
    const [m, n, k] = [s, s + 2, s + 4];
    const A = randn(m, k, { seed: s, dtype });
    const B = randn(k, n, { seed: s + 1, dtype });
    const C0 = randn(m, n, { seed: s + 2, dtype });
    for (const [alpha, beta] of SCALARS) {
      const ref = reference(A, B, alpha, beta, C0);
      for (const transA of [false, true]) {
        for (const transB of [false, true]) {
          // op(X) = X: pass the transpose of a stored transpose when trans is set.
          const As = transA ? stored(A, 'row').T.clone() : A;
          const Bs = transB ? stored(B, 'row').T.clone() : B;
          const results: Matrix[] = [];
          for (const path of PATHS) {
            const C = beta === 0 ? zeros(m, n, dtype) : C0.clone();
            if (beta === 0) C.data.fill(Number.NaN);
            runGemm(path, As, Bs, C, { alpha, beta, transA, transB });
            const label = `${path} α=${alpha} β=${beta} transA=${transA} transB=${transB}`;
            expect(boundRatio(C, ref, k, dtype), label).toBeLessThan(1);
            results.push(C);
          }
          // wasm and wasm+threads run the same kernel on the same packing: identical bits.
          if (results[2]) expect(Array.from(results[2].data)).toEqual(Array.from(results[1]!.data));
        }
      }
    }
  });

  it.each([7, 65])('size %i: strided and transposed views of A, B and C', (s) => {
    const [m, n, k] = [s, s + 2, s + 4];
    const A = randn(m, k, { seed: 3 * s, dtype });
    const B = randn(k, n, { seed: 3 * s + 1, dtype });
    const C0 = randn(m, n, { seed: 3 * s + 2, dtype });
    const ref = reference(A, B, 1.25, -1, C0);
    for (const la of ['row', 'col', 'block', 'blockT'] as const) {
      for (const lb of ['row', 'col', 'block', 'blockT'] as const) {
        for (const lc of ['row', 'col', 'block', 'blockT'] as const) {
          for (const path of PATHS) {
            const C = stored(C0, lc);
            const before = C.data.slice();
            runGemm(path, stored(A, la), stored(B, lb), C, {
              alpha: 1.25,
              beta: -1,
              transA: false,
              transB: false,
            });
            const label = `${path} A:${la} B:${lb} C:${lc}`;
            expect(boundRatio(C, ref, k, dtype), label).toBeLessThan(1);
            // Nothing outside the view of C changed.
            const inView = new Uint8Array(C.data.length);
            for (let i = 0; i < m; i++)
              for (let j = 0; j < n; j++) inView[C.offset + i * C.rowStride + j * C.colStride] = 1;
            for (let q = 0; q < before.length; q++)
              if (!inView[q])
                expect(C.data[q], `${label}: storage outside C at ${q}`).toBe(before[q]);
          }
        }
      }
    }
  });
});

describe('gemm with mixed dtypes', () => {
  it.each(PATHS)('%s: float32 and float64 operands compute in float64', (path) => {
    const A = randn(33, 41, { seed: 1, dtype: 'float32' });
    const B = randn(41, 29, { seed: 2 });
    const C64 = zeros(33, 29);
    const ref = reference(A, B, 1, 0, C64);
    runGemm(path, A, B, C64, { alpha: 1, beta: 0, transA: false, transB: false });
    expect(boundRatio(C64, ref, 41, 'float64')).toBeLessThan(1);
    // float32 C, float64 A: only the final rounding to float32
    const C32 = zeros(29, 33, 'float32');
    const ref2 = reference(B.T, A.T, 1, 0, C32);
    runGemm(path, B, A, C32, { alpha: 1, beta: 0, transA: true, transB: true });
    expect(boundRatio(C32, ref2, 41, 'float32')).toBeLessThan(1);
  });
});

describe('gemm edge cases on every path', () => {
  it.each(PATHS)('%s: k = 0 scales C by β; α = 0 too; empty m or n is a no-op', (path) => {
    use(path);
    try {
      const C = Matrix.from([
        [1, 2],
        [3, 4],
      ]);
      gemm(zeros(2, 0), zeros(0, 2), C, { beta: 2 });
      expect(Array.from(C.data)).toEqual([2, 4, 6, 8]);
      const D = zeros(2, 2);
      D.data.fill(Number.NaN);
      gemm(zeros(2, 0), zeros(0, 2), D);
      expect(Array.from(D.data)).toEqual([0, 0, 0, 0]);
      gemm(randn(2, 3, { seed: 1 }), randn(3, 2, { seed: 2 }), C, { alpha: 0, beta: 0.5 });
      expect(Array.from(C.data)).toEqual([1, 2, 3, 4]);
      const E = zeros(0, 3);
      expect(() => gemm(zeros(0, 4), zeros(4, 3), E)).not.toThrow();
    } finally {
      resetBackend();
    }
  });

  it.each(PATHS)('%s: NaN and Infinity in A or B propagate as in the reference', (path) => {
    const A = randn(9, 11, { seed: 5 });
    const B = randn(11, 10, { seed: 6 });
    A.set(2, 3, Number.NaN);
    B.set(4, 7, Number.POSITIVE_INFINITY);
    use(path);
    try {
      const C = matmul(A, B);
      for (let j = 0; j < 10; j++) expect(Number.isNaN(C.get(2, j))).toBe(true);
      for (let i = 0; i < 9; i++)
        if (i !== 2) expect(Math.abs(C.get(i, 7))).toBe(Number.POSITIVE_INFINITY);
      expect(Number.isFinite(C.get(0, 0))).toBe(true);
    } finally {
      resetBackend();
    }
  });

  it('gemmStrided with offsets into shared storage reads and writes only its views', () => {
    for (const path of PATHS) {
      const data = allocate('float64', 400);
      for (let i = 0; i < 400; i++) data[i] = Math.sin(i);
      const out = new Float64Array(200).fill(7);
      // A = 5×6 at offset 3 with row stride 11; B = 6×4 at offset 150, column-major.
      const A = new Matrix(data, 5, 6, 11, 1, 3);
      const B = new Matrix(data, 6, 4, 1, 6, 150);
      const C = new Matrix(out, 5, 4, 9, 2, 20);
      const ref = reference(A, B, 1, 0, C);
      use(path);
      try {
        gemmStrided(5, 4, 6, 1, data, 3, 11, 1, data, 150, 1, 6, 0, out, 20, 9, 2);
      } finally {
        resetBackend();
      }
      expect(boundRatio(C, ref, 6, 'float64'), path).toBeLessThan(1);
      let touched = 0;
      for (let q = 0; q < 200; q++) if (out[q] !== 7) touched++;
      expect(touched, path).toBe(20);
    }
  });
});

describe('wasm splitting of large problems', () => {
  it.each(PATHS.filter((p) => p !== 'ts'))(
    '%s: problems over the wasm memory budget are split along m, n or k',
    (path) => {
      // A budget of a few KiB forces every split kind on small matrices.
      _setOperandBudget(6000);
      try {
        for (const [m, n, k] of [
          [20, 24, 90],
          [90, 20, 24],
          [20, 90, 24],
          [1, 1, 2000],
        ]) {
          for (const dtype of DTYPES) {
            const A = randn(m!, k!, { seed: m!, dtype });
            const B = randn(k!, n!, { seed: n!, dtype });
            const C0 = randn(m!, n!, { seed: k!, dtype });
            const ref = reference(A, B, 0.5, 2, C0);
            const C = C0.clone();
            runGemm(path, A, B, C, { alpha: 0.5, beta: 2, transA: false, transB: false });
            expect(boundRatio(C, ref, k!, dtype), `${m}×${n}×${k} ${dtype}`).toBeLessThan(1);
          }
        }
      } finally {
        _setOperandBudget();
      }
    },
  );
});

describe.skipIf(!THREADS_HERE)('worker threads', () => {
  it('workers, not only the main thread, compute chunks of a threaded GEMM', () => {
    const engine = getEngine();
    expect(engine?.shared).toBe(true);
    const before = workerChunks(engine!);
    const A = randn(384, 384, { seed: 1 });
    const B = randn(384, 384, { seed: 2 });
    let after = before;
    // The main thread claims chunks too, so a worker on a busy core may miss one product;
    // 20 products without a single worker chunk means the workers do not work.
    for (let r = 0; r < 20 && after === before; r++) {
      use('wasm+threads');
      try {
        matmul(A, B);
      } finally {
        resetBackend();
      }
      after = workerChunks(engine!);
    }
    expect(after).toBeGreaterThan(before);
  });

  it("'auto' splits over threads only above the size threshold", () => {
    const engine = getEngine()!;
    setThreads(TEST_THREADS);
    try {
      // 60³ multiply-adds: below THREAD_GEMM_MIN, so no job is published at all.
      const small = randn(60, 60, { seed: 3 });
      const before = workerChunks(engine);
      const S = matmul(small, small);
      expect(workerChunks(engine)).toBe(before);
      expect(boundRatio(S, reference(small, small, 1, 0, S), 60, 'float64')).toBeLessThan(1);
      // 300·250·200 multiply-adds: above it; workers take part (see the test above).
      const A = randn(300, 200, { seed: 3 });
      const B = randn(200, 250, { seed: 4 });
      const ref = reference(A, B, 1, 0, zeros(300, 250));
      let after = before;
      for (let r = 0; r < 20 && after === before; r++) {
        const C = matmul(A, B);
        expect(boundRatio(C, ref, 200, 'float64')).toBeLessThan(1);
        after = workerChunks(engine);
      }
      expect(after).toBeGreaterThan(before);
    } finally {
      resetBackend();
    }
  });
});
