import { CsrMatrix, LrError, Matrix, matmul, Rng, randn } from '@lr/core';
import { describe, expect, it } from 'vitest';
import {
  countSketch,
  gaussianSketch,
  linfSketch,
  linfSketchRows,
  makeSketch,
  osnap,
  type SketchOperator,
  srht,
} from '../src/index.js';

function maxDiff(X: Matrix, Y: Matrix): number {
  let d = 0;
  for (let i = 0; i < X.rows; i++)
    for (let j = 0; j < X.cols; j++) d = Math.max(d, Math.abs(X.get(i, j) - Y.get(i, j)));
  return d;
}

function sparseRandom(n: number, d: number, density: number, seed: number): CsrMatrix {
  const rng = new Rng(seed);
  const indptr = [0];
  const indices: number[] = [];
  const values: number[] = [];
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < d; j++) {
      if (rng.uniform() < density) {
        indices.push(j);
        values.push(rng.normal());
      }
    }
    indptr.push(indices.length);
  }
  return new CsrMatrix(n, d, indptr, indices, values);
}

function toDenseCsr(A: CsrMatrix): Matrix {
  const M = new Matrix(new Float64Array(A.rows * A.cols), A.rows, A.cols);
  for (let i = 0; i < A.rows; i++)
    for (let p = A.indptr[i]!; p < A.indptr[i + 1]!; p++) M.set(i, A.indices[p]!, A.values[p]!);
  return M;
}

const builders: [string, (m: number, n: number, seed: number) => SketchOperator][] = [
  ['gaussian', (m, n, seed) => gaussianSketch(m, n, { seed })],
  ['srht', (m, n, seed) => srht(m, n, { seed })],
  ['countsketch', (m, n, seed) => countSketch(m, n, { seed })],
  ['osnap', (m, n, seed) => osnap(m, n, { s: 3, seed })],
];

describe.each(builders)('%s sketch', (kind, make) => {
  const m = 24;
  const n = 100; // not a power of two: SRHT pads to 128
  it('matvec, rmatvec, matmat, rmatmat and apply agree with the dense matrix', () => {
    const S = make(m, n, 7);
    expect(S.kind).toBe(kind);
    expect([S.rows, S.cols]).toEqual([m, n]);
    const D = S.toDense();
    const X = randn(n, 5, { seed: 1 });
    const Y = randn(m, 3, { seed: 2 });
    expect(maxDiff(S.matmat(X), matmul(D, X))).toBeLessThan(1e-12);
    expect(maxDiff(S.apply(X), matmul(D, X))).toBeLessThan(1e-12);
    expect(maxDiff(S.rmatmat(Y), matmul(D.T, Y))).toBeLessThan(1e-12);
    const x = X.colArray(0);
    const Sx = S.matvec(x);
    const ref = matmul(D, X).colArray(0);
    for (let i = 0; i < m; i++) expect(Sx[i]).toBeCloseTo(ref[i]!, 12);
    const y = Y.colArray(0);
    const Sty = S.rmatvec(y);
    const ref2 = matmul(D.T, Y).colArray(0);
    for (let i = 0; i < n; i++) expect(Sty[i]).toBeCloseTo(ref2[i]!, 12);
    // strided input (a transposed view) works too
    const Xt = randn(5, n, { seed: 3 }).T;
    expect(maxDiff(S.apply(Xt), matmul(D, Xt))).toBeLessThan(1e-12);
  });

  it('applies to a CSR matrix exactly as to its dense copy', () => {
    const S = make(m, n, 8);
    const A = sparseRandom(n, 6, 0.2, 4);
    expect(maxDiff(S.apply(A), matmul(S.toDense(), toDenseCsr(A)))).toBeLessThan(1e-12);
  });

  it('is deterministic in its seed and different across seeds', () => {
    expect(maxDiff(make(m, n, 5).toDense(), make(m, n, 5).toDense())).toBe(0);
    expect(maxDiff(make(m, n, 5).toDense(), make(m, n, 6).toDense())).toBeGreaterThan(0);
  });

  it('satisfies E[SᵀS] = I (averaged over seeds)', () => {
    const nn = 12;
    const trials = 400;
    const acc = new Float64Array(nn * nn);
    for (let t = 0; t < trials; t++) {
      const D = make(6, nn, 100 + t).toDense();
      const G = matmul(D.T, D);
      for (let q = 0; q < nn * nn; q++) acc[q]! += G.data[q]! / trials;
    }
    for (let i = 0; i < nn; i++)
      for (let j = 0; j < nn; j++) {
        // each entry of SᵀS has variance ≤ ~2 for these sketches; 400 trials: sd ≤ 0.08
        expect(Math.abs(acc[i * nn + j]! - (i === j ? 1 : 0))).toBeLessThan(0.3);
      }
  });

  it('does not mutate its input and rejects bad shapes and values', () => {
    const S = make(m, n, 1);
    const X = randn(n, 2, { seed: 9 });
    const copy = X.clone();
    S.apply(X);
    expect(maxDiff(X, copy)).toBe(0);
    expect(() => S.apply(randn(n + 1, 2))).toThrow(LrError);
    expect(() => S.matvec(new Float64Array(n - 1))).toThrow(LrError);
    const bad = X.clone();
    bad.set(0, 0, Number.NaN);
    expect(() => S.apply(bad)).toThrow(LrError);
    expect(() => make(0, n, 1)).toThrow(LrError);
    expect(() => make(2.5, n, 1)).toThrow(LrError);
  });
});

