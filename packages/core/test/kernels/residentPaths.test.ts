// Operands that live in wasm memory (kernels/_wasmArena.ts) are read and written in place by
// the wasm kernels: GEMM, GEMV, dot and axpy must give the same answers as with ordinary
// arrays (and the TypeScript path), over odd sizes, every transpose combination, strided
// views inside a larger resident array, on one thread and on several; the arena's stack
// discipline and the strided 2-D copy used to fill it are checked too.
import { axpyStrided, dotStrided, gemmStrided, gemvStrided, Matrix, randn } from '@lr/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copy2d } from '../../src/kernels/_copy2d.js';
import {
  arenaAlloc,
  arenaMark,
  arenaRelease,
  residentAddress,
  workArray,
} from '../../src/kernels/_wasmArena.js';
import { boundRatio, PATHS, type Path, reference, resetBackend, startThreads, use } from './_paths';

const SIZES = [1, 7, 63, 65, 257];

beforeAll(startThreads);
afterAll(resetBackend);

// A view of a rows×cols (or transposed) block at offset (1, 2) of a bigger matrix whose
// storage is `store` (resident or not), filled from `src`.
function placed(src: Matrix, store: Float64Array | null, trans: boolean): Matrix {
  const R = (trans ? src.cols : src.rows) + 3;
  const Cc = (trans ? src.rows : src.cols) + 4;
  const data = store ?? new Float64Array(R * Cc);
  data.fill(Number.NaN);
  const big = new Matrix(data.subarray(0, R * Cc), R, Cc);
  const blk = big.block(1, 2, trans ? src.cols : src.rows, trans ? src.rows : src.cols);
  const view = trans ? blk.T : blk;
  for (let i = 0; i < src.rows; i++)
    for (let j = 0; j < src.cols; j++) view.set(i, j, src.get(i, j));
  return view;
}

function runGemm(A: Matrix, B: Matrix, C: Matrix, alpha: number, beta: number): void {
  gemmStrided(
    A.rows,
    B.cols,
    A.cols,
    alpha,
    A.data,
    A.offset,
    A.rowStride,
    A.colStride,
    B.data,
    B.offset,
    B.rowStride,
    B.colStride,
    beta,
    C.data,
    C.offset,
    C.rowStride,
    C.colStride,
  );
}

describe.each(PATHS.filter((p) => p !== 'ts') as Path[])('resident GEMM operands, %s', (path) => {
  it.each(SIZES)(
    'size %i: every transpose, strided views, α/β, agrees with ordinary arrays',
    (s) => {
      use(path);
      const [m, n, k] = [s, s + 1, s + 2];
      const A0 = randn(m, k, { seed: s });
      const B0 = randn(k, n, { seed: s + 1 });
      const C0 = randn(m, n, { seed: s + 2 });
      for (const ta of [false, true]) {
        for (const tb of [false, true]) {
          for (const tc of [false, true]) {
            for (const [alpha, beta] of [
              [1, 0],
              [-0.5, 1.5],
            ] as const) {
              const mark = arenaMark();
              try {
                const size = (r: number, c: number) => (r + 4) * (c + 4);
                const sa = arenaAlloc(size(m, k));
                const sb = arenaAlloc(size(k, n));
                const sc = arenaAlloc(size(m, n));
                // on the wasm paths the arena hands out views of WebAssembly memory, disjoint
                for (const [buf, len] of [
                  [sa, size(m, k)],
                  [sb, size(k, n)],
                  [sc, size(m, n)],
                ] as const) {
                  expect(buf).toBeInstanceOf(Float64Array);
                  expect(buf!.length).toBe(len);
                }
                expect(sa!.byteOffset + sa!.byteLength).toBeLessThanOrEqual(sb!.byteOffset);
                expect(sb!.byteOffset + sb!.byteLength).toBeLessThanOrEqual(sc!.byteOffset);
                expect(residentAddress(sa!)).toBeGreaterThanOrEqual(0);
                const A = placed(A0, sa, ta);
                const B = placed(B0, sb, tb);
                const C = placed(C0, sc, tc);
                if (beta === 0)
                  for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) C.set(i, j, Number.NaN);
                runGemm(A, B, C, alpha, beta);
                const ref = reference(A0, B0, alpha, beta, C0);
                expect(boundRatio(C, ref, k, 'float64')).toBeLessThan(1);
                // the same product on ordinary arrays, and on the TypeScript path
                const Cp = placed(C0, null, tc);
                runGemm(placed(A0, null, ta), placed(B0, null, tb), Cp, alpha, beta);
                use('ts');
                const Ct = placed(C0, null, tc);
                runGemm(placed(A0, null, ta), placed(B0, null, tb), Ct, alpha, beta);
                use(path);
                for (let i = 0; i < m; i++) {
                  for (let j = 0; j < n; j++) {
                    expect(C.get(i, j)).toBe(Cp.get(i, j));
                    expect(Math.abs(C.get(i, j) - Ct.get(i, j))).toBeLessThanOrEqual(
                      1e-12 * (1 + Math.abs(Ct.get(i, j))) * k,
                    );
                  }
                }
                // the padding around C is untouched
                const data = C.data;
                let nan = 0;
                for (let q = 0; q < data.length; q++) if (Number.isNaN(data[q]!)) nan++;
                expect(nan).toBe(data.length - m * n);
              } finally {
                arenaRelease(mark);
              }
            }
          }
        }
      }
    },
  );
});

