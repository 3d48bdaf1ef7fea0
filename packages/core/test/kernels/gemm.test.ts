import { EPS, gemm, gemv, type Matrix, matmul, randn, zeros } from '@lr/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

function naive(A: Matrix, B: Matrix): Matrix {
  const C = zeros(A.rows, B.cols);
  for (let i = 0; i < A.rows; i++)
    for (let j = 0; j < B.cols; j++) {
      let s = 0;
      for (let p = 0; p < A.cols; p++) s += A.get(i, p) * B.get(p, j);
      C.set(i, j, s);
    }
  return C;
}

function maxDiff(X: Matrix, Y: Matrix): number {
  let d = 0;
  for (let i = 0; i < X.rows; i++)
    for (let j = 0; j < X.cols; j++) d = Math.max(d, Math.abs(X.get(i, j) - Y.get(i, j)));
  return d;
}

describe('gemm', () => {
  it.each([1, 7, 63, 65, 130])(
    'matches the naive product for odd size %i with every transpose',
    (n) => {
      const A = randn(n, n + 3, { seed: n });
      const B = randn(n + 3, n + 1, { seed: n + 1 });
      const ref = naive(A, B);
      const tol = 10 * (n + 3) * EPS.float64;
      expect(maxDiff(matmul(A, B), ref)).toBeLessThan(tol * 10);
      const At = A.T.clone();
      const Bt = B.T.clone();
      const C = zeros(n, n + 1);
      gemm(At, Bt, C, { transA: true, transB: true });
      expect(maxDiff(C, ref)).toBeLessThan(tol * 10);
      gemm(At, B, C, { transA: true, alpha: 2, beta: -1 });
      expect(maxDiff(C, ref)).toBeLessThan(tol * 30);
    },
  );

  it('works on strided views and matches naive (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 40 }),
        fc.integer({ min: 1, max: 40 }),
        fc.integer({ min: 0, max: 40 }),
        fc.integer(),
        (m, n, k, seed) => {
          const big = randn(m + 5, k + 7, { seed });
          const A = big.block(2, 3, m, k);
          const B = randn(n, k, { seed: seed + 1 }).T;
          const C = matmul(A, B);
          expect(maxDiff(C, naive(A, B))).toBeLessThan(1e-12 * Math.max(1, k));
        },
      ),
      { numRuns: 50, seed: 7 },
    );
  });

  it('gemv agrees with gemm', () => {
    const A = randn(37, 23, { seed: 3 });
    const x = randn(23, 1, { seed: 4 });
    const y = gemv(A, x.data);
    const y2 = matmul(A, x);
    for (let i = 0; i < 37; i++) expect(y[i]).toBeCloseTo(y2.get(i, 0), 12);
    const z = gemv(A.T.clone(), x.data.slice(0, 23), { trans: true });
    for (let i = 0; i < 37; i++) expect(z[i]).toBeCloseTo(y2.get(i, 0), 12);
  });
});