describe('structure of the sparse sketches', () => {
  it('CountSketch has exactly one ±1 per column', () => {
    const D = countSketch(10, 50, { seed: 3 }).toDense();
    for (let j = 0; j < 50; j++) {
      const col = D.colArray(j).filter((v) => v !== 0);
      expect(col.length).toBe(1);
      expect(Math.abs(col[0]!)).toBe(1);
    }
  });
  it('OSNAP has s nonzeros ±1/√s in distinct rows per column', () => {
    for (const s of [1, 2, 5, 10]) {
      const D = osnap(10, 60, { s, seed: s }).toDense();
      for (let j = 0; j < 60; j++) {
        const col = D.colArray(j).filter((v) => v !== 0);
        expect(col.length).toBe(s);
        for (const v of col) expect(Math.abs(v)).toBeCloseTo(1 / Math.sqrt(s), 14);
      }
    }
    expect(() => osnap(4, 10, { s: 5 })).toThrow(LrError);
  });
  it('SRHT rows are orthogonal with squared norm N/m (sampling without replacement)', () => {
    const m = 16;
    const n = 64;
    const D = srht(m, n, { seed: 2 }).toDense();
    const G = matmul(D, D.T);
    for (let i = 0; i < m; i++)
      for (let j = 0; j < m; j++) expect(G.get(i, j)).toBeCloseTo(i === j ? n / m : 0, 12);
    expect(() => srht(129, 100)).toThrow(LrError);
    expect(srht(128, 100).rows).toBe(128);
  });
  it('SRHT cost grows like n·log n, not n² (best-of-7 timing ratio)', () => {
    const d = 4;
    const time = (n: number) => {
      const A = randn(n, d, { seed: 1 });
      const S = srht(64, n, { seed: 1 });
      let best = Number.POSITIVE_INFINITY;
      for (let r = 0; r < 7; r++) {
        const t0 = performance.now();
        S.apply(A);
        best = Math.min(best, performance.now() - t0);
      }
      return best;
    };
    time(1 << 11);
    const t1 = time(1 << 11);
    const t2 = time(1 << 16);
    // ×32 in n: O(n log n) predicts ×47, O(n²) would be ×1024
    expect(t2 / Math.max(t1, 0.02)).toBeLessThan(250);
  });
});

describe('linfSketch and makeSketch', () => {
  it('linfSketchRows follows m = ⌈C ε⁻² d log³(n/δ)⌉', () => {
    expect(linfSketchRows(1e6, 10, { epsilon: 1, delta: 0.1 })).toBe(
      Math.ceil(10 * Math.log(1e7) ** 3),
    );
    expect(linfSketchRows(1000, 5, { epsilon: 0.5, delta: 0.5, constant: 0.01 })).toBe(
      Math.ceil((0.01 * 5 * Math.log(2000) ** 3) / 0.25),
    );
    expect(() => linfSketchRows(1000, 5, { epsilon: 0 })).toThrow(LrError);
  });
  it('linfSketch builds the dense constructions', () => {
    expect(linfSketch(16, 100, { seed: 1 }).kind).toBe('srht');
    expect(linfSketch(16, 100, { seed: 1, construction: 'gaussian' }).kind).toBe('gaussian');
    expect(() => linfSketch(16, 100, { construction: 'sparse' as never })).toThrow(LrError);
  });
  it('makeSketch resolves names and checks operators', () => {
    for (const k of ['gaussian', 'srht', 'countsketch', 'osnap'] as const) {
      expect(makeSketch(k, 8, 40, { seed: 1 }).kind).toBe(k);
    }
    const S = countSketch(8, 40);
    expect(makeSketch(S, 0, 40)).toBe(S);
    expect(() => makeSketch(S, 8, 41)).toThrow(LrError);
    expect(() => makeSketch('fft' as never, 8, 40)).toThrow(LrError);
  });
});