describe('resident GEMV, dot and axpy', () => {
  it.each(SIZES)('size %i: both orientations, strided, against the TypeScript path', (s) => {
    use('wasm');
    const mark = arenaMark();
    try {
      const [m, n] = [s, s + 2];
      const src = randn(m + 4, n + 3, { seed: s });
      const store = arenaAlloc((m + 4) * (n + 3))!;
      store.set(src.data);
      const A = new Matrix(store, m + 4, n + 3).block(1, 2, m, n);
      const x = randn(2 * (n + m) + 1, 1, { seed: s + 1 }).data;
      const xr = arenaAlloc(x.length)!;
      xr.set(x);
      for (const trans of [false, true]) {
        const op = trans ? A.T : A;
        const got = new Float64Array(op.rows);
        const want = new Float64Array(op.rows);
        for (const [out, path] of [
          [got, 'wasm'],
          [want, 'ts'],
        ] as const) {
          use(path);
          gemvStrided(
            op.rows,
            op.cols,
            1.5,
            op.data,
            op.offset,
            op.rowStride,
            op.colStride,
            xr,
            1,
            2,
            0,
            out,
            0,
            1,
          );
        }
        for (let i = 0; i < op.rows; i++)
          expect(Math.abs(got[i]! - want[i]!)).toBeLessThanOrEqual(
            1e-12 * n * (1 + Math.abs(want[i]!)),
          );
      }
      // dot and axpy with both vectors resident, one resident, none
      const len = n + m;
      const y = randn(len + 3, 1, { seed: s + 2 }).data;
      use('wasm');
      const yr = arenaAlloc(y.length)!;
      for (const [xa, ya] of [
        [xr, yr],
        [xr, y.slice()],
        [x, yr],
      ] as const) {
        yr.set(y);
        use('wasm');
        const d = dotStrided(len, xa, 1, 1, ya, 3, 1);
        use('ts');
        const dt = dotStrided(len, x, 1, 1, y, 3, 1);
        expect(Math.abs(d - dt)).toBeLessThanOrEqual(1e-12 * len * (1 + Math.abs(dt)));
        use('wasm');
        const yc = ya.slice();
        axpyStrided(len, -0.75, xa, 1, 1, ya, 3, 1);
        for (let i = 0; i < len; i++)
          expect(ya[3 + i]).toBeCloseTo(yc[3 + i]! - 0.75 * x[1 + i]!, 12);
        expect(ya[0]).toBe(yc[0]);
      }
    } finally {
      arenaRelease(mark);
      resetBackend();
    }
  });
});

describe('the arena', () => {
  it('is a stack: release frees back to the mark; arrays are zero-filled; ts backend opts out', () => {
    const m0 = arenaMark();
    const a = arenaAlloc(100)!;
    a.fill(7);
    const m1 = arenaMark();
    const b = arenaAlloc(100)!;
    expect(b.byteOffset).toBeGreaterThanOrEqual(a.byteOffset + 800);
    arenaRelease(m1);
    const c = arenaAlloc(100)!;
    expect(c.byteOffset).toBe(b.byteOffset);
    expect([...c].every((v) => v === 0)).toBe(true);
    arenaRelease(m0);
    expect(arenaMark()).toBe(m0);
    // below RESIDENT_MIN (and on the ts backend) work arrays are ordinary arrays
    expect(residentAddress(workArray(10))).toBe(-1);
    use('ts');
    expect(arenaAlloc(100)).toBeNull();
    expect(residentAddress(workArray(10000))).toBe(-1);
    resetBackend();
  });
});

describe('copy2d', () => {
  it.each(SIZES)('size %i: every layout pair, strided, as an element loop', (s) => {
    const [r, c] = [s, s + 3];
    const src = randn(r + 2, c + 5, { seed: s }).data;
    const layouts = [
      [c + 5, 1, 2 * (c + 5) + 3],
      [1, r + 2, 2 * (c + 5) + 1],
      [c, 1, 0],
      [1, r, 0],
    ] as const;
    for (const [srs, scs, sOff] of [
      [c + 5, 1, 3],
      [1, r + 2, 1],
      [2 * (c + 5), 2, 0],
    ] as const) {
      if (sOff + (r - 1) * srs + (c - 1) * scs >= src.length) continue;
      for (const [drs, dcs, dOff] of layouts) {
        const dst = new Float64Array(dOff + r * c + (r + 1) * (c + 1) + 8).fill(-1);
        copy2d(r, c, src, sOff, srs, scs, dst, dOff, drs, dcs);
        let bad = 0;
        for (let i = 0; i < r; i++)
          for (let j = 0; j < c; j++)
            if (dst[dOff + i * drs + j * dcs] !== src[sOff + i * srs + j * scs]) bad++;
        expect(bad).toBe(0);
      }
    }
  });
});
